/**
 * The items of a confirmed batch (批量签署, M30), as the batch workflow's activities move them:
 * queued → signing → signed | failed. Each state change is a conditional UPDATE, so a retried
 * activity never moves an item backwards (a signed item stays signed).
 * - `prepareBatchItem`: re-checks the contract (batch-eligibility.ts: things may have changed since
 *   the code was sent) and creates the item's single-use 意愿认证 confirmation (once: a retry gets
 *   the same one, so the sign Update id `sign:<confirmationId>` is stable and Temporal answers a
 *   retried Update once) with its `willingness_confirmed` trail event;
 * - `recordBatchItemOutcome`, `finishBatch`, `batchProgress`.
 */
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { recordAudit, SYSTEM_ACTOR } from '../../audit/record-audit';
import { UserSchema } from '../../identity/user.entity';
import { updateWhere } from '../../persistence/concurrency';
import { ContractSchema } from '../contract.entity';
import { recordContractEvent } from '../trail/record-contract-event';
import { CONFIRMATION_SIGN_MS, WillingnessConfirmationSchema } from '../willingness-confirmation.entity';
import { batchEligibility, type EligibilityReason } from './batch-eligibility';
import { BatchSigningItemSchema, BatchSigningSchema, type BatchItemState, type BatchSigning, type BatchSigningItem } from './batch-signing.entity';

export interface PreparedItem {
  contractId: string;
  participantId: string;
  actorUserId: string;
  confirmationId: string;
}

export type PrepareResult = { ok: true; request: PreparedItem } | { ok: false; reason: EligibilityReason } | { ok: false; done: BatchItemState };

const NOT_CONFIRMED: EligibilityReason = { code: 'BATCH_NOT_CONFIRMED', message: '批次尚未完成意愿认证', messageEn: 'The batch has not been confirmed' };
const PARTICIPANT_CHANGED: EligibilityReason = { code: 'PARTICIPANT_CHANGED', message: '合同的签署方已变化，请在合同页签署', messageEn: 'The contract’s participants changed; sign it on its page' };

export async function loadBatch(em: EntityManager, batchId: string): Promise<BatchSigning> {
  return em.findOneOrFail(BatchSigningSchema, { id: batchId }, { refresh: true });
}

/** The ids of a batch's items, in the user's order. */
export async function batchContractIds(em: EntityManager, batchId: string): Promise<string[]> {
  const items = await em.find(BatchSigningItemSchema, { batchId }, { orderBy: { position: 'asc' }, fields: ['contractId'] });
  return items.map((i) => i.contractId);
}

/** Re-checks the contract and returns the sign request of the item (creating its confirmation once), or why it cannot be signed. */
export async function prepareBatchItem(em: EntityManager, batchId: string, contractId: string, now = new Date()): Promise<PrepareResult> {
  const batch = await loadBatch(em, batchId);
  if (batch.status === 'awaiting_code') return { ok: false, reason: NOT_CONFIRMED };
  const item = await em.findOneOrFail(BatchSigningItemSchema, { batchId, contractId }, { refresh: true });
  if (item.state === 'signed' || item.state === 'failed') return { ok: false, done: item.state };
  const request = (confirmationId: string): PrepareResult => ({ ok: true, request: { contractId, participantId: item.participantId, actorUserId: batch.userId, confirmationId } });
  // A retry after the confirmation was made: the same confirmation, the same Update id.
  if (item.confirmationId) return request(item.confirmationId);
  const checked = await batchEligibility(em, contractId, { userId: batch.userId, actingEnterpriseId: batch.actingEnterpriseId }, now);
  if (!checked.eligible) return { ok: false, reason: checked.reason };
  if (checked.participantId !== item.participantId) return { ok: false, reason: PARTICIPANT_CHANGED };
  const user = await em.findOneOrFail(UserSchema, { id: batch.userId });
  const id = randomUUID();
  const claimed = await em.transactional(async (tx) => {
    // The claim first: a concurrent attempt for the same item creates no second confirmation.
    const n = await updateWhere(tx, BatchSigningItemSchema, { id: item.id, confirmationId: null }, { confirmationId: id });
    if (n !== 1) return false;
    tx.create(WillingnessConfirmationSchema, { id, contractId, signerId: item.participantId, userId: batch.userId, method: 'sms', confirmedAt: batch.confirmedAt ?? now, usableUntil: new Date(now.getTime() + CONFIRMATION_SIGN_MS), usedAt: null, ip: batch.ip, codeHash: null });
    await recordContractEvent(tx, { id: user.id, name: user.name, ip: batch.ip }, { contractId, type: 'willingness_confirmed', payload: { participantId: item.participantId, name: checked.participant.name, method: 'sms' }, at: now });
    return true;
  });
  if (claimed) return request(id);
  const again = await em.findOneOrFail(BatchSigningItemSchema, { id: item.id }, { refresh: true });
  return request(again.confirmationId!);
}

/**
 * Moves an item to `state` (never out of signed; out of failed only to signed); returns whether it moved. `signed` is
 * only ever recorded for a signature that went through, and it is the truth: the item may have been recorded failed
 * while its sign Update was still in flight (the batch stopped: BATCH_ABORTED; the attempt timed out: SIGNING_TIMED_OUT).
 */
export async function recordBatchItemOutcome(em: EntityManager, batchId: string, contractId: string, state: BatchItemState, reason?: EligibilityReason): Promise<boolean> {
  const from: BatchItemState[] = state === 'signing' ? ['queued'] : state === 'signed' ? ['queued', 'signing', 'failed'] : ['queued', 'signing'];
  const set = { state, code: reason?.code ?? null, message: reason?.message ?? null, messageEn: reason?.messageEn ?? null, updatedAt: new Date() };
  return (await updateWhere(em, BatchSigningItemSchema, { batchId, contractId, state: { $in: from } }, set)) === 1;
}

/** The item's outcome if it has one ('signed' / 'failed'), else null. */
export async function settledItem(em: EntityManager, batchId: string, contractId: string): Promise<'signed' | 'failed' | null> {
  const item = await em.findOne(BatchSigningItemSchema, { batchId, contractId }, { fields: ['state'], refresh: true });
  return item?.state === 'signed' || item?.state === 'failed' ? item.state : null;
}

/** The code of an item the batch stopped before it was signed (reconcile-batches.ts BATCH_ABORTED). */
export const BATCH_ABORTED_CODE = 'BATCH_ABORTED';

/**
 * An item the batch gives up on (a refusal, its attempts used up, its chunk abandoned) — unless a
 * signature went through with its confirmation and only the answer was lost (the attempt timed out;
 * the contract's workflow then closed with that last signature, so the retry's Update found it
 * ended): that item is signed. Answers the outcome recorded.
 */
export async function recordBatchItemFailure(em: EntityManager, batchId: string, contractId: string, reason: EligibilityReason): Promise<'signed' | 'failed'> {
  const item = await em.findOne(BatchSigningItemSchema, { batchId, contractId }, { refresh: true });
  if (item?.confirmationId && (await em.count(WillingnessConfirmationSchema, { id: item.confirmationId, usedAt: { $ne: null } }))) {
    await recordBatchItemOutcome(em, batchId, contractId, 'signed');
    return 'signed';
  }
  await recordBatchItemOutcome(em, batchId, contractId, 'failed', reason);
  return 'failed';
}

/** Marks the batch started (confirmed → running); false if it already was. */
export async function markBatchRunning(em: EntityManager, batchId: string): Promise<boolean> {
  return (await updateWhere(em, BatchSigningSchema, { id: batchId, status: 'confirmed' }, { status: 'running' })) === 1;
}

/**
 * Every item has an outcome: the batch is done. The closing and its audit row (contract.batch_finished, with the
 * counts) commit together, written only by the call that closed it (a retried activity or a reconciler pass after
 * it writes nothing).
 */
export async function finishBatch(em: EntityManager, batchId: string, now = new Date()): Promise<{ signed: number; failed: number }> {
  await em.fork().transactional(async (tx) => {
    const closed = await updateWhere(tx, BatchSigningSchema, { id: batchId, status: { $in: ['confirmed', 'running'] } }, { status: 'done', finishedAt: now });
    if (closed !== 1) return;
    const { userId } = await tx.findOneOrFail(BatchSigningSchema, { id: batchId }, { fields: ['userId'] });
    recordAudit(tx, SYSTEM_ACTOR, { action: 'contract.batch_finished', targetType: 'contract_batch', targetId: batchId, detail: { userId, ...(await batchOutcome(tx, batchId)) } });
  });
  return batchOutcome(em, batchId);
}

/** How many of the batch's items ended signed and failed (as stored: items changed natively may be loaded in `em`). */
export async function batchOutcome(em: EntityManager, batchId: string): Promise<{ signed: number; failed: number }> {
  const items = await em.find(BatchSigningItemSchema, { batchId }, { fields: ['state'], refresh: true });
  return { signed: items.filter((i) => i.state === 'signed').length, failed: items.filter((i) => i.state === 'failed').length };
}

export interface BatchProgressItem {
  id: string;
  title: string;
  state: BatchItemState;
  code?: string;
  message?: string;
  messageEn?: string;
}

/**
 * What the progress endpoint shows: the batch's status, the count of each state (one aggregate
 * query), and the items in the user's order — all of them, or with `since` only those changed at
 * or after it (a 1,000-contract batch polled every second must not re-read and re-send every row).
 * `cursor` is the latest change seen, for the next call. Clocks of several workers may differ a
 * little, so a client that finds its merged items disagree with `counts` asks for all of them again.
 */
export async function batchProgress(em: EntityManager, batch: BatchSigning, since?: Date) {
  const counts = { queued: 0, signing: 0, signed: 0, failed: 0 };
  let cursor: Date | null = null;
  const totals = (await em
    .getConnection()
    .execute('select state, count(*) as n, max(updated_at) as last from batch_signing_items where batch_id = ? group by state', [batch.id], 'all', em.getTransactionContext())) as {
    state: BatchItemState;
    n: number | string;
    last: Date | number | string | null;
  }[];
  for (const row of totals) {
    counts[row.state] = Number(row.n);
    const last = row.last === null ? null : new Date(typeof row.last === 'string' && /^\d+$/.test(row.last) ? Number(row.last) : row.last);
    if (last && !Number.isNaN(last.getTime()) && (!cursor || last > cursor)) cursor = last;
  }
  const items: BatchSigningItem[] = await em.find(
    BatchSigningItemSchema,
    { batchId: batch.id, ...(since ? { updatedAt: { $gte: since } } : {}) },
    { orderBy: { position: 'asc' }, refresh: true },
  );
  const contracts = items.length ? await em.find(ContractSchema, { id: { $in: items.map((i) => i.contractId) } }, { fields: ['id', 'title'] }) : [];
  const titles = new Map(contracts.map((c) => [c.id, c.title]));
  return {
    batchId: batch.id,
    status: batch.status,
    counts,
    /** The latest change (ISO); pass it as `since` next time. */
    cursor: cursor?.toISOString() ?? null,
    /** `items` is the whole batch (false: only the items changed since `since`). */
    complete: !since,
    items: items.map(
      (i): BatchProgressItem => ({ id: i.contractId, title: titles.get(i.contractId) ?? '', state: i.state, ...(i.code ? { code: i.code, message: i.message ?? '', messageEn: i.messageEn ?? '' } : {}) }),
    ),
  };
}
