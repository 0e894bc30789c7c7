/**
 * 拒签: a participant whose turn it is, and whom the initiator allowed to refuse, refuses with a
 * reason → the contract is 已作废（拒签）, the reason kept as its void note. Who may act for the
 * participant is checked by the caller (API: participant-actor.ts) before the workflow's Update;
 * this checks it and the routing rule again on the database's state (a member removed meanwhile
 * no longer refuses for the enterprise), and once more inside the commit (`reassertMayRefuse`: a removal,
 * a revoked 印章授权, a voided seal or a revoked certificate committing between this check and the commit voids nothing).
 */
import type { EntityManager } from '@mikro-orm/core';
import { rejected } from '../errors';
import { loadContract } from './contract-access';
import { ContractSignerSchema } from './contract-signer.entity';
import { assertMayActFor, reassertMayRefuse } from './participant-actor';
import { assertRequestFresh } from './request-freshness';
import { refuseAction } from './routing';
import { toRoutingParticipant } from './routing-snapshot';
import { userActor, voidByRequest, type EndOutcome } from './void-by-request';

export interface RefuseInput {
  contractId: string;
  participantId: string;
  actorUserId: string;
  reason: string;
  /** When the API accepted the request and its workflow run received it (ISO; request-freshness.ts); absent on Updates from before. */
  requestedAt?: string;
  receivedAt?: string;
}

export async function refuseContract(em: EntityManager, input: RefuseInput, now = new Date()): Promise<EndOutcome> {
  const found = await loadContract(em, input.contractId);
  if (!found) throw new Error(`Contract ${input.contractId} not found`);
  const { contract, signers } = found;
  const participant = signers.find((s) => s.id === input.participantId);
  // Idempotent: the same refusal retried answers how it ended.
  if (contract.status === 'voided' && contract.voidReason === 'refused' && participant?.status === 'refused') return { status: 'voided', voidReason: 'refused' };
  assertRequestFresh(input, now);
  const refusal = refuseAction(
    { inProgress: contract.status === 'in_progress', expired: contract.expiresAt.getTime() <= now.getTime(), participants: signers.map(toRoutingParticipant) },
    input.participantId,
    'refuse',
  );
  if (refusal) throw rejected(refusal.code, refusal.message, refusal.messageEn);
  const authority = await assertMayActFor(em, found, participant!, input.actorUserId, now, [], 'refuse');
  const reason = input.reason.trim();
  return voidByRequest(
    em,
    {
      contractId: contract.id,
      reason: 'refused',
      note: reason,
      actor: await userActor(em, input.actorUserId),
      event: { contractId: contract.id, type: 'refused', payload: { participantId: participant!.id, name: participant!.name, reason } },
      authority: (tx) => reassertMayRefuse(tx, participant!, authority, now),
      alsoInTx: async (tx) => {
        // Only as read: a signature of this participant that committed meanwhile (an attempt still running after
        // the workflow answered 暂不可用) is never overwritten; retried, the refusal is judged on the new rows.
        const n = await tx.nativeUpdate(ContractSignerSchema, { id: participant!.id, status: 'pending', signedRounds: participant!.signedRounds }, { status: 'refused', refusedAt: now, refusalReason: reason });
        if (n !== 1) throw new Error(`participant ${participant!.id} changed while refusing; retrying`);
      },
    },
    now,
  );
}
