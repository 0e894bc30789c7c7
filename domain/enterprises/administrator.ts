import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { recordAudit, type AuditActor } from '../audit/record-audit';
import { AppError } from '../errors';
import { concurrentChange, hold, type VersionHold } from '../persistence/concurrency';
import { EnterpriseSchema, type Enterprise } from './enterprise.entity';
import { MembershipSchema } from './membership.entity';
import { revokeAllSealAuthorizations } from './seal-authorizations';

/**
 * One administrator per enterprise: `newAdminId` becomes 管理员, the previous administrator
 * loses the role and leaves the enterprise (with their seal authorisations). Used by M3
 * (certification approval), M5 (operator-approved application) and M6 (transfer). The caller
 * flushes with `flushOrConflict`: the enterprise row carries an optimistic lock (`version`), so of
 * two concurrent replacements only one commits. `expectedPreviousId` (M6) refuses if the
 * administrator is no longer who the caller thinks.
 */
export async function replaceAdministrator(em: EntityManager, enterpriseId: string, newAdminId: string, actor: AuditActor, now = new Date(), expectedPreviousId?: string) {
  const enterprise = await em.findOneOrFail(EnterpriseSchema, { id: enterpriseId });
  const previousId = enterprise.adminUserId;
  if (expectedPreviousId !== undefined && previousId !== expectedPreviousId) throw concurrentChange();
  if (previousId && previousId !== newAdminId) {
    const previous = await em.findOne(MembershipSchema, { enterpriseId, userId: previousId, status: 'active' });
    if (previous) {
      previous.status = 'removed';
      previous.decidedAt = now;
      previous.decidedBy = actor.id;
      recordAudit(em, actor, { action: 'membership.removed', targetType: 'membership', targetId: previous.id, enterpriseId, detail: { user: previousId, reason: 'administrator replaced' } });
    }
    await revokeAllSealAuthorizations(em, enterpriseId, previousId, actor);
  }
  const membership = await em.findOne(MembershipSchema, { enterpriseId, userId: newAdminId, status: { $in: ['active', 'pending'] } });
  // The new administrator's membership changes too (created, promoted, or a pending application approved with it): audited as such.
  const before = membership ? { previousRole: membership.role, previousStatus: membership.status } : { created: true };
  // A member promoted stays a member since they joined (decidedAt: the console shows their addresses from then on).
  if (membership) Object.assign(membership, { role: 'admin', status: 'active', ...(membership.status === 'pending' ? { decidedAt: now, decidedBy: actor.id } : {}) });
  const adminMembership = membership ?? em.create(MembershipSchema, { id: randomUUID(), enterpriseId, userId: newAdminId, role: 'admin', businessTypes: '[]', status: 'active', message: null, rejectReason: null, appliedAt: now, decidedAt: now, decidedBy: actor.id });
  if (!membership || before.previousRole !== 'admin' || before.previousStatus !== 'active') {
    recordAudit(em, actor, { action: 'membership.became_admin', targetType: 'membership', targetId: adminMembership.id, enterpriseId, detail: { user: newAdminId, ...before } });
  }
  enterprise.adminUserId = newAdminId;
  return { previousAdminId: previousId };
}

/** The actor is no longer the enterprise's administrator: replaced since the request's access check (管理员申请 approved, 转让 completed). */
export const adminChanged = () =>
  new AppError('forbidden', 'ADMIN_CHANGED', '您已不是该企业的管理员，本次操作未生效', 'You are no longer the administrator of this enterprise; nothing was changed');

/**
 * A change made for the enterprise by its administrator (提交重新认证, 放弃变更, 变更企业名称, 开始重新认证, 变更法人):
 * `actor` must be the administrator on the enterprise row the change read (403 ADMIN_CHANGED), and the change
 * commits only while that still holds — it either writes the enterprise row itself (its `version`) or flushes
 * holding `administratorHold`. An administrator replaced meanwhile (`replaceAdministrator` bumps the version)
 * thereby changes nothing afterwards: whichever commits second fails (409).
 */
export function assertActsAsAdministrator(enterprise: Pick<Enterprise, 'adminUserId'>, actor: AuditActor): void {
  if (actor.id === null || enterprise.adminUserId !== actor.id) throw adminChanged();
}

/** The enterprise row as read, held by a change that does not write it, only while its administrator is still the one read (flushHoldingVersions). */
export const administratorHold = (enterprise: Enterprise): VersionHold => hold(EnterpriseSchema, enterprise, { adminUserId: enterprise.adminUserId });
