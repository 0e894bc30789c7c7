/**
 * The applications operators review in the 管理后台 as their lists send them (GET /api/admin/real-name-applications,
 * GET /api/admin/admin-applications; admin-ui imports the types): the status with its zh-CN label, the names the
 * route looked up, instants as ISO strings.
 */
import type { AdminApplication } from '../enterprises/admin-change.entities';
import { maskMobile } from '../identity/masking';
import type { RealNameApplication } from '../identity/real-name-application.entity';

export const APPLICATION_LABELS = { pending: '待审核', approved: '已通过', rejected: '已驳回', withdrawn: '已撤回' } as const;

/** 实名认证审核: `accountName` is the name of the account that applied. */
export const presentRealNameApplication = (r: RealNameApplication, accountName: string) => ({
  id: r.id,
  userId: r.userId,
  accountName,
  name: r.name,
  idNumberMasked: r.idNumberMasked,
  mobileMasked: maskMobile(r.mobile),
  status: r.status,
  statusLabel: APPLICATION_LABELS[r.status],
  rejectReason: r.rejectReason,
  createdAt: r.createdAt.toISOString(),
  reviewedAt: r.reviewedAt?.toISOString() ?? null,
});
export type RealNameApplicationView = ReturnType<typeof presentRealNameApplication>;

/** 管理员申请审核, with the enterprise's and the applicant's names and the link to the authorisation letter. */
export const presentAdminApplication = (r: AdminApplication, names: { enterpriseName: string; applicantName: string }) => ({
  id: r.id,
  enterpriseId: r.enterpriseId,
  enterpriseName: names.enterpriseName,
  applicantName: names.applicantName,
  reason: r.reason,
  status: r.status,
  statusLabel: APPLICATION_LABELS[r.status],
  rejectReason: r.rejectReason,
  createdAt: r.createdAt.toISOString(),
  authorizationLetterUrl: `/api/admin/admin-applications/${r.id}/authorization-letter`,
});
export type AdminApplicationView = ReturnType<typeof presentAdminApplication>;
