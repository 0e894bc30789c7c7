/**
 * Which contracts may be signed in a batch (批量签署, M30), and why not: the one rule, used by the
 * check endpoint, when the batch's code is sent and again when it is submitted.
 * Eligible = a v2 contract (lifecycle 2) whose participant the viewer acts for is pending in the
 * current step (routing.ts), has preset placement only (free placement needs the signing page),
 * and the viewer may act for it now (participant-actor.ts: binding, membership, seals, and
 * whatever else that rule checks about the enterprise).
 */
import type { EntityManager } from '@mikro-orm/core';
import { AppError } from '../../errors';
import { takeAttemptOrRefuse, type ThrottleRule } from '../../identity/attempt-throttle';
import { routingRefusal } from '../acting-participant';
import { loadContractForViewer, type ContractViewer, type ContractWithSigners } from '../contract-access';
import type { ContractSigner } from '../contract-signer.entity';
import { assertMayActFor, participantsFor } from '../participant-actor';

/** Most contracts one batch may hold (the bench signs 1,000 in one batch). */
export const MAX_BATCH_CONTRACTS = 1000;

export interface EligibilityReason {
  code: string;
  message: string;
  messageEn: string;
}

export type Eligibility =
  | { id: string; title: string | null; eligible: true; participantId: string; contract: ContractWithSigners; participant: ContractSigner }
  | { id: string; title: string | null; eligible: false; reason: EligibilityReason };

const reason = (code: string, message: string, messageEn: string): EligibilityReason => ({ code, message, messageEn });

export const NOT_SUPPORTED_FOR_V1 = reason('NOT_SUPPORTED_FOR_V1', '该合同为旧版流程，请逐份签署', 'This contract runs on the previous workflow; sign it on its own page');
export const FREE_PLACEMENT = reason('FREE_PLACEMENT', '该合同需要您自行放置签章，请在合同页签署', 'You place your own marks on this contract; sign it on its page');
export const NO_PENDING_PARTICIPANT = reason('NOT_YOUR_TURN', '当前没有需要您签署的步骤', 'Nothing on this contract is waiting for your signature');

/** Whether the viewer may batch-sign contract `id` now, with the participant they sign for, or why not. */
export async function batchEligibility(em: EntityManager, id: string, viewer: ContractViewer, now = new Date()): Promise<Eligibility> {
  let c: ContractWithSigners;
  try {
    c = await loadContractForViewer(em, id, viewer);
  } catch (err) {
    if (err instanceof AppError && err.kind !== 'unavailable') return { id, title: null, eligible: false, reason: reason(err.code, err.message, err.messageEn) };
    throw err;
  }
  const title = c.contract.title;
  if (c.contract.lifecycle !== 2) return { id, title, eligible: false, reason: NOT_SUPPORTED_FOR_V1 };
  const mine = await participantsFor(em, c, viewer);
  if (mine.length === 0) return { id, title, eligible: false, reason: reason('NOT_A_PARTICIPANT', '您不是该合同的签署方', 'You are not a participant of this contract') };
  const open = mine.filter((p) => routingRefusal(c, p.id, 'sign', now) === null);
  if (open.length === 0) {
    const r = routingRefusal(c, mine[0]!.id, 'sign', now);
    return { id, title, eligible: false, reason: r ? reason(r.code, r.message, r.messageEn) : NO_PENDING_PARTICIPANT };
  }
  const participant = open.find((p) => p.placement === 'preset');
  if (!participant) return { id, title, eligible: false, reason: FREE_PLACEMENT };
  try {
    await assertMayActFor(em, c, participant, viewer.userId, now);
  } catch (err) {
    if (err instanceof AppError && err.kind !== 'unavailable') return { id, title, eligible: false, reason: reason(err.code, err.message, err.messageEn) };
    throw err;
  }
  return { id, title, eligible: true, participantId: participant.id, contract: c, participant };
}

/**
 * Checks of up to 1,000 contracts each (several statements per contract) per user: 30 a minute is far more than
 * selecting and confirming batches needs, and keeps one user from keeping the database busy with them.
 */
export const BATCH_CHECK_RULE: ThrottleRule = { max: 30, windowMs: 60_000, lockMs: 60_000 };

/**
 * The same for several ids (duplicates dropped, order kept); each contract read with its own EntityManager.
 * Counted against BATCH_CHECK_RULE first (429 BATCH_CHECK_RATE_LIMITED).
 */
export async function batchEligibilities(em: EntityManager, ids: readonly string[], viewer: ContractViewer, now = new Date()): Promise<Eligibility[]> {
  await takeAttemptOrRefuse(em, `batch-check:${viewer.userId}`, BATCH_CHECK_RULE, { code: 'BATCH_CHECK_RATE_LIMITED', message: '批量签署检查过于频繁，请稍后再试', messageEn: 'Too many batch-signing checks; try again later' }, now);
  const out: Eligibility[] = [];
  for (const id of [...new Set(ids)]) out.push(await batchEligibility(em.fork(), id, viewer, now));
  return out;
}

/** The API's answer for one contract (no rows). */
export function presentEligibility(e: Eligibility) {
  return e.eligible
    ? { id: e.id, title: e.title, eligible: true as const, participantId: e.participantId }
    : { id: e.id, title: e.title, eligible: false as const, reason: e.reason.code, message: e.reason.message, messageEn: e.reason.messageEn };
}
