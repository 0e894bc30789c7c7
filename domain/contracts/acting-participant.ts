/**
 * Which participant a request acts for, and whether it may act now: the API's pre-check before a
 * v2 Update (the workflow's validator applies the same routing rule, routing.ts, again).
 * - the participant: the one named by `participantId`, else the first this viewer may act for
 *   (participant-actor.ts `participantsFor`) whose turn it is;
 * - the routing rule on the database's state (turn, expiry, refusal allowed);
 * - who may act for it (participant-actor.ts `assertMayActFor`: binding, membership, seals).
 */
import type { EntityManager } from '@mikro-orm/core';
import { AppError } from '../errors';
import type { ContractViewer, ContractWithSigners } from './contract-access';
import type { ContractSigner } from './contract-signer.entity';
import { assertMayActFor, participantsFor } from './participant-actor';
import { refuseAction, type ActionRefusal } from './routing';
import { toRoutingParticipant } from './routing-snapshot';

/** Whether the contract is past its expiry (voided as expired, or still 签署中 with the time passed). */
export const pastExpiry = (c: ContractWithSigners, now = new Date()) => c.contract.voidReason === 'expired' || (c.contract.status === 'in_progress' && c.contract.expiresAt <= now);

export const refusalError = (r: ActionRefusal) => new AppError(r.code === 'NOT_A_PARTICIPANT' ? 'forbidden' : 'rejected', r.code, r.message, r.messageEn);

/** The routing rule on the database's state; null if `participantId` may `action` now. */
export function routingRefusal(c: ContractWithSigners, participantId: string, action: 'sign' | 'refuse', now = new Date()): ActionRefusal | null {
  return refuseAction({ inProgress: c.contract.status === 'in_progress', expired: pastExpiry(c, now), participants: c.signers.map(toRoutingParticipant) }, participantId, action);
}

export async function actingParticipant(
  em: EntityManager,
  c: ContractWithSigners,
  viewer: ContractViewer,
  participantId: string | undefined,
  action: 'sign' | 'refuse',
  now = new Date(),
): Promise<ContractSigner> {
  const mine = await participantsFor(em, c, viewer);
  const participant = participantId ? mine.find((p) => p.id === participantId) : (mine.find((p) => routingRefusal(c, p.id, action, now) === null) ?? mine[0]);
  if (!participant) throw refusalError({ code: 'NOT_A_PARTICIPANT', message: '您不是该合同的签署方', messageEn: 'You are not a participant of this contract' });
  const refusal = routingRefusal(c, participant.id, action, now);
  if (refusal) throw refusalError(refusal);
  await assertMayActFor(em, c, participant, viewer.userId, now, [], action);
  return participant;
}
