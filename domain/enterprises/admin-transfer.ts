import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import type { SmsSender } from '../../integrations/sms';
import { recordAudit, SYSTEM_ACTOR, type AuditActor } from '../audit/record-audit';
import { AppError, notFound } from '../errors';
import { UserSchema, type User } from '../identity/user.entity';
import { hashCode } from '../sms/code-rules';
import { consumeVerificationCodeHash, sendVerificationCode } from '../sms/verification-codes';
import { replaceAdministrator } from './administrator';
import { AdminTransferSchema, CodeSubmissionSchema, type AdminTransfer } from './admin-change.entities';
import type { Enterprise } from './enterprise.entity';
import { MembershipSchema } from './membership.entity';

/**
 * M6 转让管理员. The AdminTransferWorkflow orchestrates; these are the steps its activities run.
 * Codes are generated and checked here (inside activities): the workflow only ever sees the id
 * of a CodeSubmission, never a code.
 */
export type TransferParty = 'admin' | 'target';

const codeSubject = (transferId: string, party: TransferParty) => `admin-transfer:${transferId}:${party}`;

/** API side: create the transfer row after checking the target; the workflow is started by the caller. */
export async function createTransfer(em: EntityManager, enterprise: Enterprise, admin: User, targetMembershipId: string, deadline: Date, actor: AuditActor): Promise<AdminTransfer> {
  const running = await em.findOne(AdminTransferSchema, { enterpriseId: enterprise.id, status: { $in: ['awaiting_admin_code', 'awaiting_target_code'] } });
  if (running) throw new AppError('conflict', 'TRANSFER_RUNNING', '已有进行中的管理员转让', 'An administrator transfer is already in progress');
  const target = await em.findOne(MembershipSchema, { id: targetMembershipId, enterpriseId: enterprise.id, status: 'active' });
  if (!target) throw notFound('MEMBER_NOT_FOUND', '成员不存在', 'Member not found');
  if (target.userId === admin.id) throw new AppError('rejected', 'TRANSFER_TO_SELF', '不能转让给自己', 'You cannot transfer to yourself');
  const targetUser = await em.findOneOrFail(UserSchema, { id: target.userId });
  if (targetUser.realNameStatus !== 'verified') throw new AppError('rejected', 'TARGET_NOT_VERIFIED', '受让人尚未完成实名认证', 'The new administrator must be real-name verified');
  const t = em.create(AdminTransferSchema, { id: randomUUID(), enterpriseId: enterprise.id, fromUserId: admin.id, toUserId: target.userId, status: 'awaiting_admin_code', deadline, createdAt: new Date(), finishedAt: null });
  recordAudit(em, actor, { action: 'admin.transfer_started', targetType: 'admin_transfer', targetId: t.id, enterpriseId: enterprise.id, detail: { to: target.userId, deadline: deadline.toISOString() } });
  await em.flush();
  return t;
}

/** Activity: send the confirmation code to the party whose turn it is. */
export async function sendTransferCode(em: EntityManager, sms: SmsSender, transferId: string, party: TransferParty) {
  const t = await em.findOneOrFail(AdminTransferSchema, { id: transferId });
  const user = await em.findOneOrFail(UserSchema, { id: party === 'admin' ? t.fromUserId : t.toUserId });
  const text = party === 'admin' ? (code: string) => `【SealFlow】您正在转让企业管理员，验证码 ${code}，5 分钟内有效。` : (code: string) => `【SealFlow】您被指定为企业管理员，确认接受请输入验证码 ${code}，5 分钟内有效。`;
  await sendVerificationCode(em, sms, { mobile: user.mobile, purpose: 'admin_transfer', subject: codeSubject(t.id, party) }, text);
  recordAudit(em, SYSTEM_ACTOR, { action: 'admin.transfer_code_sent', targetType: 'admin_transfer', targetId: t.id, enterpriseId: t.enterpriseId, detail: { party } });
  await em.flush();
}

/** API side: keep what the user typed as a hash; the workflow gets only the submission id. */
export async function recordCodeSubmission(em: EntityManager, t: AdminTransfer, party: TransferParty, user: User, code: string, ip: string | null): Promise<string> {
  const subject = codeSubject(t.id, party);
  const s = em.create(CodeSubmissionSchema, { id: randomUUID(), userId: user.id, subject, codeHash: hashCode(subject, code.trim()), ip, createdAt: new Date() });
  await em.flush();
  return s.id;
}

/** Activity: check a submitted code for a party. Returns an error message for the user, or null if it checked out. */
export async function checkTransferCode(em: EntityManager, transferId: string, party: TransferParty, submissionId: string): Promise<{ ok: true } | { ok: false; code: string; message: string; messageEn: string }> {
  const t = await em.findOneOrFail(AdminTransferSchema, { id: transferId });
  const submission = await em.findOne(CodeSubmissionSchema, { id: submissionId, subject: codeSubject(t.id, party) });
  const expectedUser = party === 'admin' ? t.fromUserId : t.toUserId;
  if (!submission || submission.userId !== expectedUser) return { ok: false, code: 'NOT_YOUR_STEP', message: '当前不是您的确认步骤', messageEn: 'This confirmation step is not yours' };
  const user = await em.findOneOrFail(UserSchema, { id: expectedUser });
  try {
    await consumeVerificationCodeHash(em, { mobile: user.mobile, purpose: 'admin_transfer', subject: codeSubject(t.id, party) }, submission.codeHash);
  } catch (err) {
    if (err instanceof AppError) {
      recordAudit(em, SYSTEM_ACTOR, { action: 'admin.transfer_code_failed', targetType: 'admin_transfer', targetId: t.id, enterpriseId: t.enterpriseId, detail: { party, reason: err.code } });
      await em.flush();
      return { ok: false, code: err.code, message: err.message, messageEn: err.messageEn };
    }
    throw err;
  }
  if (party === 'admin') {
    t.status = 'awaiting_target_code';
    recordAudit(em, { id: user.id, name: user.name, ip: submission.ip }, { action: 'admin.transfer_confirmed', targetType: 'admin_transfer', targetId: t.id, enterpriseId: t.enterpriseId });
    await em.flush();
  }
  return { ok: true };
}

/** Activity: the target accepted; swap administrators (the old one leaves the enterprise). */
export async function completeTransfer(em: EntityManager, transferId: string) {
  const t = await em.findOneOrFail(AdminTransferSchema, { id: transferId });
  if (t.status === 'completed') return;
  const target = await em.findOneOrFail(UserSchema, { id: t.toUserId });
  const acceptance = await em.findOne(CodeSubmissionSchema, { subject: codeSubject(t.id, 'target'), userId: t.toUserId }, { orderBy: { createdAt: 'desc' } });
  const actor = { id: target.id, name: target.name, ip: acceptance?.ip ?? null };
  await replaceAdministrator(em, t.enterpriseId, t.toUserId, actor);
  t.status = 'completed';
  t.finishedAt = new Date();
  recordAudit(em, actor, { action: 'admin.transfer_completed', targetType: 'admin_transfer', targetId: t.id, enterpriseId: t.enterpriseId, detail: { from: t.fromUserId, to: t.toUserId } });
  await em.flush();
}

/** Activity: the deadline passed or the administrator cancelled; nothing changes hands. */
export async function endTransfer(em: EntityManager, transferId: string, outcome: 'expired' | 'cancelled') {
  const t = await em.findOneOrFail(AdminTransferSchema, { id: transferId });
  if (t.status === 'completed' || t.status === 'expired' || t.status === 'cancelled') return;
  t.status = outcome;
  t.finishedAt = new Date();
  recordAudit(em, SYSTEM_ACTOR, { action: outcome === 'expired' ? 'admin.transfer_expired' : 'admin.transfer_cancelled', targetType: 'admin_transfer', targetId: t.id, enterpriseId: t.enterpriseId });
  await em.flush();
}
