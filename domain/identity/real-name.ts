import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { z } from 'zod';
import { encryptSecret } from '../../integrations/ca/key-encryption';
import type { IdentityVerifier } from '../../integrations/identity/identity-verifier';
import { recordAudit, type AuditActor } from '../audit/record-audit';
import { claimContractInvitations } from '../contracts/invitations';
import { AppError, invalid, notFound } from '../errors';
import { conflictOnDuplicate, updateWhere } from '../persistence/concurrency';
import { maskIdNumber } from './masking';
import { RealNameApplicationSchema } from './real-name-application.entity';
import { UserSchema, type User } from './user.entity';
import { isValidChineseIdNumber, personName } from './validators';
import { refuseOwnReview } from '../platform/own-review';

export const realNameSchema = z.object({
  // The seal's rule (documents/seals/person-name.ts): every verified name can be stamped and signed.
  name: personName(),
  idNumber: z.string({ required_error: '请输入身份证号' }).trim().toUpperCase().refine((v) => isValidChineseIdNumber(v), '身份证号不正确（位数、校验码或出生日期有误）'),
});

export const REAL_NAME_LABELS = {
  unverified: { zh: '未认证', en: 'Not verified' },
  pending: { zh: '认证中', en: 'Pending review' },
  verified: { zh: '已认证', en: 'Verified' },
  rejected: { zh: '已驳回', en: 'Rejected' },
} as const;

const verificationPending = () => new AppError('conflict', 'VERIFICATION_PENDING', '实名认证审核中，请耐心等待', 'Your verification is being reviewed');

/** M2 个人实名认证: name + 居民身份证号 + the account's mobile go to the identity verifier. */
export async function submitRealName(em: EntityManager, verifier: IdentityVerifier, masterKey: string, user: User, input: z.infer<typeof realNameSchema>, actor: AuditActor) {
  if (user.realNameStatus === 'verified') throw new AppError('conflict', 'ALREADY_VERIFIED', '您已完成实名认证', 'You are already verified');
  if (user.realNameStatus === 'pending') throw verificationPending();
  const check = await verifier.check({ name: input.name, idNumber: input.idNumber, mobile: user.mobile });
  if (check.outcome === 'mismatch') throw invalid('IDENTITY_MISMATCH', check.reason ?? '身份信息核验不一致', 'The identity details do not match');
  // One application in review per person: the user's status is claimed (unverified / rejected → pending) in the
  // transaction that writes the application, so of two parallel submissions one is refused (two used to be
  // pending, and approving the second replaced an identity already verified).
  const application = await conflictOnDuplicate(() =>
    em.transactional(async (tx) => {
      const claimed = await updateWhere(tx, UserSchema, { id: user.id, realNameStatus: { $in: ['unverified', 'rejected'] } }, { realNameStatus: 'pending' });
      if (claimed !== 1) throw verificationPending();
      const fresh = await tx.findOneOrFail(UserSchema, { id: user.id }, { refresh: true });
      const created = tx.create(RealNameApplicationSchema, {
        id: randomUUID(),
        userId: user.id,
        name: input.name,
        idNumberEncrypted: encryptSecret(input.idNumber, masterKey),
        idNumberMasked: maskIdNumber(input.idNumber),
        mobile: user.mobile,
        status: 'pending',
        rejectReason: null,
        reviewedBy: null,
        reviewedAt: null,
        createdAt: new Date(),
      });
      recordAudit(tx, actor, { action: 'user.real_name_submitted', targetType: 'real_name', targetId: created.id, detail: { user: user.id, idNumber: created.idNumberMasked } });
      if (check.outcome === 'verified') decide(tx, created, fresh, { approve: true }, actor);
      return created;
    }),
  );
  await em.refresh(user);
  // Contracts this mobile number was invited to are now the verified user's (M21).
  if (check.outcome === 'verified') await claimContractInvitations(em, user, actor);
  return application;
}

function decide(em: EntityManager, application: { id: string; status: string; rejectReason: string | null; reviewedBy: string | null; reviewedAt: Date | null; name: string }, user: User, decision: { approve: boolean; reason?: string }, actor: AuditActor) {
  application.status = decision.approve ? 'approved' : 'rejected';
  application.rejectReason = decision.approve ? null : (decision.reason ?? null);
  application.reviewedBy = actor.id;
  application.reviewedAt = new Date();
  user.realNameStatus = decision.approve ? 'verified' : 'rejected';
  if (decision.approve) user.name = application.name;
  recordAudit(em, actor, {
    action: decision.approve ? 'user.real_name_approved' : 'user.real_name_rejected',
    targetType: 'real_name',
    targetId: application.id,
    detail: { user: user.id, reason: decision.reason ?? null },
  });
}

const SUPERSEDED = '该用户的实名认证已由其他申请决定，此申请不再有效';
const alreadyReviewed = () => new AppError('conflict', 'ALREADY_REVIEWED', '该申请已审核', 'This application was already reviewed');

/**
 * Platform operator review (embedded verifier: checksum + operator review). In one transaction
 * that first claims the application with `UPDATE … WHERE status = 'pending'`: of two operators
 * deciding at once, exactly one decides (the other gets ALREADY_REVIEWED).
 */
export async function reviewRealName(em: EntityManager, applicationId: string, decision: { approve: boolean; reason?: string }, actor: AuditActor) {
  const found = await em.findOne(RealNameApplicationSchema, { id: applicationId });
  if (!found) throw notFound('APPLICATION_NOT_FOUND', '认证申请不存在', 'Application not found');
  if (found.status !== 'pending') throw alreadyReviewed();
  await refuseOwnReview(em, actor.id, { applicantId: found.userId });
  if (!decision.approve && !decision.reason?.trim()) throw invalid('REASON_REQUIRED', '请填写驳回原因', 'Give a reason for the rejection');
  const { application, user, superseded } = await conflictOnDuplicate(() =>
    em.transactional(async (tx) => {
      const claimed = await updateWhere(tx, RealNameApplicationSchema, { id: applicationId, status: 'pending' }, { status: decision.approve ? 'approved' : 'rejected', reviewedBy: actor.id });
      if (claimed !== 1) throw alreadyReviewed();
      const application = await tx.findOneOrFail(RealNameApplicationSchema, { id: applicationId }, { refresh: true });
      const user = await tx.findOneOrFail(UserSchema, { id: application.userId }, { refresh: true });
      if (user.realNameStatus !== 'pending') {
        // Decided already by another application (rows from before one application in review was enforced):
        // this one closes as rejected and changes nothing of the person's verified identity.
        Object.assign(application, { status: 'rejected', rejectReason: SUPERSEDED, reviewedBy: actor.id, reviewedAt: new Date() });
        recordAudit(tx, actor, { action: 'user.real_name_rejected', targetType: 'real_name', targetId: application.id, detail: { user: user.id, reason: SUPERSEDED } });
        return { application, user, superseded: true };
      }
      decide(tx, application, user, decision, actor);
      return { application, user, superseded: false };
    }),
  );
  // Contracts this mobile number was invited to are now the verified user's (M21).
  if (decision.approve && !superseded) await claimContractInvitations(em, user, { id: user.id, name: user.name, ip: null });
  return application;
}
