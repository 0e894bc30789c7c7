import { EntitySchema } from '@mikro-orm/core';
import { references } from '../persistence/references';

/**
 * A creating request's `Idempotency-Key`: the first request with a key (per user and scope) records
 * which resource it created; a retry with the same key returns that resource instead of creating
 * another. The unique constraint makes parallel retries agree on one winner.
 */
export interface IdempotencyKey {
  id: string;
  userId: string;
  /** What kind of request, e.g. `contract.create`. */
  scope: string;
  key: string;
  resourceId: string;
  createdAt: Date;
}

export const IdempotencyKeySchema = new EntitySchema<IdempotencyKey>({
  name: 'IdempotencyKey',
  tableName: 'idempotency_keys',
  uniques: [{ properties: ['userId', 'scope', 'key'] }],
  properties: {
    id: { type: 'string', length: 36, primary: true },
    userId: references('User', 'user_id'),
    scope: { type: 'string', length: 40 },
    key: { type: 'string', length: 100 },
    resourceId: { type: 'string', length: 36, index: true },
    createdAt: { type: 'datetime', index: true },
  },
});

/** What a client may send as a key: 1–100 visible ASCII characters. */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,100}$/;
