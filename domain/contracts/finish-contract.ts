import type { EntityManager } from '@mikro-orm/core';
import { recordAudit, SYSTEM_ACTOR } from '../audit/record-audit';
import { ContractSchema } from './contract.entity';
import { canTransition, type ContractStatus, type VoidReason } from './contract-status';

async function transition(em: EntityManager, contractId: string, to: ContractStatus, voidReason: VoidReason | null, now: Date): Promise<void> {
  const contract = await em.findOneOrFail(ContractSchema, { id: contractId });
  if (contract.status === to) return; // idempotent on activity retry
  if (!canTransition(contract.status, to)) throw new Error(`Contract ${contractId} cannot go from ${contract.status} to ${to}`);
  contract.status = to;
  if (to === 'completed') contract.completedAt = now;
  if (to === 'voided') {
    contract.voidedAt = now;
    contract.voidReason = voidReason;
  }
  recordAudit(em, SYSTEM_ACTOR, { action: to === 'completed' ? 'contract.completed' : 'contract.expired', targetType: 'contract', targetId: contractId, at: now });
  await em.flush();
}

/** 已完成: every signer has signed. */
export const completeContract = (em: EntityManager, contractId: string, now = new Date()) => transition(em, contractId, 'completed', null, now);

/** 已作废 (过期): the expiry time passed before every signer signed. */
export const expireContract = (em: EntityManager, contractId: string, now = new Date()) => transition(em, contractId, 'voided', 'expired', now);
