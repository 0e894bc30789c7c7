import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { z } from 'zod';
import type { DocumentStore } from '../../integrations/storage/document-store';
import { recordAudit, type AuditActor } from '../audit/record-audit';
import { AppError, invalid, notFound } from '../errors';
import { changeAtomically, flushOrConflict } from '../persistence/concurrency';
import { UserSchema, type User } from '../identity/user.entity';
import { replaceAdministrator } from './administrator';
import { commitOrDropLetter, storeAuthorizationLetter } from './authorization-letter';
import { AdminApplicationSchema } from './admin-change.entities';
import { EnterpriseSchema } from './enterprise.entity';
import { MembershipSchema } from './membership.entity';
import { refuseOwnReview } from '../platform/own-review';
import { noHiddenCharacters } from '../text/safe-text';

export const adminApplicationSchema = z.object({
  reason: z.string({ required_error: '请填写申请理由' }).trim().min(2, '请填写申请理由').max(500, '申请理由不能超过 500 字').superRefine(noHiddenCharacters('申请理由', { labelEn: 'The reason', multiline: true })),
});

const applicationPending = () => new AppError('conflict', 'APPLICATION_PENDING', '您已提交管理员申请，请等待审核', 'Your application is waiting for review');

/** M5 申请已认证企业管理员: an active member applies with an authorisation letter; a platform operator reviews. */
export async function applyForAdministrator(em: EntityManager, store: DocumentStore, enterpriseId: string, user: User, reason: string, letter: Uint8Array | undefined, actor: AuditActor) {
  const enterprise = await em.findOne(EnterpriseSchema, { id: enterpriseId, status: 'certified' });
  if (!enterprise) throw notFound('ENTERPRISE_NOT_FOUND', '企业不存在或尚未认证', 'Enterprise not found or not certified');
  if (enterprise.adminUserId === user.id) throw new AppError('conflict', 'ALREADY_ADMIN', '您已是该企业管理员', 'You are already the administrator');
  // A member applies (我加入的企业): no one puts themselves forward for an enterprise they do not belong to. Checked at the
  // submission only: the administrator the application would replace could otherwise block it by removing the applicant.
  if (!(await em.findOne(MembershipSchema, { enterpriseId, userId: user.id, status: 'active' }))) {
    throw new AppError('forbidden', 'NOT_A_MEMBER', '只有该企业的成员可以申请成为管理员，请先申请加入企业', 'Only members of this enterprise may apply to become its administrator; apply to join it first');
  }
  if (await em.findOne(AdminApplicationSchema, { enterpriseId, userId: user.id, status: 'pending' })) throw applicationPending();
  const stored = await storeAuthorizationLetter(store, user.id, letter);
  const a = em.create(AdminApplicationSchema, {
    id: randomUUID(),
    enterpriseId,
    userId: user.id,
    reason,
    authorizationLetterKey: stored.key,
    authorizationLetterType: stored.type,
    status: 'pending',
    rejectReason: null,
    reviewedBy: null,
    reviewedAt: null,
    createdAt: new Date(),
  });
  recordAudit(em, actor, { action: 'admin.application_submitted', targetType: 'admin_application', targetId: a.id, enterpriseId, detail: { user: user.id } });
  // One pending application per user and enterprise (unique live key): a parallel twin loses here and its letter goes.
  await commitOrDropLetter(store, stored.key, () => flushOrConflict(em, applicationPending));
  return a;
}

/** Operator decision; on approval the applicant becomes 管理员 and the previous one leaves the enterprise. */
export async function reviewAdministratorApplication(em: EntityManager, id: string, decision: { approve: boolean; reason?: string }, actor: AuditActor) {
  return changeAtomically(em, async () => {
    const a = await em.findOne(AdminApplicationSchema, { id });
    if (!a) throw notFound('APPLICATION_NOT_FOUND', '申请不存在', 'Application not found');
    if (a.status !== 'pending') throw new AppError('conflict', 'ALREADY_REVIEWED', '该申请已审核', 'This application was already reviewed');
    await refuseOwnReview(em, actor.id, { applicantId: a.userId, enterpriseId: a.enterpriseId });
    if (!decision.approve && !decision.reason?.trim()) throw invalid('REASON_REQUIRED', '请填写驳回原因', 'Give a reason for the rejection');
    a.status = decision.approve ? 'approved' : 'rejected';
    a.rejectReason = decision.approve ? null : decision.reason!.trim();
    a.reviewedBy = actor.id;
    a.reviewedAt = new Date();
    if (decision.approve) {
      // Re-checked at the decision, not only at submission: the applicant may have lost 实名认证, the enterprise its certification.
      const applicant = await em.findOne(UserSchema, { id: a.userId }, { refresh: true });
      if (applicant?.realNameStatus !== 'verified') throw new AppError('conflict', 'APPLICANT_NOT_VERIFIED', '申请人当前未完成实名认证，不能成为管理员', 'The applicant is not real-name verified now and cannot become administrator');
      const enterprise = await em.findOne(EnterpriseSchema, { id: a.enterpriseId }, { refresh: true });
      if (enterprise?.status !== 'certified') throw new AppError('conflict', 'ENTERPRISE_NOT_CERTIFIED', '该企业当前不是已认证状态', 'The enterprise is not certified now');
      await replaceAdministrator(em, a.enterpriseId, a.userId, actor);
    }
    recordAudit(em, actor, {
      action: decision.approve ? 'admin.application_approved' : 'admin.application_rejected',
      targetType: 'admin_application',
      targetId: a.id,
      enterpriseId: a.enterpriseId,
      detail: { user: a.userId, reason: a.rejectReason },
    });
    await flushOrConflict(em); // a concurrent review of the same application loses on its version
    return a;
  });
}
