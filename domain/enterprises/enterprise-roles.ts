import type { MemberRole } from './membership.entity';

export const MEMBER_ROLES: readonly MemberRole[] = ['admin', 'seal_admin', 'member'];

/** Roles an admin may hand out when approving or editing members (there is only one 管理员). */
export const ASSIGNABLE_ROLES = ['seal_admin', 'member'] as const;

export const ROLE_LABELS: Record<MemberRole, { zh: string; en: string }> = {
  admin: { zh: '管理员', en: 'Administrator' },
  seal_admin: { zh: '印章管理员', en: 'Seal administrator' },
  member: { zh: '普通成员', en: 'Member' },
};

/** The enterprise console (企业控制台) is for the administrator and seal administrators. */
export const canUseConsole = (role: MemberRole | undefined | null) => role === 'admin' || role === 'seal_admin';

export const ENTERPRISE_STATUS_LABELS = {
  pending: { zh: '认证中', en: 'Pending review' },
  certified: { zh: '已认证', en: 'Certified' },
  rejected: { zh: '已驳回', en: 'Rejected' },
  cancelled: { zh: '已撤销', en: 'Cancelled' },
} as const;

export const MEMBERSHIP_STATUS_LABELS = {
  pending: { zh: '待审核', en: 'Pending' },
  active: { zh: '已加入', en: 'Member' },
  rejected: { zh: '已驳回', en: 'Rejected' },
  withdrawn: { zh: '已撤回', en: 'Withdrawn' },
  removed: { zh: '已移除', en: 'Removed' },
} as const;
