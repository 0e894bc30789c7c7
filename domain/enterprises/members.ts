import type { EntityManager } from '@mikro-orm/core';
import { z } from 'zod';
import { recordAudit, type AuditActor } from '../audit/record-audit';
import { AppError, invalid, notFound } from '../errors';
import { changeAtomically, flushHoldingVersions } from '../persistence/concurrency';
import { maskMobile } from '../identity/masking';
import { UserSchema, type User } from '../identity/user.entity';
import { getSetting } from '../platform/settings';
import { ASSIGNABLE_ROLES, MEMBERSHIP_STATUS_LABELS, ROLE_LABELS } from './enterprise-roles';
import type { Enterprise } from './enterprise.entity';
import { MembershipSchema, type MemberRole, type Membership } from './membership.entity';
import { actingHold, revokeAllSealAuthorizations, sealGrantHolds, setSealAuthorizations, type Granter } from './seal-authorizations';
import { SealAuthorizationSchema, SealSchema, type Seal } from './seal.entities';
import { givingBackCodesOnConflict } from '../sms/verification-codes';
import { noHiddenCharacters } from '../text/safe-text';

export const memberTermsSchema = z.object({
  /** Not needed (and ignored) for the 管理员's own membership. */
  role: z.enum(ASSIGNABLE_ROLES, { errorMap: () => ({ message: '角色只能是印章管理员或普通成员' }) }).optional(),
  businessTypes: z.array(z.string()).max(20).default([]),
  sealIds: z.array(z.string()).max(50).default([]),
  code: z.string().trim().regex(/^\d{6}$/, '验证码为 6 位数字').optional(),
});
export type MemberTerms = z.infer<typeof memberTermsSchema>;

export const rejectSchema = z.object({
  reason: z.string({ required_error: '请填写驳回原因' }).trim().min(1, '请填写驳回原因').max(500, '驳回原因不能超过 500 字').superRefine(noHiddenCharacters('驳回原因', { labelEn: 'The reason', multiline: true })),
});

async function assertBusinessTypes(em: EntityManager, codes: string[]) {
  const allowed = (await getSetting(em, 'businessTypes')).map((t) => t.code);
  const unknown = codes.filter((c) => !allowed.includes(c));
  if (unknown.length) throw invalid('UNKNOWN_BUSINESS_TYPE', `不支持的业务类型：${unknown.join('、')}`, `Unknown business types: ${unknown.join(', ')}`);
}

/** Loads a membership of the acting enterprise; another enterprise's ids are simply not found. */
async function loadOfEnterprise(em: EntityManager, enterprise: Enterprise, membershipId: string, status: Membership['status']) {
  const m = await em.findOne(MembershipSchema, { id: membershipId, enterpriseId: enterprise.id, status });
  if (!m) throw notFound(status === 'pending' ? 'APPLICATION_NOT_FOUND' : 'MEMBER_NOT_FOUND', status === 'pending' ? '申请不存在或已处理' : '成员不存在', status === 'pending' ? 'Application not found or already handled' : 'Member not found');
  return m;
}

/** Sets the member's role, 业务类型 and seal authorisations; answers the seals granted anew. */
async function applyTerms(em: EntityManager, enterprise: Enterprise, m: Membership, terms: MemberTerms, granter: Granter, actor: AuditActor): Promise<{ grantedSeals: Seal[]; sealsChanged: boolean }> {
  await assertBusinessTypes(em, terms.businessTypes);
  const { grantedSeals, changed: sealsChanged } = await setSealAuthorizations(em, { enterpriseId: enterprise.id, userId: m.userId, sealIds: terms.sealIds, granter: granter.user, code: terms.code, actor });
  if (m.role !== 'admin') {
    // the 管理员 role changes only by transfer (M5, M6)
    if (!terms.role) throw invalid('ROLE_REQUIRED', '请选择角色', 'Choose a role');
    m.role = terms.role;
  }
  m.businessTypes = JSON.stringify([...new Set(terms.businessTypes)]);
  return { grantedSeals, sealsChanged };
}

/** Only the 管理员 appoints 印章管理员 (a seal admin approving an application gives the member role; editing members is the admin's). */
export const sealAdminByAdminOnly = () =>
  new AppError('forbidden', 'SEAL_ADMIN_BY_ADMIN_ONLY', '只有企业管理员可以任命印章管理员', 'Only the enterprise administrator can appoint seal administrators');

/**
 * M10 approve a join application with role, 业务类型 and seal authorisations (the latter need the granter's SMS code).
 * The approver is the enterprise's 管理员 or a 印章管理员 (`granterMembership`, as the access check read it), and must
 * still be when the approval commits.
 */
export async function approveJoin(em: EntityManager, enterprise: Enterprise, membershipId: string, terms: MemberTerms, granter: User, actor: AuditActor, granterMembership: Membership) {
  const appointsSealAdmin = terms.role === 'seal_admin';
  if (appointsSealAdmin && granterMembership.role !== 'admin') throw sealAdminByAdminOnly();
  return givingBackCodesOnConflict(em, () => changeAtomically(em, async () => {
    const m = await loadOfEnterprise(em, enterprise, membershipId, 'pending');
    const by = { user: granter, membership: granterMembership };
    const { grantedSeals } = await applyTerms(em, enterprise, m, terms, by, actor);
    m.status = 'active';
    m.decidedAt = new Date();
    m.decidedBy = granter.id;
    recordAudit(em, actor, { action: 'membership.approved', targetType: 'membership', targetId: m.id, enterpriseId: enterprise.id, detail: { user: m.userId, role: m.role, businessTypes: terms.businessTypes, seals: terms.sealIds.length } });
    const roles: MemberRole[] = appointsSealAdmin ? ['admin'] : ['admin', 'seal_admin'];
    await flushHoldingVersions(em, sealGrantHolds({ granter: by, roles, seals: grantedSeals, writes: m }));
    return m;
  }));
}

/** M10 reject a join application; the approver (`granter`: 管理员 or 印章管理员, as the access check read them) must still be when it commits. */
export async function rejectJoin(em: EntityManager, enterprise: Enterprise, membershipId: string, reason: string, granter: Granter, actor: AuditActor) {
  return changeAtomically(em, async () => {
    const m = await loadOfEnterprise(em, enterprise, membershipId, 'pending');
    Object.assign(m, { status: 'rejected', rejectReason: reason, decidedAt: new Date(), decidedBy: granter.user.id });
    recordAudit(em, actor, { action: 'membership.rejected', targetType: 'membership', targetId: m.id, enterpriseId: enterprise.id, detail: { user: m.userId, reason } });
    await flushHoldingVersions(em, [actingHold(granter.membership, ['admin', 'seal_admin'])]);
    return m;
  });
}

/** M11 edit a member's role, 业务类型 and seal authorisations; the 管理员 (`granterMembership`, as the access check read it) must still be when the change commits. */
export async function updateMember(em: EntityManager, enterprise: Enterprise, membershipId: string, terms: MemberTerms, granter: User, actor: AuditActor, granterMembership: Membership) {
  return givingBackCodesOnConflict(em, () => changeAtomically(em, async () => {
    const m = await loadOfEnterprise(em, enterprise, membershipId, 'active');
    const before = { role: m.role, businessTypes: m.businessTypes };
    const by = { user: granter, membership: granterMembership };
    const { grantedSeals, sealsChanged } = await applyTerms(em, enterprise, m, terms, by, actor);
    const membershipWritten = m.role !== before.role || m.businessTypes !== before.businessTypes;
    // Audited only when something changed: the same role, 业务类型 and seals saved again write no row.
    if (membershipWritten || sealsChanged) {
      recordAudit(em, actor, { action: 'membership.updated', targetType: 'membership', targetId: m.id, enterpriseId: enterprise.id, detail: { user: m.userId, role: m.role, businessTypes: terms.businessTypes, seals: terms.sealIds.length } });
    }
    // New seal rights must not outlive a removal running at the same time: when the membership row itself is not written, hold it.
    await flushHoldingVersions(em, sealGrantHolds({ granter: by, roles: ['admin'], member: grantedSeals.length ? m : undefined, seals: grantedSeals, writes: membershipWritten ? m : undefined }));
    return m;
  }));
}

/** M11 remove a member; their seal authorisations go with them, and a 经办人 naming them lapses (participant-actor.ts `namedOperatorOf`). The administrator cannot be removed. */
/** M11 remove a member (and their seal authorisations); the 管理员 (`removerMembership`, as the access check read it) must still be when it commits. */
export async function removeMember(em: EntityManager, enterprise: Enterprise, membershipId: string, actor: AuditActor, removerMembership: Membership) {
  return changeAtomically(em, async () => {
    const m = await loadOfEnterprise(em, enterprise, membershipId, 'active');
    if (m.role === 'admin') throw new AppError('conflict', 'CANNOT_REMOVE_ADMIN', '不能移除管理员，请先转让管理员', 'The administrator cannot be removed; transfer the role first');
    m.status = 'removed';
    m.decidedAt = new Date();
    m.decidedBy = actor.id;
    await revokeAllSealAuthorizations(em, enterprise.id, m.userId, actor);
    recordAudit(em, actor, { action: 'membership.removed', targetType: 'membership', targetId: m.id, enterpriseId: enterprise.id, detail: { user: m.userId } });
    await flushHoldingVersions(em, [actingHold(removerMembership)]);
    return m;
  });
}

/** Members or applications of an enterprise as the console shows them. */
export async function listMemberships(em: EntityManager, enterpriseId: string, status: 'active' | 'pending') {
  const rows = await em.find(MembershipSchema, { enterpriseId, status }, { orderBy: { appliedAt: 'asc' } });
  const users = rows.length ? await em.find(UserSchema, { id: { $in: rows.map((r) => r.userId) } }) : [];
  const auths = rows.length ? await em.find(SealAuthorizationSchema, { enterpriseId, userId: { $in: rows.map((r) => r.userId) } }) : [];
  const seals = await em.find(SealSchema, { enterpriseId });
  return rows.map((m) => {
    const u = users.find((x) => x.id === m.userId);
    const mine = auths.filter((a) => a.userId === m.userId);
    return {
      id: m.id,
      userId: m.userId,
      name: u?.name ?? '',
      mobileMasked: u ? maskMobile(u.mobile) : '',
      realNameStatus: u?.realNameStatus ?? 'unverified',
      role: m.role,
      roleLabel: ROLE_LABELS[m.role].zh,
      roleLabelEn: ROLE_LABELS[m.role].en,
      businessTypes: JSON.parse(m.businessTypes) as string[],
      sealIds: mine.map((a) => a.sealId),
      sealNames: mine.map((a) => seals.find((s) => s.id === a.sealId)?.name ?? a.sealId),
      status: m.status,
      statusLabel: MEMBERSHIP_STATUS_LABELS[m.status].zh,
      message: m.message,
      appliedAt: m.appliedAt.toISOString(),
      decidedAt: m.decidedAt?.toISOString() ?? null,
    };
  });
}
/** A member or a join application as GET /console/members, …/join-applications and a member's edit send it (JSON); the console imports the type. */
export type MemberView = Awaited<ReturnType<typeof listMemberships>>[number];
