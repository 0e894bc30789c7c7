import { EntitySchema } from '@mikro-orm/core';
import { references } from '../persistence/references';

/** A login session. The cookie holds a random token; only its SHA-256 is stored. */
export interface Session {
  id: string;
  tokenHash: string;
  userId: string;
  createdAt: Date;
  expiresAt: Date;
  ip: string | null;
  /** The identity the user acts as: null = personal, else one of their enterprises (切换至企业). */
  actingEnterpriseId: string | null;
}

export const SessionSchema = new EntitySchema<Session>({
  name: 'Session',
  tableName: 'sessions',
  properties: {
    id: { type: 'string', length: 36, primary: true },
    tokenHash: { type: 'string', length: 64, unique: true },
    userId: references('User', 'user_id', { index: true }),
    createdAt: { type: 'datetime' },
    expiresAt: { type: 'datetime' },
    ip: { type: 'string', length: 64, nullable: true },
    actingEnterpriseId: references('Enterprise', 'acting_enterprise_id', { nullable: true }),
  },
});
