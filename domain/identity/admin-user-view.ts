/**
 * An account as operators see it in 用户 (GET /api/admin/users; admin-ui imports the type): mobile masked, its
 * 实名 status with the zh-CN label, and the two locks (`locked`: password login paused for this account;
 * `smsLoginLocked`: SMS login paused for too many wrong codes, 24 h window — password login still works).
 */
import { maskMobile } from './masking';
import { REAL_NAME_LABELS } from './real-name';
import type { User } from './user.entity';

export const presentAdminUser = (u: User, locks: { locked: boolean; smsLoginLocked: boolean }) => ({
  id: u.id,
  name: u.name,
  mobileMasked: maskMobile(u.mobile),
  email: u.email,
  platformRole: u.platformRole,
  realNameStatus: u.realNameStatus,
  realNameLabel: REAL_NAME_LABELS[u.realNameStatus].zh,
  locked: locks.locked,
  smsLoginLocked: locks.smsLoginLocked,
  createdAt: u.createdAt.toISOString(),
});
export type AdminUserView = ReturnType<typeof presentAdminUser>;
