/**
 * An enterprise change (重新认证) as the console's 信息管理 and the operators' 重新认证审核 see it (the answers of
 * /console/enterprise-changes/*, GET /admin/recertifications and its detail): JSON, instants as ISO strings.
 * The console imports the types.
 */
import type { EntityManager } from '@mikro-orm/core';
import type { EnterpriseChange, EnterpriseChangeStatus } from '../enterprise-change.entity';
import { changeView } from '../enterprise-info';
import { EnterpriseSchema } from '../enterprise.entity';
import { UserSchema } from '../../identity/user.entity';
import { recertificationWorkflowId } from '../../../workflows/search-attributes';

export const CHANGE_STATUS_LABELS: Record<EnterpriseChangeStatus, { zh: string; en: string }> = {
  drafting: { zh: '待提交', en: 'Drafting' },
  awaiting_submission: { zh: '待重新提交', en: 'Awaiting submission' },
  under_review: { zh: '审核中', en: 'Under review' },
  rejected: { zh: '已驳回', en: 'Rejected' },
  approved: { zh: '已通过', en: 'Approved' },
  abandoned: { zh: '已放弃', en: 'Abandoned' },
  lapsed: { zh: '已失效', en: 'Lapsed' },
  completed: { zh: '已完成', en: 'Completed' },
};

/** Change rows as the console's 信息管理 and the operators' 重新认证审核 show them: the domain's view (no letter key) + labels, names, workflow id. */
export async function presentChanges(em: EntityManager, rows: EnterpriseChange[]) {
  const userIds = [...new Set(rows.flatMap((c) => [c.startedBy, c.reviewedBy]).filter((id): id is string => !!id))];
  const users = userIds.length ? await em.find(UserSchema, { id: { $in: userIds } }) : [];
  const name = (id: string | null) => (id ? (users.find((u) => u.id === id)?.name ?? null) : null);
  return rows.map((c) => ({
    ...changeView(c),
    statusLabel: CHANGE_STATUS_LABELS[c.status].zh,
    statusLabelEn: CHANGE_STATUS_LABELS[c.status].en,
    startedByName: name(c.startedBy),
    reviewedByName: name(c.reviewedBy),
    workflowId: c.kind === 'rename' ? recertificationWorkflowId(c.enterpriseId, c.seq) : null,
  }));
}

export async function presentChange(em: EntityManager, change: EnterpriseChange) {
  return (await presentChanges(em, [change]))[0]!;
}
export type ChangeView = Awaited<ReturnType<typeof presentChange>>;

/**
 * For operators: with the enterprise's name and registered USCC (the submitted one must equal it), and the current
 * submission's id, which a decision names (POST …/approve | …/reject `submissionId`: review.ts refuses a decision for
 * a submission that is no longer the current one).
 */
export async function presentAdminChanges(em: EntityManager, rows: EnterpriseChange[]) {
  const enterpriseIds = [...new Set(rows.map((c) => c.enterpriseId))];
  const enterprises = enterpriseIds.length ? await em.find(EnterpriseSchema, { id: { $in: enterpriseIds } }) : [];
  return (await presentChanges(em, rows)).map((c, i) => {
    const e = enterprises.find((x) => x.id === c.enterpriseId);
    return {
      ...c,
      submissionId: rows[i]!.submissionId,
      enterpriseName: e?.name ?? '',
      enterpriseUscc: e?.uscc ?? '',
      enterpriseStanding: e?.standing ?? null,
      letterUrl: c.hasLetter ? `/api/admin/recertifications/${c.id}/letter` : null,
    };
  });
}
export type AdminChangeView = Awaited<ReturnType<typeof presentAdminChanges>>[number];
