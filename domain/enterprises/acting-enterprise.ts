import type { EntityManager } from '@mikro-orm/core';
import { recordAudit, type AuditActor } from '../audit/record-audit';
import { AppError } from '../errors';
import type { Session } from '../identity/session.entity';
import type { User } from '../identity/user.entity';
import { EnterpriseSchema, type Enterprise } from './enterprise.entity';
import { MembershipSchema, type Membership } from './membership.entity';

/**
 * The enterprise a session acts for, if the user is still an active member of that certified
 * enterprise. A stale choice (removed member, transferred admin) quietly falls back to personal.
 */
export async function resolveActingEnterprise(em: EntityManager, session: Session, user: User): Promise<{ enterprise: Enterprise; membership: Membership } | null> {
  if (!session.actingEnterpriseId) return null;
  const membership = await em.findOne(MembershipSchema, { enterpriseId: session.actingEnterpriseId, userId: user.id, status: 'active' });
  const enterprise = membership ? await em.findOne(EnterpriseSchema, { id: session.actingEnterpriseId, status: 'certified' }) : null;
  if (!membership || !enterprise) {
    session.actingEnterpriseId = null;
    await em.flush();
    return null;
  }
  return { enterprise, membership };
}

/** 切换至个人 (null) or 切换至企业: only enterprises where the user is an active member. */
export async function switchIdentity(em: EntityManager, session: Session, user: User, enterpriseId: string | null, actor: AuditActor) {
  // Any id but null must name an enterprise the user is an active member of ('' included: it is no enterprise).
  if (enterpriseId !== null) {
    const membership = await em.findOne(MembershipSchema, { enterpriseId, userId: user.id, status: 'active' });
    const enterprise = membership ? await em.findOne(EnterpriseSchema, { id: enterpriseId, status: 'certified' }) : null;
    if (!membership || !enterprise) throw new AppError('not_found', 'ENTERPRISE_NOT_FOUND', '企业不存在或您不是该企业成员', 'Enterprise not found or you are not a member');
  }
  session.actingEnterpriseId = enterpriseId;
  recordAudit(em, actor, { action: 'auth.identity_switched', targetType: 'user', targetId: user.id, enterpriseId, detail: { to: enterpriseId ?? 'personal' } });
  await em.flush();
}
