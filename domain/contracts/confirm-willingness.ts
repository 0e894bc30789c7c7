import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import type { SmsSender } from '../../integrations/sms';
import { recordAudit, type AuditActor } from '../audit/record-audit';
import { AppError } from '../errors';
import { UserSchema } from '../identity/user.entity';
import { hashCode } from '../sms/code-rules';
import { consumeVerificationCode, presentSentCode, sendVerificationCode, type CodeTarget, type SentCodeView } from '../sms/verification-codes';
import type { ContractWithSigners } from './contract-access';
import type { ContractSigner } from './contract-signer.entity';
import { recordContractEvent } from './trail/record-contract-event';
import { refuseSign, type SignerTurnView } from './signing-order';
import { WillingnessConfirmationSchema } from './willingness-confirmation.entity';

const SIGN_PURPOSE = 'contract_sign';
/** How long an unused confirmation can be picked up again by the same code (a retried request). */
export const CONFIRMATION_REUSE_MS = 10 * 60_000;

function turnView(c: ContractWithSigners): SignerTurnView[] {
  return c.signers.map((s) => ({ signerId: s.id, userId: s.userId, order: s.order, signed: s.status === 'signed' }));
}

/** Whether the contract is past its expiry (voided as expired, or still 签署中 with the time passed). */
export const isExpired = (c: ContractWithSigners, now = new Date()) => c.contract.voidReason === 'expired' || (c.contract.status === 'in_progress' && c.contract.expiresAt <= now);

/** Throws the same refusal the workflow's Update validator would (one rule: signing-order.ts), before any code is sent or checked. */
export function assertMaySign(c: ContractWithSigners, userId: string, now = new Date()) {
  const refusal = refuseSign({ inProgress: c.contract.status === 'in_progress', expired: isExpired(c, now), signers: turnView(c) }, userId);
  if (refusal) throw new AppError(refusal.code === 'NOT_A_SIGNER' ? 'forbidden' : 'rejected', refusal.code, refusal.message, refusal.messageEn);
  return c.signers.find((s) => s.userId === userId && s.status === 'pending')!;
}

const target = (c: ContractWithSigners, mobile: string): CodeTarget => ({ mobile, purpose: SIGN_PURPOSE, subject: `contract:${c.contract.id}` });

/** Codes go to the signer's CURRENT mobile (not the number recorded when the contract started). */
async function currentMobile(em: EntityManager, userId: string): Promise<string> {
  return (await em.findOneOrFail(UserSchema, { id: userId })).mobile;
}

/**
 * A sent 意愿认证 code as POST /api/contracts/:id/sms-code answers it (portal-ui imports the type; a v2 contract's
 * answer also names the participant): every code send's answer, verification-codes.ts presentSentCode.
 */
export type SigningCodeView = SentCodeView;

/** 意愿认证, step 1: send a code to the signer's own (current) mobile. */
export async function requestSigningCode(em: EntityManager, sms: SmsSender, c: ContractWithSigners, actor: AuditActor & { id: string }) {
  const signer = assertMaySign(c, actor.id);
  const mobile = await currentMobile(em, actor.id);
  const sent = await sendVerificationCode(em, sms, target(c, mobile), (code) => `【SealFlow】您正在签署《${c.contract.title}》，验证码 ${code}，5 分钟内有效。如非本人操作请忽略。`, actor.ip);
  recordAudit(em, actor, { action: 'contract.sms_code_sent', targetType: 'contract', targetId: c.contract.id, detail: { order: signer.order } });
  await em.flush();
  return presentSentCode(mobile, sent);
}

/**
 * 意愿认证, step 2: check the code; on success a single-use confirmation the signing activity
 * consumes (its id is the sign Update's id, so a retry attaches to the same Update).
 *
 * The same request sent again with the same code — after Temporal was unreachable (503), after
 * 202 "正在处理", or after a refusal that did not use the confirmation — gets the SAME unused
 * confirmation back instead of "code already used": the code is spent only by a signature. A
 * wrong code in that situation clears the reusable hash (one guess, no brute force).
 */
export async function confirmSigningCode(em: EntityManager, c: ContractWithSigners, actor: AuditActor & { id: string }, code: string, now = new Date()): Promise<string> {
  const signer = assertMaySign(c, actor.id, now);
  return confirmCode(em, c, signer.id, actor, target(c, await currentMobile(em, actor.id)), code, now, async (tx) => {
    recordAudit(tx, actor, { action: 'contract.willingness_confirmed', targetType: 'contract', targetId: c.contract.id, detail: { method: 'sms', order: signer.order } });
    await tx.flush();
  });
}

/** Checks the code for `signerId` (a v1 signer or a v2 participant); `recordConfirmed` writes the event with the confirmation. */
async function confirmCode(
  em: EntityManager,
  c: ContractWithSigners,
  signerId: string,
  actor: AuditActor & { id: string },
  t: CodeTarget,
  code: string,
  now: Date,
  recordConfirmed: (tx: EntityManager) => Promise<void>,
): Promise<string> {
  const submittedHash = hashCode(t.subject, code.trim());
  try {
    await consumeVerificationCode(em, t, code, now);
  } catch (err) {
    if (err instanceof AppError && (err.code === 'SMS_CODE_MISSING' || err.code === 'SMS_CODE_USED')) {
      const pending = await em.find(
        WillingnessConfirmationSchema,
        { signerId, userId: actor.id, usedAt: null, codeHash: { $ne: null }, confirmedAt: { $gt: new Date(now.getTime() - CONFIRMATION_REUSE_MS) } },
        { orderBy: { confirmedAt: 'desc' } },
      );
      // One guess between all requests: the comparison is a conditional statement. A code that does not
      // match clears the hash in the same UPDATE that compares it; a matching one is taken only while its
      // hash is still there. (Compared in memory, a burst of parallel guesses each got a comparison.)
      const matching = pending.filter((p) => p.codeHash === submittedHash);
      for (const p of matching) {
        if (await em.count(WillingnessConfirmationSchema, { id: p.id, usedAt: null, codeHash: submittedHash })) return p.id;
      }
      if (pending.length) await em.nativeUpdate(WillingnessConfirmationSchema, { id: { $in: pending.map((p) => p.id) }, codeHash: { $ne: null, $nin: [submittedHash] } }, { codeHash: null });
    }
    recordAudit(em, actor, { action: 'contract.sms_code_failed', targetType: 'contract', targetId: c.contract.id, detail: { reason: err instanceof AppError ? err.code : 'error' } });
    await em.flush();
    throw err;
  }
  const id = randomUUID();
  await em.transactional(async (tx) => {
    tx.create(WillingnessConfirmationSchema, { id, contractId: c.contract.id, signerId, userId: actor.id, method: 'sms', confirmedAt: now, usedAt: null, ip: actor.ip, codeHash: submittedHash });
    await recordConfirmed(tx);
  });
  return id;
}

/** v2 codes are per participant: one user may act for two participants of a contract (themselves and their enterprise). */
const participantSubject = (c: ContractWithSigners, participantId: string) => `contract:${c.contract.id}:${participantId}`;
const participantTarget = (c: ContractWithSigners, participant: ContractSigner, mobile: string): CodeTarget => ({ mobile, purpose: SIGN_PURPOSE, subject: participantSubject(c, participant.id) });

/**
 * Whether a v2 signature of this user with this very code has committed: a confirmation of theirs for the contract
 * (for `participantId` when given), made with the code within the reuse window, is the participant's latest used one.
 * A repeated request (the 202's "send the same request again", or a retry after an answer that was lost) then answers
 * the contract as it is instead of a refusal of a signature that succeeded (ALREADY_SIGNED, SMS_CODE_USED). A read: it
 * spends nothing and tells the user only what the contract shows them.
 */
export async function signedWithCode(em: EntityManager, c: ContractWithSigners, userId: string, participantId: string | undefined, code: string, now = new Date()): Promise<boolean> {
  const used = await em.find(
    WillingnessConfirmationSchema,
    { contractId: c.contract.id, userId, usedAt: { $ne: null }, codeHash: { $ne: null }, confirmedAt: { $gt: new Date(now.getTime() - CONFIRMATION_REUSE_MS) }, ...(participantId ? { signerId: participantId } : {}) },
    { fields: ['signerId', 'codeHash', 'usedAt'], orderBy: { usedAt: 'desc', id: 'asc' }, disableIdentityMap: true },
  );
  // Only a participant's latest signature: an older round's code sent again (继续签署) is not this request repeated.
  const latest = new Map<string, string | null>();
  for (const u of used) if (!latest.has(u.signerId)) latest.set(u.signerId, u.codeHash);
  return [...latest].some(([signerId, codeHash]) => codeHash === hashCode(participantSubject(c, signerId), code.trim()));
}

/**
 * 意愿认证 for a v2 participant, step 1: a code to the acting user's own (current) mobile. The caller
 * resolved the participant and checked that the user may act for it now (acting-participant.ts).
 */
export async function requestParticipantCode(em: EntityManager, sms: SmsSender, c: ContractWithSigners, participant: ContractSigner, actor: AuditActor & { id: string }) {
  const mobile = await currentMobile(em, actor.id);
  const who = participant.kind === 'person' ? '' : `代“${participant.name}”`;
  const sent = await sendVerificationCode(em, sms, participantTarget(c, participant, mobile), (code) => `【SealFlow】您正在${who}签署《${c.contract.title}》，验证码 ${code}，5 分钟内有效。如非本人操作请忽略。`, actor.ip);
  await em.transactional((tx) => recordContractEvent(tx, actor, { contractId: c.contract.id, type: 'sms_code_sent', payload: { participantId: participant.id, name: participant.name } }));
  return presentSentCode(mobile, sent);
}

/** 意愿认证 for a v2 participant, step 2: the confirmation the sign Update carries (same reuse rules as v1). */
export async function confirmParticipantCode(em: EntityManager, c: ContractWithSigners, participant: ContractSigner, actor: AuditActor & { id: string }, code: string, now = new Date()): Promise<string> {
  const t = participantTarget(c, participant, await currentMobile(em, actor.id));
  return confirmCode(em, c, participant.id, actor, t, code, now, (tx) =>
    recordContractEvent(tx, actor, { contractId: c.contract.id, type: 'willingness_confirmed', payload: { participantId: participant.id, name: participant.name, method: 'sms' }, at: now }),
  );
}

/**
 * After a signature attempt failed for a retryable reason (SIGNING_UNAVAILABLE: the infrastructure
 * failed and nothing was committed), the same code must get a FRESH attempt, not the remembered
 * outcome of the failed Update (whose id derives from the confirmation). The unused confirmation is
 * replaced by a copy with a new id; its reuse window is not extended. The old one is marked superseded in the
 * same conditional statement: an attempt of the failed request that is still running (the workflow answered
 * 暂不可用 because it could not tell) then cannot use it, so of the two only one signature commits — that
 * attempt's, if it used the confirmation first (then no copy is made), or the retry's.
 */
export async function renewConfirmation(em: EntityManager, confirmationId: string, now = new Date()): Promise<void> {
  const old = await em.findOne(WillingnessConfirmationSchema, { id: confirmationId, usedAt: null, supersededAt: null });
  if (!old?.codeHash) return;
  await em.transactional(async (tx) => {
    const n = await tx.nativeUpdate(WillingnessConfirmationSchema, { id: old.id, usedAt: null, supersededAt: null, codeHash: old.codeHash }, { codeHash: null, supersededAt: now });
    if (n === 1) tx.create(WillingnessConfirmationSchema, { ...old, id: randomUUID(), supersededAt: null });
  });
}
