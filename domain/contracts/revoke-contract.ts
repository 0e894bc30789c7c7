/**
 * 撤销: the initiator (or an administrator of the initiating enterprise: initiator-rights.ts) revokes an unfinished contract with a reason → 已作废（撤销）, the reason kept
 * as its void note. (平台撤销 — cancelling the workflow in Temporal UI — is finish-contract.ts's close.)
 * Who may revoke is asked again inside the commit (a member removed or an administrator replaced since the
 * check revokes nothing: 403 NOT_INITIATOR).
 */
import type { EntityManager } from '@mikro-orm/core';
import { AppError, rejected } from '../errors';
import { ContractSchema } from './contract.entity';
import { mayManageAsInitiator } from './initiator-rights';
import { assertRequestFresh } from './request-freshness';
import { actionRefusal } from './routing';
import { userActor, voidByRequest, type EndOutcome } from './void-by-request';

export interface RevokeInput {
  contractId: string;
  actorUserId: string;
  reason: string;
  /** When the API accepted the request and its workflow run received it (ISO; request-freshness.ts); absent on Updates from before. */
  requestedAt?: string;
  receivedAt?: string;
}

export const notInitiator = () => new AppError('forbidden', 'NOT_INITIATOR', '只有发起方或发起企业的管理员可以撤销合同', 'Only the initiator or an administrator of the initiating enterprise can revoke the contract');

export async function revokeContract(em: EntityManager, input: RevokeInput, now = new Date()): Promise<EndOutcome> {
  const contract = await em.findOne(ContractSchema, { id: input.contractId });
  if (!contract) throw new Error(`Contract ${input.contractId} not found`);
  if (!(await mayManageAsInitiator(em, contract, input.actorUserId))) throw notInitiator();
  // Idempotent: the same revocation retried answers how it ended.
  if (contract.status === 'voided' && contract.voidReason === 'revoked') return { status: 'voided', voidReason: 'revoked' };
  assertRequestFresh(input, now);
  if (contract.expiresAt.getTime() <= now.getTime()) {
    const r = actionRefusal('CONTRACT_EXPIRED');
    throw rejected(r.code, r.message, r.messageEn);
  }
  if (contract.status !== 'in_progress') {
    const r = actionRefusal('CONTRACT_NOT_IN_PROGRESS');
    throw rejected(r.code, r.message, r.messageEn);
  }
  const reason = input.reason.trim();
  return voidByRequest(
    em,
    {
      contractId: contract.id,
      reason: 'revoked',
      note: reason,
      actor: await userActor(em, input.actorUserId),
      event: { contractId: contract.id, type: 'revoked', payload: { reason } },
      authority: async (tx) => {
        if (!(await mayManageAsInitiator(tx, contract, input.actorUserId))) throw notInitiator();
      },
    },
    now,
  );
}
