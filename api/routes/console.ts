import { z } from 'zod';
import { AUDIT_ACTIONS } from '../../domain/audit/audit-actions';
import { presentAuditEventForEnterprise } from '../../domain/audit/audit-event-view';
import { AuditEventSchema } from '../../domain/audit/audit-event.entity';
import { AdminTransferSchema, RUNNING_TRANSFER_STATUSES } from '../../domain/enterprises/admin-change.entities';
import { createTransfer, endTransfer } from '../../domain/enterprises/admin-transfer';
import { readTransferView } from '../../domain/enterprises/admin-transfer-view';
import { listMemberships, memberTermsSchema, rejectJoin, rejectSchema, removeMember, approveJoin, updateMember } from '../../domain/enterprises/members';
import { requestSealGrantCode } from '../../domain/enterprises/seal-authorizations';
import { MembershipSchema } from '../../domain/enterprises/membership.entity';
import { findRows } from '../../domain/persistence/plain-rows';
import { AppError, notFound } from '../../domain/errors';
import { cancelTransferUpdate, targetRemovedSignal } from '../../workflows/admin-transfer';
import { boundedWorkflowResult } from '../../workflows/clients/bounded-update';
import { adminTransferWorkflowId, signalTransfer, startAdminTransferWorkflow } from '../../workflows/clients/admin-transfer-client';
import type { ApiDeps } from '../deps';
import { parseListParams, sendList } from '../http/list-params';
import { actorOf, route, type ConsoleContext, type RouteDef } from '../http/route';
import { sendUpdate } from '../http/update-failure';

const idParam = (ctx: ConsoleContext) => String(ctx.req.params.id);
const transferBody = z.object({ memberId: z.string({ required_error: '请选择受让成员' }).min(1, '请选择受让成员').max(36) });
const auditFilter = z.object({ action: z.string().max(60).optional() });

/** A list of rows, served whole (the console's lists are small), with the Content-Range react-admin expects. */
function whole<T>(ctx: ConsoleContext, resource: string, rows: T[]) {
  return sendList(ctx.res, resource, rows, 0, rows.length);
}

/** The given transfer, or the enterprise's latest one (domain/enterprises/admin-transfer-view.ts). */
const transferView = (ctx: ConsoleContext, id?: string) => readTransferView(ctx.em, ctx.acting.enterprise.id, id);

/** 企业控制台 (M10, M11, M6): always scoped to the enterprise the caller acts for. */
export function consoleRoutes(deps: ApiDeps): RouteDef[] {
  const { config } = deps.services;
  return [
    route({
      method: 'get',
      path: '/console/join-applications',
      access: 'console',
      handler: async (ctx) => whole(ctx, 'console/join-applications', await listMemberships(ctx.em, ctx.acting.enterprise.id, 'pending')),
    }),
    route({
      method: 'post',
      path: '/console/join-applications/:id/approve',
      access: 'console',
      async handler(ctx) {
        const m = await approveJoin(ctx.em, ctx.acting.enterprise, idParam(ctx), memberTermsSchema.parse(ctx.req.body ?? {}), ctx.user, actorOf(ctx), ctx.acting.membership);
        return { id: m.id, status: m.status, role: m.role };
      },
    }),
    route({
      method: 'post',
      path: '/console/join-applications/:id/reject',
      access: 'console',
      async handler(ctx) {
        const m = await rejectJoin(ctx.em, ctx.acting.enterprise, idParam(ctx), rejectSchema.parse(ctx.req.body ?? {}).reason, { user: ctx.user, membership: ctx.acting.membership }, actorOf(ctx));
        return { id: m.id, status: m.status };
      },
    }),
    route({
      method: 'post',
      path: '/console/seal-grant-code',
      access: 'console',
      handler: (ctx) => requestSealGrantCode(ctx.em, deps.sms(ctx.em), ctx.user, ctx.acting.enterprise.id, ctx.ip),
    }),
    route({
      method: 'get',
      path: '/console/members',
      access: 'console',
      handler: async (ctx) => whole(ctx, 'console/members', await listMemberships(ctx.em, ctx.acting.enterprise.id, 'active')),
    }),
    route({
      method: 'get',
      path: '/console/members/:id',
      access: 'console',
      async handler(ctx) {
        const member = (await listMemberships(ctx.em, ctx.acting.enterprise.id, 'active')).find((m) => m.id === idParam(ctx));
        if (!member) throw notFound('MEMBER_NOT_FOUND', '成员不存在', 'Member not found');
        return member;
      },
    }),
    route({
      method: 'put',
      path: '/console/members/:id',
      access: 'enterprise_admin',
      async handler(ctx) {
        await updateMember(ctx.em, ctx.acting.enterprise, idParam(ctx), memberTermsSchema.parse(ctx.req.body ?? {}), ctx.user, actorOf(ctx), ctx.acting.membership);
        return (await listMemberships(ctx.em, ctx.acting.enterprise.id, 'active')).find((m) => m.id === idParam(ctx));
      },
    }),
    route({
      method: 'delete',
      path: '/console/members/:id',
      access: 'enterprise_admin',
      async handler(ctx) {
        const removed = await removeMember(ctx.em, ctx.acting.enterprise, idParam(ctx), actorOf(ctx), ctx.acting.membership);
        // A running transfer to this member ends (the completion re-check would refuse it anyway).
        const transfer = await ctx.em.findOne(AdminTransferSchema, { enterpriseId: ctx.acting.enterprise.id, toUserId: removed.userId, status: { $in: RUNNING_TRANSFER_STATUSES } });
        if (transfer) await signalTransfer(deps.temporal, transfer.id, config.contracts.callTimeoutMs, targetRemovedSignal, { userId: removed.userId });
        return { id: idParam(ctx) };
      },
    }),
    // GET /console/seals lives in seals.ts (印章管理).
    route({
      method: 'get',
      path: '/console/audit-events',
      access: 'enterprise_admin',
      async handler(ctx) {
        const p = parseListParams(ctx.req.query, auditFilter, ['at'], 'at');
        const where = { enterpriseId: ctx.acting.enterprise.id, ...(p.filter.action ? { action: p.filter.action as keyof typeof AUDIT_ACTIONS } : {}) };
        const [rows, total] = await ctx.em.findAndCount(AuditEventSchema, where, { orderBy: { at: p.direction }, offset: p.offset, limit: p.limit });
        const actorIds = [...new Set(rows.flatMap((r) => (r.actorId ? [r.actorId] : [])))];
        // Plain rows (read-only): partially loaded memberships are not left in the request's identity map.
        const members = actorIds.length ? await findRows(ctx.em, MembershipSchema, { enterpriseId: ctx.acting.enterprise.id, userId: actorIds, status: 'active' }) : [];
        // A membership begins when its application was approved (a founder's or a directly added member's: when it was made).
        const memberSince = new Map(members.map((m) => [m.userId, m.decidedAt ?? m.appliedAt]));
        return sendList(ctx.res, 'console/audit-events', rows.map((r) => presentAuditEventForEnterprise(r, memberSince)), p.offset, total);
      },
    }),
    route({
      method: 'get',
      path: '/console/admin-transfer',
      access: 'enterprise_admin',
      handler: async (ctx) => ({ transfer: await transferView(ctx) }),
    }),
    route({
      method: 'post',
      path: '/console/admin-transfer',
      access: 'enterprise_admin',
      status: 201,
      async handler(ctx) {
        const { memberId } = transferBody.parse(ctx.req.body ?? {});
        const deadline = new Date(Date.now() + config.adminTransferTtlMs);
        const t = await createTransfer(ctx.em, ctx.acting.enterprise, ctx.user, memberId, deadline, actorOf(ctx));
        try {
          await startAdminTransferWorkflow(deps.temporal, config.temporal.taskQueue, t, config.contracts.callTimeoutMs);
        } catch (err) {
          // No running transfer without its workflow: the row ends as failed (audited), which frees the enterprise for a retry.
          await endTransfer(ctx.em, t.id, 'failed', 'WORKFLOW_START_FAILED');
          throw new AppError('unavailable', 'WORKFLOW_START_FAILED', '转让流程启动失败，请稍后重试', 'Could not start the transfer; please retry', { retryAfterSeconds: 5, cause: String(err) });
        }
        return { transfer: await transferView(ctx, t.id) };
      },
    }),
    route({
      method: 'post',
      path: '/console/admin-transfer/cancel',
      access: 'enterprise_admin',
      async handler(ctx) {
        const running = await ctx.em.findOne(AdminTransferSchema, { enterpriseId: ctx.acting.enterprise.id, status: { $in: RUNNING_TRANSFER_STATUSES } });
        if (!running) throw new AppError('conflict', 'TRANSFER_FINISHED', '没有进行中的管理员转让', 'No administrator transfer is in progress');
        const handle = deps.temporal.workflow.getHandle(adminTransferWorkflowId(running.id));
        await sendUpdate(deps, handle, cancelTransferUpdate, { args: [{ userId: ctx.user.id }] });
        // The cancelled transfer ends its workflow; the view below shows what is committed by then.
        await boundedWorkflowResult(deps.temporal, handle, config.contracts.updateWaitMs, cancelTransferUpdate.name).catch(() => undefined);
        ctx.em.clear();
        return { transfer: await transferView(ctx) };
      },
    }),
  ];
}
