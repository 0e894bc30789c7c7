/**
 * An enterprise as the portal and consoles see it (我的企业, 企业认证审核, 企业管理) and the rows of GET /my/enterprises:
 * JSON, instants as ISO strings. The portal and the console import these types rather than keeping copies.
 */
import type { EntityManager } from '@mikro-orm/core';
import { getSetting } from '../platform/settings';
import type { AdminApplication, AdminTransfer } from './admin-change.entities';
import { EnterpriseChangeSchema, OPEN_CHANGE_STATUSES } from './enterprise-change.entity';
import { ENTERPRISE_STATUS_LABELS, MEMBERSHIP_STATUS_LABELS, ROLE_LABELS } from './enterprise-roles';
import type { Enterprise } from './enterprise.entity';
import type { Membership } from './membership.entity';

/** An enterprise as the portal and consoles see it. */
export async function presentEnterprises(em: EntityManager, rows: Enterprise[]) {
  const sealTypes = await getSetting(em, 'sealTypes');
  // 待重新认证 (issue 9): the open re-certification of each enterprise that has one.
  const recertifying = rows.filter((e) => e.standing === 'recertifying').map((e) => e.id);
  const openChanges = recertifying.length ? await em.find(EnterpriseChangeSchema, { enterpriseId: { $in: recertifying }, kind: 'rename', status: { $in: OPEN_CHANGE_STATUSES } }) : [];
  return rows.map((e) => {
    const open = openChanges.find((c) => c.enterpriseId === e.id);
    const applied = JSON.parse(e.appliedSealTypes) as string[];
    return {
      id: e.id,
      name: e.name,
      uscc: e.uscc,
      legalRepresentative: e.legalRepresentative,
      status: e.status,
      statusLabel: ENTERPRISE_STATUS_LABELS[e.status].zh,
      statusLabelEn: ENTERPRISE_STATUS_LABELS[e.status].en,
      rejectReason: e.rejectReason,
      sealTypes: applied,
      sealTypeNames: applied.map((c) => sealTypes.find((t) => t.code === c)?.name ?? c),
      certifierUserId: e.certifierUserId,
      adminUserId: e.adminUserId,
      submittedAt: e.submittedAt.toISOString(),
      certifiedAt: e.certifiedAt?.toISOString() ?? null,
      standing: e.standing,
      openChange: open ? { id: open.id, status: open.status, newValue: open.newValue } : null,
    };
  });
}

export async function presentEnterprise(em: EntityManager, e: Enterprise) {
  return (await presentEnterprises(em, [e]))[0]!;
}
export type EnterpriseView = Awaited<ReturnType<typeof presentEnterprise>>;

/** GET /my/enterprises: a membership of mine (pending, active or rejected) with its enterprise and my 管理员 application's status. */
export function joinedEnterpriseView(m: Membership, e: Enterprise | undefined, adminApplications: AdminApplication[]) {
  return {
    membershipId: m.id,
    enterpriseId: m.enterpriseId,
    enterpriseName: e?.name ?? '',
    uscc: e?.uscc ?? '',
    role: m.role,
    roleLabel: ROLE_LABELS[m.role].zh,
    roleLabelEn: ROLE_LABELS[m.role].en,
    status: m.status,
    statusLabel: MEMBERSHIP_STATUS_LABELS[m.status].zh,
    statusLabelEn: MEMBERSHIP_STATUS_LABELS[m.status].en,
    rejectReason: m.rejectReason,
    appliedAt: m.appliedAt.toISOString(),
    adminApplicationStatus: adminApplications.find((a) => a.enterpriseId === m.enterpriseId)?.status ?? null,
  };
}
export type JoinedEnterpriseView = ReturnType<typeof joinedEnterpriseView>;

/** GET /my/enterprises: an application of mine to become an enterprise's administrator. */
export function myAdminApplicationView(a: AdminApplication) {
  return { id: a.id, enterpriseId: a.enterpriseId, status: a.status, rejectReason: a.rejectReason, createdAt: a.createdAt.toISOString() };
}
export type MyAdminApplicationView = ReturnType<typeof myAdminApplicationView>;

/** GET /my/enterprises: a running 转让管理员 I hand over (`admin`) or take (`target`), and whether a code is due from me. */
export function pendingTransferView(t: AdminTransfer, userId: string, transferEnterprises: Enterprise[]) {
  return {
    id: t.id,
    enterpriseId: t.enterpriseId,
    enterpriseName: transferEnterprises.find((e) => e.id === t.enterpriseId)?.name ?? '',
    role: t.fromUserId === userId ? ('admin' as const) : ('target' as const),
    status: t.status,
    myTurn: (t.status === 'awaiting_admin_code' && t.fromUserId === userId) || (t.status === 'awaiting_target_code' && t.toUserId === userId),
    deadline: t.deadline.toISOString(),
  };
}
export type PendingTransferView = ReturnType<typeof pendingTransferView>;

/** GET /my/enterprises (我的企业). `isAdministrator`: the console's 信息管理 / 转让管理员 are mine. */
export interface MyEnterprisesView {
  certified: Array<EnterpriseView & { isAdministrator: boolean }>;
  joined: JoinedEnterpriseView[];
  adminApplications: MyAdminApplicationView[];
  pendingTransfers: PendingTransferView[];
}
