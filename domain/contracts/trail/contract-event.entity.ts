import { EntitySchema } from '@mikro-orm/core';
import { references } from '../../persistence/references';

/**
 * One event of a contract's 签署轨迹, hash-chained: `hash` = SHA-256 over the canonical form of
 * every other column and `prevHash` (the previous event's hash; null for seq 1). `seq` runs 1..n
 * per contract without gaps; `contracts.trail_seq` / `trail_head` hold the last seq and hash.
 * Rows are only ever inserted (record-contract-event.ts); verify-contract-trail.ts recomputes them.
 */
export interface ContractEvent {
  id: string;
  contractId: string;
  seq: number;
  type: string;
  actorId: string | null;
  actorName: string;
  ip: string | null;
  at: Date;
  /** Canonical JSON text of the typed payload (canonical-json.ts). */
  payload: string;
  /** SHA-256 (hex) of the contract's document at this moment. */
  documentSha256: string | null;
  prevHash: string | null;
  hash: string;
}

export const ContractEventSchema = new EntitySchema<ContractEvent>({
  name: 'ContractEvent',
  tableName: 'contract_events',
  uniques: [{ properties: ['contractId', 'seq'] }],
  properties: {
    id: { type: 'string', length: 36, primary: true },
    contractId: references('Contract', 'contract_id'),
    seq: { type: 'integer' },
    type: { type: 'string', length: 30 },
    actorId: { type: 'string', length: 36, nullable: true },
    actorName: { type: 'string', length: 100 },
    ip: { type: 'string', length: 64, nullable: true },
    at: { type: 'datetime', length: 3 },
    payload: { type: 'text' },
    documentSha256: { type: 'string', length: 64, nullable: true },
    prevHash: { type: 'string', length: 64, nullable: true },
    hash: { type: 'string', length: 64 },
  },
});
