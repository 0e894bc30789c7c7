import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { recordAudit, type AuditActor } from '../audit/record-audit';
import { concurrentChange } from '../persistence/concurrency';
import { EnterpriseSchema } from './enterprise.entity';
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
  // A member promoted stays a member since they joined (decidedAt: the console shows their addresses from then on).
  if (membership) Object.assign(membership, { role: 'admin', status: 'active', ...(membership.status === 'pending' ? { decidedAt: now, decidedBy: actor.id } : {}) });
  else {
    em.create(MembershipSchema, { id: randomUUID(), enterpriseId, userId: newAdminId, role: 'admin', businessTypes: '[]', status: 'active', message: null, rejectReason: null, appliedAt: now, decidedAt: now, decidedBy: actor.id });
  }
  enterprise.adminUserId = newAdminId;
  return { previousAdminId: previousId };
}
