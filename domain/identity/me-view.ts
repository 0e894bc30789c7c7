/**
 * Who the caller is (GET /api/auth/me, POST /api/auth/acting, the login and profile answers' `user`; the UIs import
 * the types): the account with its 实名 status labels, the enterprise the session acts for (切换至企业) with the
 * caller's role there, and the certified enterprises they can switch to.
 */
import type { EntityManager } from '@mikro-orm/core';
import { ROLE_LABELS } from '../enterprises/enterprise-roles';
import { EnterpriseSchema, type Enterprise } from '../enterprises/enterprise.entity';
import { MembershipSchema, type Membership } from '../enterprises/membership.entity';
import { REAL_NAME_LABELS } from './real-name';
import type { User } from './user.entity';

export const presentSessionUser = (u: User) => ({
  id: u.id,
  name: u.name,
  mobile: u.mobile,
  email: u.email,
  platformRole: u.platformRole,
  realNameStatus: u.realNameStatus,
  realNameLabel: REAL_NAME_LABELS[u.realNameStatus].zh,
  realNameLabelEn: REAL_NAME_LABELS[u.realNameStatus].en,
});
export type SessionUserView = ReturnType<typeof presentSessionUser>;

/** Who the caller is, whom they act as, and which enterprises they can switch to. */
export async function presentMe(em: EntityManager, user: User, acting: { enterprise: Enterprise; membership: Membership } | null) {
  const memberships = await em.find(MembershipSchema, { userId: user.id, status: 'active' });
  const enterprises = memberships.length ? await em.find(EnterpriseSchema, { id: { $in: memberships.map((m) => m.enterpriseId) }, status: 'certified' }) : [];
  return {
    user: presentSessionUser(user),
    acting: acting
      ? { enterpriseId: acting.enterprise.id, enterpriseName: acting.enterprise.name, role: acting.membership.role, roleLabel: ROLE_LABELS[acting.membership.role].zh, roleLabelEn: ROLE_LABELS[acting.membership.role].en }
      : null,
    enterprises: enterprises.map((e) => {
      const role = memberships.find((m) => m.enterpriseId === e.id)!.role;
      return { id: e.id, name: e.name, role, roleLabel: ROLE_LABELS[role].zh, roleLabelEn: ROLE_LABELS[role].en };
    }),
  };
}
export type MeView = Awaited<ReturnType<typeof presentMe>>;
