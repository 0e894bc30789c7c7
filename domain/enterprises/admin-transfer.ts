import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import type { SmsSender } from '../../integrations/sms';
import { recordAudit, SYSTEM_ACTOR, type AuditActor } from '../audit/record-audit';
import { AppError, notFound } from '../errors';
import { UserSchema, type User } from '../identity/user.entity';
import { changeAtomically, flushHoldingVersions, flushOrConflict, hold, isConcurrentChange, retryOnDeadlock } from '../persistence/concurrency';
import { hashCode } from '../sms/code-rules';
import { SmsChallengeSchema } from '../sms/sms.entities';
import { consumeVerificationCodeHash, sendVerificationCode } from '../sms/verification-codes';
import { replaceAdministrator } from './administrator';
import { AdminTransferSchema, CodeSubmissionSchema, RUNNING_TRANSFER_STATUSES, type AdminTransfer } from './admin-change.entities';
import { EnterpriseSchema, type Enterprise } from './enterprise.entity';
import { MembershipSchema } from './membership.entity';

/**
 * M6 转让管理员. The AdminTransferWorkflow orchestrates; these are the steps its activities run.
 * Codes are generated and checked here (inside activities): the workflow only ever sees the id
 * of a CodeSubmission, never a code. Temporal is not used here: the API and the activities call in.
 */
export type TransferParty = 'admin' | 'target';

/**
 * A code confirmation as POST /api/admin-transfers/:id/confirm answers it (portal-ui imports the type): the transfer's
 * step after it — the new administrator's turn, or completed (a refused completion is an error, not a step).
 */
export const presentTransferConfirmation = (step: AdminTransfer['status']) => ({ step });
export type TransferConfirmationView = ReturnType<typeof presentTransferConfirmation>;
export type TransferEndOutcome = 'expired' | 'cancelled' | 'failed';

/** Why a transfer ended without completing; shown to users and kept in the row and the audit trail. */
export const TRANSFER_END_REASONS: Record<string, { zh: string; en: string }> = {
  SMS_FAILED: { zh: '验证码短信发送失败', en: 'The confirmation code could not be sent' },
  ADMIN_CHANGED: { zh: '发起人已不是企业管理员', en: 'The initiator is no longer the administrator' },
  TARGET_NOT_MEMBER: { zh: '受让人已不是企业成员', en: 'The new administrator is no longer a member' },
  TARGET_NOT_VERIFIED: { zh: '受让人未完成实名认证', en: 'The new administrator is not real-name verified' },
  TARGET_REMOVED: { zh: '受让人已被移出企业', en: 'The new administrator was removed from the enterprise' },
  COMPLETION_FAILED: { zh: '转让执行失败', en: 'The transfer could not be carried out' },
  ACCEPTED_AFTER_DEADLINE: { zh: '受让人的确认在转让截止时间之后才完成，转让已过期', en: 'The acceptance completed after the transfer\'s deadline; the transfer expired' },
  WORKFLOW_START_FAILED: { zh: '转让流程启动失败', en: 'The transfer process could not be started' },
  PROCESS_ENDED: { zh: '转让流程已被终止', en: 'The transfer process was ended' },
};

const codeSubject = (transferId: string, party: TransferParty) => `admin-transfer:${transferId}:${party}`;
const running = (t: AdminTransfer) => RUNNING_TRANSFER_STATUSES.includes(t.status);
const transferRunning = () => new AppError('conflict', 'TRANSFER_RUNNING', '已有进行中的管理员转让', 'An administrator transfer is already in progress');

/**
 * Why `toUserId` cannot become administrator of the enterprise now, or null if they can: the one
 * rule used when a transfer starts and again when it completes.
 */
async function partiesProblem(em: EntityManager, t: Pick<AdminTransfer, 'enterpriseId' | 'fromUserId' | 'toUserId'>): Promise<string | null> {
  const enterprise = await em.findOne(EnterpriseSchema, { id: t.enterpriseId }, { refresh: true });
  if (!enterprise || enterprise.status !== 'certified' || enterprise.adminUserId !== t.fromUserId) return 'ADMIN_CHANGED';
  const member = await em.findOne(MembershipSchema, { enterpriseId: t.enterpriseId, userId: t.toUserId, status: 'active' }, { refresh: true });
  if (!member) return 'TARGET_NOT_MEMBER';
  const target = await em.findOne(UserSchema, { id: t.toUserId }, { refresh: true });
  if (target?.realNameStatus !== 'verified') return 'TARGET_NOT_VERIFIED';
  return null;
}

/**
 * API side: create the transfer row after checking the target; the workflow is started by the caller.
 * `enterprise` is the row as the access check read it: held at the write while `admin` is still its
 * administrator, so an administrator replaced meanwhile starts nothing (409) and cannot block the
 * successor's transfers with a running one.
 */
export async function createTransfer(em: EntityManager, enterprise: Enterprise, admin: User, targetMembershipId: string, deadline: Date, actor: AuditActor): Promise<AdminTransfer> {
  const runningOne = await em.findOne(AdminTransferSchema, { enterpriseId: enterprise.id, status: { $in: RUNNING_TRANSFER_STATUSES } });
  if (runningOne) throw transferRunning();
  const target = await em.findOne(MembershipSchema, { id: targetMembershipId, enterpriseId: enterprise.id, status: 'active' });
  if (!target) throw notFound('MEMBER_NOT_FOUND', '成员不存在', 'Member not found');
  if (target.userId === admin.id) throw new AppError('rejected', 'TRANSFER_TO_SELF', '不能转让给自己', 'You cannot transfer to yourself');
  const targetUser = await em.findOneOrFail(UserSchema, { id: target.userId });
  if (targetUser.realNameStatus !== 'verified') throw new AppError('rejected', 'TARGET_NOT_VERIFIED', '受让人尚未完成实名认证', 'The new administrator must be real-name verified');
  const t = em.create(AdminTransferSchema, {
    id: randomUUID(),
    enterpriseId: enterprise.id,
    fromUserId: admin.id,
    toUserId: target.userId,
    status: 'awaiting_admin_code',
    deadline,
    createdAt: new Date(),
    finishedAt: null,
    endReason: null,
  });
  recordAudit(em, actor, { action: 'admin.transfer_started', targetType: 'admin_transfer', targetId: t.id, enterpriseId: enterprise.id, detail: { to: target.userId, deadline: deadline.toISOString() } });
  // Two parallel starts: the unique live key or the enterprise's version lets one through; the other is told why.
  try {
    await flushHoldingVersions(em, [hold(EnterpriseSchema, enterprise, { adminUserId: admin.id, status: 'certified' })], transferRunning);
  } catch (err) {
    if (isConcurrentChange(err) && (await em.fork().count(AdminTransferSchema, { enterpriseId: enterprise.id, status: { $in: RUNNING_TRANSFER_STATUSES } }))) throw transferRunning();
    throw err;
  }
  return t;
}

/** The row's status while it is `party`'s turn to confirm. */
const turnOf = (party: TransferParty): AdminTransfer['status'] => (party === 'admin' ? 'awaiting_admin_code' : 'awaiting_target_code');

/**
 * Activity: send the confirmation code to the party whose turn it is. When the row is past that
 * party's turn (a workflow reset by an operator re-runs the first code after the administrator
 * confirmed, or after the transfer ended), nothing is sent and the row's status (and end reason) is
 * answered: the workflow adopts it.
 */
export async function sendTransferCode(em: EntityManager, sms: SmsSender, transferId: string, party: TransferParty): Promise<{ sent: boolean; status: AdminTransfer['status']; endReason: string | null }> {
  const t = await em.findOneOrFail(AdminTransferSchema, { id: transferId });
  if (t.status !== turnOf(party)) return { sent: false, status: t.status, endReason: t.endReason };
  const user = await em.findOneOrFail(UserSchema, { id: party === 'admin' ? t.fromUserId : t.toUserId });
  const text = party === 'admin' ? (code: string) => `【SealFlow】您正在转让企业管理员，验证码 ${code}，5 分钟内有效。` : (code: string) => `【SealFlow】您被指定为企业管理员，确认接受请输入验证码 ${code}，5 分钟内有效。`;
  await sendVerificationCode(em, sms, { mobile: user.mobile, purpose: 'admin_transfer', subject: codeSubject(t.id, party) }, text);
  recordAudit(em, SYSTEM_ACTOR, { action: 'admin.transfer_code_sent', targetType: 'admin_transfer', targetId: t.id, enterpriseId: t.enterpriseId, detail: { party } });
  await em.flush();
  return { sent: true, status: t.status, endReason: t.endReason };
}

/** API side: keep what the user typed as a hash; the workflow gets only the submission id. */
export async function recordCodeSubmission(em: EntityManager, t: AdminTransfer, party: TransferParty, user: User, code: string, ip: string | null): Promise<string> {
  const subject = codeSubject(t.id, party);
  const s = em.create(CodeSubmissionSchema, { id: randomUUID(), userId: user.id, subject, codeHash: hashCode(subject, code.trim()), ip, createdAt: new Date() });
  await em.flush();
  return s.id;
}

/** The party's step was confirmed with this very code: the newest challenge of its subject was consumed and has this hash. */
async function appliedSubmission(em: EntityManager, t: AdminTransfer, party: TransferParty, codeHash: string): Promise<boolean> {
  const latest = await em.findOne(SmsChallengeSchema, { purpose: 'admin_transfer', subject: codeSubject(t.id, party) }, { orderBy: { createdAt: 'desc', id: 'desc' } });
  return !!latest?.consumedAt && latest.codeHash === codeHash;
}

/** Activity: check a submitted code for a party. Returns an error message for the user, or ok. */
export async function checkTransferCode(em: EntityManager, transferId: string, party: TransferParty, submissionId: string): Promise<{ ok: true } | { ok: false; code: string; message: string; messageEn: string }> {
  const t = await em.findOneOrFail(AdminTransferSchema, { id: transferId });
  const submission = await em.findOne(CodeSubmissionSchema, { id: submissionId, subject: codeSubject(t.id, party) });
  const expectedUser = party === 'admin' ? t.fromUserId : t.toUserId;
  if (!submission || submission.userId !== expectedUser) return { ok: false, code: 'NOT_YOUR_STEP', message: '当前不是您的确认步骤', messageEn: 'This confirmation step is not yours' };
  const user = await em.findOneOrFail(UserSchema, { id: expectedUser });
  // The same confirmation again (an activity retried after its commit, or a reset workflow re-running it): the
  // consumed challenge says it happened (the target's acceptance leaves the row's status as it was); what is
  // left of it (the administrator's step on the row) is done now.
  if (!(await appliedSubmission(em, t, party, submission.codeHash))) {
    try {
      await consumeVerificationCodeHash(em, { mobile: user.mobile, purpose: 'admin_transfer', subject: codeSubject(t.id, party) }, submission.codeHash);
    } catch (err) {
      if (err instanceof AppError) {
        recordAudit(em, { id: user.id, name: user.name, ip: submission.ip }, { action: 'admin.transfer_code_failed', targetType: 'admin_transfer', targetId: t.id, enterpriseId: t.enterpriseId, detail: { party, reason: err.code } });
        await em.flush();
        return { ok: false, code: err.code, message: err.message, messageEn: err.messageEn };
      }
      throw err;
    }
  }
  if (party === 'admin' && t.status === turnOf('admin')) {
    t.status = 'awaiting_target_code';
    recordAudit(em, { id: user.id, name: user.name, ip: submission.ip }, { action: 'admin.transfer_confirmed', targetType: 'admin_transfer', targetId: t.id, enterpriseId: t.enterpriseId });
    await em.flush();
  }
  return { ok: true };
}

/**
 * Activity: the target accepted. Re-checks that the old administrator still is one and the
 * target still an active, verified member; then swaps administrators (the old one leaves the
 * enterprise). If the re-check fails, the transfer ends as failed with the reason.
 * A concurrent change of the same rows — a grant or removal by the old administrator (it holds their membership), a
 * signature reading the enterprise — loses this attempt its optimistic lock or makes it a deadlock victim (409
 * CONCURRENT_CHANGE): it is read and checked again from the start, rather than ending a transfer both parties
 * confirmed as failed.
 */
export async function completeTransfer(em: EntityManager, transferId: string): Promise<{ ok: true } | { ok: false; reason: string }> {
  return retryOnDeadlock(() => completeTransferOnce(em.fork(), transferId), 4, isConcurrentChange);
}

async function completeTransferOnce(em: EntityManager, transferId: string): Promise<{ ok: true } | { ok: false; reason: string }> {
  return changeAtomically(em, async () => {
    const t = await em.findOneOrFail(AdminTransferSchema, { id: transferId });
    if (t.status === 'completed') return { ok: true };
    if (!running(t)) return { ok: false, reason: t.endReason ?? 'COMPLETION_FAILED' };
    const problem = await partiesProblem(em, t);
    if (problem) {
      await endTransfer(em, transferId, 'failed', problem);
      return { ok: false, reason: problem };
    }
    const target = await em.findOneOrFail(UserSchema, { id: t.toUserId });
    const acceptance = await em.findOne(CodeSubmissionSchema, { subject: codeSubject(t.id, 'target'), userId: t.toUserId }, { orderBy: { createdAt: 'desc' } });
    const actor = { id: target.id, name: target.name, ip: acceptance?.ip ?? null };
    await replaceAdministrator(em, t.enterpriseId, t.toUserId, actor, new Date(), t.fromUserId);
    Object.assign(t, { status: 'completed', finishedAt: new Date() });
    recordAudit(em, actor, { action: 'admin.transfer_completed', targetType: 'admin_transfer', targetId: t.id, enterpriseId: t.enterpriseId, detail: { from: t.fromUserId, to: t.toUserId } });
    await flushOrConflict(em);
    return { ok: true };
  });
}

/**
 * Activity: where the row stands (status, end reason), read fresh. A workflow cancelled from Temporal UI reads
 * it after ending the transfer: a completion that committed before the cancellation won is adopted.
 */
export async function readTransferEnd(em: EntityManager, transferId: string): Promise<{ status: AdminTransfer['status']; endReason: string | null }> {
  const t = await em.findOneOrFail(AdminTransferSchema, { id: transferId }, { refresh: true });
  return { status: t.status, endReason: t.endReason };
}

const END_ACTIONS = { expired: 'admin.transfer_expired', cancelled: 'admin.transfer_cancelled', failed: 'admin.transfer_failed' } as const;

/**
 * Activity (and API when the workflow cannot start): the transfer ends without changes. Idempotent. `cancelledBy`:
 * the user who cancelled it (the administrator's 取消), audited as the actor; otherwise the ending is 系统's
 * (deadline, removal of the target, a failure, the reconciler).
 */
export async function endTransfer(em: EntityManager, transferId: string, outcome: TransferEndOutcome, reason: string | null = null, cancelledBy: string | null = null) {
  const t = await em.findOneOrFail(AdminTransferSchema, { id: transferId }, { refresh: true });
  if (!running(t)) return;
  const canceller = cancelledBy ? await em.findOne(UserSchema, { id: cancelledBy }) : null;
  const actor: AuditActor = canceller ? { id: canceller.id, name: canceller.name, ip: null } : SYSTEM_ACTOR;
  Object.assign(t, { status: outcome, finishedAt: new Date(), endReason: reason });
  recordAudit(em, actor, { action: END_ACTIONS[outcome], targetType: 'admin_transfer', targetId: t.id, enterpriseId: t.enterpriseId, detail: reason ? { reason } : undefined });
  await flushOrConflict(em);
}
