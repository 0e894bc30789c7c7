/**
 * Separation of duties in the 管理后台: an operator never decides a case of their own. An operator
 * account is also an ordinary user (it may verify its real name, certify an enterprise, apply to
 * administer one), so every review checks, before it claims the application, that the reviewer is
 * neither the applicant nor a member (pending or active) of the enterprise the case is about. The
 * case then waits for another operator.
 */
import type { EntityManager } from '@mikro-orm/core';
import { AppError } from '../errors';
import { MembershipSchema } from '../enterprises/membership.entity';

export interface ReviewedCase {
  /** Who submitted it. */
  applicantId: string | null;
  /** The enterprise it is about, if any. */
  enterpriseId?: string | null;
}

export const ownReview = () => new AppError('forbidden', 'OWN_REVIEW', '不能审核本人或本人所在企业的申请，请由其他管理员审核', 'You cannot review your own application or one of an enterprise you belong to; another operator must review it');

/** Throws OWN_REVIEW (403) when `reviewerId` submitted the case or belongs to its enterprise (the system, null, reviews nothing of its own). */
export async function refuseOwnReview(em: EntityManager, reviewerId: string | null, reviewed: ReviewedCase): Promise<void> {
  if (reviewerId === null) return;
  if (reviewed.applicantId === reviewerId) throw ownReview();
  if (!reviewed.enterpriseId) return;
  const member = await em.count(MembershipSchema, { enterpriseId: reviewed.enterpriseId, userId: reviewerId, status: { $in: ['pending', 'active'] } });
  if (member > 0) throw ownReview();
}
