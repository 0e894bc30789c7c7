/**
 * 管理后台 重新认证审核 (issue 9): platform operators list the enterprises' name changes, read one with
 * its authorisation letter, and approve or reject it (reason required) — the decision is the
 * `review` Update of the change's EnterpriseRecertificationWorkflow. Operator review has no timer. A decision names
 * the submission it decides (`submissionId` of the detail the console read; without it, the change's current one as
 * read here): one for a submission that is no longer the current one is refused (409
 * RECERTIFICATION_SUBMISSION_SUPERSEDED), here and in the domain.
 */
import { z } from 'zod';
import { EnterpriseChangeSchema, type EnterpriseChange, type EnterpriseChangeStatus } from '../../domain/enterprises/enterprise-change.entity';
import { EnterpriseSchema } from '../../domain/enterprises/enterprise.entity';
import { AppError, notFound } from '../../domain/errors';
import { refuseOwnReview } from '../../domain/platform/own-review';
import { executeRecertificationUpdate } from '../../workflows/clients/start-recertification-workflow';
import { recertificationRefusal, REJECT_REASON_MAX_LENGTH, reviewRecertificationUpdate } from '../../workflows/enterprise-recertification-api';
import type { ApiDeps } from '../deps';
import { parseListParams, sendList } from '../http/list-params';
import { route, type AuthedContext, type RouteDef } from '../http/route';
import { runUpdate, updateBounds } from '../http/update-failure';
import { CHANGE_STATUS_LABELS, presentAdminChanges } from '../../domain/enterprises/recertification/change-view';
import { noHiddenCharacters } from '../../domain/text/safe-text';

const STATUSES = Object.keys(CHANGE_STATUS_LABELS) as [EnterpriseChangeStatus, ...EnterpriseChangeStatus[]];
const listFilter = z.object({ status: z.enum(STATUSES).optional(), q: z.string().trim().max(100).optional(), enterpriseId: z.string().max(36).optional() });
/** The submission decided, as the console read it (null: one from before submission ids); absent: the current one. */
const submissionField = z.string().max(36, '提交编号不正确').nullable().optional();
const approveBody = z.object({ submissionId: submissionField });
const rejectBody = z.object({
  reason: z.string({ required_error: '请填写驳回原因' }).trim().min(1, '请填写驳回原因').max(REJECT_REASON_MAX_LENGTH, `驳回原因不能超过 ${REJECT_REASON_MAX_LENGTH} 字`).superRefine(noHiddenCharacters('驳回原因', { labelEn: 'The reason', multiline: true })),
  submissionId: submissionField,
});
const superseded = () =>
  new AppError(
    'conflict',
    'RECERTIFICATION_SUBMISSION_SUPERSEDED',
    '企业已重新提交，该审核针对的是之前的提交，未生效；请刷新后审核当前提交',
    'The enterprise has resubmitted: this decision was for an earlier submission and was not applied; reload and review the current submission',
  );

async function loadChange(ctx: AuthedContext): Promise<EnterpriseChange> {
  const change = await ctx.em.findOne(EnterpriseChangeSchema, { id: String(ctx.req.params.changeId), kind: 'rename' });
  if (!change) throw notFound('CHANGE_NOT_FOUND', '变更不存在', 'Change not found');
  return change;
}

export function adminRecertificationRoutes(deps: ApiDeps): RouteDef[] {
  const { config, store } = deps.services;
  const { temporal } = config;
  const temporalUrl = (workflowId: string) => `${temporal.uiUrl}/namespaces/${encodeURIComponent(temporal.namespace)}/workflows/${encodeURIComponent(workflowId)}`;
  const detail = async (ctx: AuthedContext, change: EnterpriseChange) => {
    const [row] = await presentAdminChanges(ctx.em, [change]);
    return { ...row!, temporalUrl: row!.workflowId ? temporalUrl(row!.workflowId) : null };
  };
  const decide = (approve: boolean) => async (ctx: AuthedContext) => {
    const body = approve ? { ...approveBody.parse(ctx.req.body ?? {}), reason: null } : rejectBody.parse(ctx.req.body ?? {});
    const change = await loadChange(ctx);
    if (body.submissionId !== undefined && body.submissionId !== change.submissionId) throw superseded();
    const refusal = recertificationRefusal('review', change.status);
    if (refusal) throw new AppError('conflict', refusal.code, refusal.message, refusal.messageEn);
    // Answered here with its own 403; the review activity checks it again (domain/enterprises/recertification/review.ts).
    await refuseOwnReview(ctx.em, ctx.user.id, { applicantId: change.startedBy, enterpriseId: change.enterpriseId });
    // The Update always names the submission (the domain checks it again in its commit), so delivered again after an
    // operator's Reset it cannot decide a later submission.
    const submissionId = body.submissionId === undefined ? change.submissionId : body.submissionId;
    await runUpdate(() => executeRecertificationUpdate(deps.temporal, temporal.taskQueue, change, reviewRecertificationUpdate, { operatorId: ctx.user.id, approve, reason: body.reason, submissionId }, updateBounds(config)));
    ctx.em.clear();
    return detail(ctx, await ctx.em.findOneOrFail(EnterpriseChangeSchema, { id: change.id }));
  };
  return [
    route({
      method: 'get',
      path: '/admin/recertifications',
      access: 'operator',
      async handler(ctx) {
        const p = parseListParams(ctx.req.query, listFilter, ['submittedAt', 'createdAt'], 'submittedAt');
        const { status, q, enterpriseId } = p.filter;
        const matching = q ? await ctx.em.find(EnterpriseSchema, { $or: [{ name: { $like: `%${q}%` } }, { uscc: q.toUpperCase() }] }, { fields: ['id'], limit: 500 }) : [];
        const where = {
          kind: 'rename' as const,
          ...(status ? { status } : {}),
          ...(enterpriseId ? { enterpriseId } : {}),
          ...(q ? { $or: [{ oldValue: { $like: `%${q}%` } }, { newValue: { $like: `%${q}%` } }, { enterpriseId: { $in: matching.map((e) => e.id) } }] } : {}),
        };
        const [rows, total] = await ctx.em.findAndCount(EnterpriseChangeSchema, where, { orderBy: { [p.orderBy]: p.direction, createdAt: p.direction, id: 'asc' }, offset: p.offset, limit: p.limit });
        return sendList(ctx.res, 'admin/recertifications', await presentAdminChanges(ctx.em, rows), p.offset, total);
      },
    }),
    route({
      method: 'get',
      path: '/admin/recertifications/:changeId',
      access: 'operator',
      handler: async (ctx) => detail(ctx, await loadChange(ctx)),
    }),
    route({
      method: 'get',
      path: '/admin/recertifications/:changeId/letter',
      access: 'operator',
      async handler(ctx) {
        const change = await loadChange(ctx);
        if (!change.authorizationLetterKey || !change.authorizationLetterType) throw notFound('LETTER_NOT_FOUND', '尚未提交授权书', 'No authorisation letter has been submitted');
        ctx.res.setHeader('Content-Type', change.authorizationLetterType);
        ctx.res.setHeader('Content-Disposition', 'inline');
        ctx.res.setHeader('Cache-Control', 'private, no-store');
        ctx.res.end(Buffer.from(await store.get(change.authorizationLetterKey)));
        return undefined;
      },
    }),
    route({ method: 'post', path: '/admin/recertifications/:changeId/approve', access: 'operator', handler: decide(true) }),
    route({ method: 'post', path: '/admin/recertifications/:changeId/reject', access: 'operator', handler: decide(false) }),
  ];
}
