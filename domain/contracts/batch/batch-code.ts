/**
 * 批量签署's 意愿认证 (M30): ONE SMS code for a batch of contracts.
 * - `requestBatchCode`: checks every contract (batch-eligibility.ts), records the batch with its
 *   eligible items, and sends a code whose subject names the batch and the hash of its exact
 *   contract set, to the user's current mobile. Same budgets as single signing codes (purpose
 *   `contract_sign`: per mobile and per IP per hour).
 * - `submitBatchCode`: only the user who asked may submit; the code is checked and spent by the
 *   challenge's conditional UPDATE (verification-codes.ts), then the batch moves
 *   `awaiting_code → confirmed` by a second conditional UPDATE whose affected-row count decides
 *   the one winner. A second submission (reuse, or a parallel double click) is refused: 409.
 * The 意愿认证 confirmation of each contract is created later, per item, by the batch workflow's
 * activity (batch-items.ts): a confirmed batch is the user's proof of intent for each of them.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import type { SmsSender } from '../../../integrations/sms';
import { recordAudit, type AuditActor } from '../../audit/record-audit';
import { AppError, notFound } from '../../errors';
import { UserSchema } from '../../identity/user.entity';
import { updateWhere } from '../../persistence/concurrency';
import { consumeVerificationCode, presentSentCode, sendVerificationCode, type CodeTarget, type SentCode } from '../../sms/verification-codes';
import type { ContractViewer } from '../contract-access';
import { batchEligibilities, presentEligibility, type Eligibility } from './batch-eligibility';
import { BatchSigningItemSchema, BatchSigningSchema, type BatchSigning } from './batch-signing.entity';

const SIGN_PURPOSE = 'contract_sign';

/** The contract set a code is bound to: SHA-256 over the sorted ids. */
export const contractSetHash = (contractIds: readonly string[]) => createHash('sha256').update([...contractIds].sort().join('\n')).digest('hex');

/** The code's subject names the batch and its contract set (128 bits of the set's hash: the column holds 100 characters). */
const batchTarget = (mobile: string, batchId: string, setHash: string): CodeTarget => ({ mobile, purpose: SIGN_PURPOSE, subject: `batch:${batchId}:${setHash.slice(0, 32)}` });

export const batchNotFound = () => notFound('BATCH_NOT_FOUND', '批量签署批次不存在', 'Batch not found');
export const batchAlreadySubmitted = () => new AppError('conflict', 'BATCH_ALREADY_SUBMITTED', '该批次已提交签署，验证码不能重复使用', 'This batch was already submitted; the code cannot be used again');
const noneEligible = () => new AppError('rejected', 'NO_ELIGIBLE_CONTRACTS', '所选合同均不能批量签署', 'None of the selected contracts can be signed in a batch');

type Actor = AuditActor & { id: string };

async function currentMobile(em: EntityManager, userId: string): Promise<string> {
  return (await em.findOneOrFail(UserSchema, { id: userId })).mobile;
}

/**
 * A sent batch code as POST /api/contracts/batch-sign/sms-code answers it (portal-ui imports the type): the batch,
 * every contract checked (eligible, or why not) and the sent code (verification-codes.ts presentSentCode).
 */
const presentBatchCode = (batchId: string, checked: readonly Eligibility[], mobile: string, sent: SentCode) => ({ batchId, items: checked.map(presentEligibility), ...presentSentCode(mobile, sent) });
export type BatchCodeView = ReturnType<typeof presentBatchCode>;

/** Checks the contracts, records the batch of the eligible ones and sends its one code. */
export async function requestBatchCode(em: EntityManager, sms: SmsSender, viewer: ContractViewer, actor: Actor, ids: readonly string[], now = new Date()): Promise<BatchCodeView> {
  const checked = await batchEligibilities(em, ids, viewer, now);
  const eligible = checked.filter((e) => e.eligible);
  if (eligible.length === 0) throw noneEligible();
  const batchId = randomUUID();
  const setHash = contractSetHash(eligible.map((e) => e.id));
  const mobile = await currentMobile(em, actor.id);
  const titles = eligible.slice(0, 2).map((e) => `《${e.title}》`).join('、');
  const what = eligible.length > 2 ? `${titles}等 ${eligible.length} 份合同` : titles;
  // Sent first: a refused send (budget, cooldown) leaves no batch behind; a code without its batch row checks out nowhere.
  const sent = await sendVerificationCode(em, sms, batchTarget(mobile, batchId, setHash), (code) => `【SealFlow】您正在批量签署${what}，验证码 ${code}，5 分钟内有效。如非本人操作请忽略。`, actor.ip, now);
  await em.transactional(async (tx) => {
    tx.create(BatchSigningSchema, { id: batchId, userId: actor.id, actingEnterpriseId: viewer.actingEnterpriseId, status: 'awaiting_code', setHash, itemCount: eligible.length, createdAt: now, confirmedAt: null, finishedAt: null, ip: actor.ip });
    await tx.flush(); // the items' foreign key needs the batch row first
    eligible.forEach((e, position) =>
      tx.create(BatchSigningItemSchema, { id: randomUUID(), batchId, contractId: e.id, participantId: e.participantId, position, state: 'queued', confirmationId: null, code: null, message: null, messageEn: null }),
    );
    recordAudit(tx, actor, { action: 'contract.batch_sms_code_sent', targetType: 'contract_batch', targetId: batchId, detail: { contracts: eligible.length } });
  });
  return presentBatchCode(batchId, checked, mobile, sent);
}

/** The user's own batch (another user's batch id is simply not found). */
export async function loadOwnBatch(em: EntityManager, batchId: string, userId: string): Promise<BatchSigning> {
  const batch = await em.findOne(BatchSigningSchema, { id: batchId, userId }, { refresh: true });
  if (!batch) throw batchNotFound();
  return batch;
}

/**
 * Checks and spends the batch's code: exactly one submission wins (two conditional UPDATEs, the
 * challenge's and the batch's). Returns the confirmed batch; the caller starts its workflow.
 */
export async function submitBatchCode(em: EntityManager, batchId: string, actor: Actor, code: string, now = new Date()): Promise<BatchSigning> {
  const batch = await loadOwnBatch(em, batchId, actor.id);
  if (batch.status !== 'awaiting_code') throw batchAlreadySubmitted();
  const items = await em.find(BatchSigningItemSchema, { batchId }, { fields: ['contractId'] });
  const setHash = contractSetHash(items.map((i) => i.contractId));
  if (setHash !== batch.setHash) throw new Error(`batch ${batchId}: items do not match the contract set the code was sent for`);
  try {
    await consumeVerificationCode(em, batchTarget(await currentMobile(em, actor.id), batch.id, setHash), code, now);
  } catch (err) {
    // The loser of two parallel submissions finds the code spent: it is the same answer as a reuse.
    if (err instanceof AppError && err.code === 'SMS_CODE_USED' && (await em.findOne(BatchSigningSchema, { id: batchId }, { refresh: true }))?.status !== 'awaiting_code') throw batchAlreadySubmitted();
    recordAudit(em, actor, { action: 'contract.batch_sms_code_failed', targetType: 'contract_batch', targetId: batchId, detail: { reason: err instanceof AppError ? err.code : 'error' } });
    await em.flush();
    throw err;
  }
  // The confirmation and its audit row commit together: committed alone, a failure before the audit row lost the
  // record that 意愿认证 passed for these contracts (a retry finds the batch confirmed and writes nothing).
  const won = await em.fork().transactional(async (tx) => {
    const n = await updateWhere(tx, BatchSigningSchema, { id: batchId, status: 'awaiting_code' }, { status: 'confirmed', confirmedAt: now, ip: actor.ip });
    if (n === 1) recordAudit(tx, actor, { action: 'contract.batch_willingness_confirmed', targetType: 'contract_batch', targetId: batchId, detail: { method: 'sms', contracts: items.length } });
    return n;
  });
  if (won !== 1) throw batchAlreadySubmitted();
  return loadOwnBatch(em, batchId, actor.id);
}
