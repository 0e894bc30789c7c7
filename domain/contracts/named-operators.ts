/**
 * A named operator (经办人: the member the initiator named to sign for a 企业 / 部门 participant)
 * leaves with their membership. On the enterprise's open contracts, every participant still to sign
 * that named them is unbound in the caller's unit of work (flushed with the membership change): any
 * member authorised for the seals may then sign for it (participant-actor.ts), and its notices go to
 * the administrator (contract-notifications.ts). Without this, nobody could sign for the enterprise
 * until the contract expired.
 */
import type { EntityManager } from '@mikro-orm/core';
import { findRows } from '../persistence/plain-rows';
import { ContractSignerSchema } from './contract-signer.entity';
import { ContractSchema } from './contract.entity';

/** Unbinds `userId` from the open participants of `enterpriseId` that named them; answers how many. */
export async function releaseNamedOperator(em: EntityManager, enterpriseId: string, userId: string): Promise<number> {
  const named = await em.find(ContractSignerSchema, { enterpriseId, userId, kind: { $ne: 'person' }, status: { $in: ['pending', 'waiting'] } });
  if (named.length === 0) return 0;
  const open = await findRows(em, ContractSchema, { id: [...new Set(named.map((s) => s.contractId))], status: ['starting', 'in_progress'] });
  const openIds = new Set(open.map((c) => c.id));
  let released = 0;
  for (const participant of named) {
    if (!openIds.has(participant.contractId)) continue;
    participant.userId = null;
    released++;
  }
  return released;
}
