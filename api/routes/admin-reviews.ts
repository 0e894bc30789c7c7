import { z } from 'zod';
import { reviewAdministratorApplication } from '../../domain/enterprises/admin-application';
import { AdminApplicationSchema, AdminTransferSchema, RUNNING_TRANSFER_STATUSES } from '../../domain/enterprises/admin-change.entities';
import { reviewCertification } from '../../domain/enterprises/certification';
import { EnterpriseSchema } from '../../domain/enterprises/enterprise.entity';
import { presentEnterprise, presentEnterprises } from '../../domain/enterprises/enterprise-view';
import { notFound } from '../../domain/errors';
import { presentAdminUser } from '../../domain/identity/admin-user-view';
import { lockedKeys } from '../../domain/identity/attempt-throttle';
import { accountThrottleKey, smsLoginLockedMobiles } from '../../domain/identity/login';
import { RealNameApplicationSchema } from '../../domain/identity/real-name-application.entity';
import { reviewRealName } from '../../domain/identity/real-name';
import { UserSchema } from '../../domain/identity/user.entity';
import { presentAdminApplication, presentRealNameApplication } from '../../domain/platform/review-views';
import type { ApiDeps } from '../deps';
import { administratorReplacedSignal } from '../../workflows/admin-transfer';
import { signalTransfer } from '../../workflows/clients/admin-transfer-client';
import { parseListParams, sendList } from '../http/list-params';
import { actorOf, route, type AuthedContext, type RouteDef } from '../http/route';
import { noHiddenCharacters } from '../../domain/text/safe-text';

const idParam = (ctx: AuthedContext) => String(ctx.req.params.id);
const statusFilter = z.object({ status: z.enum(['pending', 'approved', 'rejected', 'certified', 'cancelled', 'withdrawn']).optional(), q: z.string().max(100).optional() });
const decisionBody = z.object({ reason: z.string().trim().max(500, '原因不能超过 500 字').superRefine(noHiddenCharacters('原因', { labelEn: 'The reason', multiline: true })).optional() });

async function namesOf(ctx: AuthedContext, ids: string[]) {
  const users = ids.length ? await ctx.em.find(UserSchema, { id: { $in: [...new Set(ids)] } }) : [];
  return (id: string) => users.find((u) => u.id === id);
}

async function loadEnterprise(ctx: AuthedContext) {
  const e = await ctx.em.findOne(EnterpriseSchema, { id: idParam(ctx) });
  if (!e) throw notFound('ENTERPRISE_NOT_FOUND', '企业不存在', 'Enterprise not found');
  return e;
}

/** 管理后台 reviews for platform operators: 实名认证, 企业认证, 管理员申请; and the user list. */
export function adminReviewRoutes(deps: ApiDeps): RouteDef[] {
  const { store } = deps.services;
  const decide = (approve: boolean, review: (ctx: AuthedContext, d: { approve: boolean; reason?: string }) => Promise<unknown>) => async (ctx: AuthedContext) => review(ctx, { approve, reason: decisionBody.parse(ctx.req.body ?? {}).reason });
  const sendLetter = async (ctx: AuthedContext, key: string, type: string) => {
    ctx.res.setHeader('Content-Type', type);
    ctx.res.setHeader('Content-Disposition', 'inline');
    ctx.res.setHeader('Cache-Control', 'private, no-store');
    ctx.res.end(Buffer.from(await store.get(key)));
    return undefined;
  };
  return [
    route({
      method: 'get',
      path: '/admin/real-name-applications',
      access: 'operator',
      async handler(ctx) {
        const p = parseListParams(ctx.req.query, statusFilter, ['createdAt'], 'createdAt');
        const [rows, total] = await ctx.em.findAndCount(RealNameApplicationSchema, p.filter.status ? { status: p.filter.status as 'pending' } : {}, { orderBy: { createdAt: p.direction }, offset: p.offset, limit: p.limit });
        const user = await namesOf(ctx, rows.map((r) => r.userId));
        return sendList(ctx.res, 'admin/real-name-applications', rows.map((r) => presentRealNameApplication(r, user(r.userId)?.name ?? '')), p.offset, total);
      },
    }),
    route({ method: 'post', path: '/admin/real-name-applications/:id/approve', access: 'operator', handler: decide(true, async (ctx, d) => ({ status: (await reviewRealName(ctx.em, idParam(ctx), d, actorOf(ctx), deps.services.config.masterKey)).status })) }),
    route({ method: 'post', path: '/admin/real-name-applications/:id/reject', access: 'operator', handler: decide(false, async (ctx, d) => ({ status: (await reviewRealName(ctx.em, idParam(ctx), d, actorOf(ctx))).status })) }),
    route({
      method: 'get',
      path: '/admin/enterprises',
      access: 'operator',
      async handler(ctx) {
        const p = parseListParams(ctx.req.query, statusFilter, ['submittedAt', 'name'], 'submittedAt');
        const where = { ...(p.filter.status ? { status: p.filter.status as 'pending' } : {}), ...(p.filter.q ? { name: { $like: `%${p.filter.q}%` } } : {}) };
        const [rows, total] = await ctx.em.findAndCount(EnterpriseSchema, where, { orderBy: { [p.orderBy]: p.direction }, offset: p.offset, limit: p.limit });
        const user = await namesOf(ctx, rows.map((r) => r.certifierUserId));
        return sendList(ctx.res, 'admin/enterprises', (await presentEnterprises(ctx.em, rows)).map((e) => ({ ...e, certifierName: user(e.certifierUserId)?.name ?? '' })), p.offset, total);
      },
    }),
    route({
      method: 'get',
      path: '/admin/enterprises/:id',
      access: 'operator',
      async handler(ctx) {
        const e = await loadEnterprise(ctx);
        const user = await namesOf(ctx, [e.certifierUserId]);
        return { ...(await presentEnterprise(ctx.em, e)), certifierName: user(e.certifierUserId)?.name ?? '', authorizationLetterUrl: `/api/admin/enterprises/${e.id}/authorization-letter` };
      },
    }),
    route({
      method: 'get',
      path: '/admin/enterprises/:id/authorization-letter',
      access: 'operator',
      async handler(ctx) {
        const e = await loadEnterprise(ctx);
        return sendLetter(ctx, e.authorizationLetterKey, e.authorizationLetterType);
      },
    }),
    route({ method: 'post', path: '/admin/enterprises/:id/approve', access: 'operator', handler: decide(true, async (ctx, d) => presentEnterprise(ctx.em, await reviewCertification(ctx.em, idParam(ctx), d, actorOf(ctx), store))) }),
    route({ method: 'post', path: '/admin/enterprises/:id/reject', access: 'operator', handler: decide(false, async (ctx, d) => presentEnterprise(ctx.em, await reviewCertification(ctx.em, idParam(ctx), d, actorOf(ctx)))) }),
    route({
      method: 'get',
      path: '/admin/admin-applications',
      access: 'operator',
      async handler(ctx) {
        const p = parseListParams(ctx.req.query, statusFilter, ['createdAt'], 'createdAt');
        const [rows, total] = await ctx.em.findAndCount(AdminApplicationSchema, p.filter.status ? { status: p.filter.status as 'pending' } : {}, { orderBy: { createdAt: p.direction }, offset: p.offset, limit: p.limit });
        const user = await namesOf(ctx, rows.map((r) => r.userId));
        const enterprises = rows.length ? await ctx.em.find(EnterpriseSchema, { id: { $in: rows.map((r) => r.enterpriseId) } }) : [];
        return sendList(ctx.res, 'admin/admin-applications', rows.map((r) => {
          const e = enterprises.find((x) => x.id === r.enterpriseId);
          return presentAdminApplication(r, { enterpriseName: e?.name ?? '', applicantName: user(r.userId)?.name ?? '' });
        }), p.offset, total);
      },
    }),
    route({
      method: 'get',
      path: '/admin/admin-applications/:id/authorization-letter',
      access: 'operator',
      async handler(ctx) {
        const a = await ctx.em.findOne(AdminApplicationSchema, { id: idParam(ctx) });
        if (!a) throw notFound('APPLICATION_NOT_FOUND', '申请不存在', 'Application not found');
        return sendLetter(ctx, a.authorizationLetterKey, a.authorizationLetterType);
      },
    }),
    route({
      method: 'post',
      path: '/admin/admin-applications/:id/approve',
      access: 'operator',
      handler: decide(true, async (ctx, d) => {
        const application = await reviewAdministratorApplication(ctx.em, idParam(ctx), d, actorOf(ctx));
        // The former administrator's running transfer ends with their role.
        const transfer = await ctx.em.findOne(AdminTransferSchema, { enterpriseId: application.enterpriseId, status: { $in: RUNNING_TRANSFER_STATUSES } });
        if (transfer) await signalTransfer(deps.temporal, transfer.id, deps.services.config.contracts.callTimeoutMs, administratorReplacedSignal);
        return { status: application.status };
      }),
    }),
    route({ method: 'post', path: '/admin/admin-applications/:id/reject', access: 'operator', handler: decide(false, async (ctx, d) => ({ status: (await reviewAdministratorApplication(ctx.em, idParam(ctx), d, actorOf(ctx))).status })) }),
    route({
      method: 'get',
      path: '/admin/users',
      access: 'operator',
      async handler(ctx) {
        const p = parseListParams(ctx.req.query, z.object({ q: z.string().max(100).optional() }), ['createdAt', 'name'], 'createdAt');
        const where = p.filter.q ? { $or: [{ name: { $like: `%${p.filter.q}%` } }, { mobile: p.filter.q }] } : {};
        const [rows, total] = await ctx.em.findAndCount(UserSchema, where, { orderBy: { [p.orderBy]: p.direction }, offset: p.offset, limit: p.limit });
        const locked = await lockedKeys(ctx.em, rows.map((u) => accountThrottleKey(u.mobile)));
        const smsLocked = await smsLoginLockedMobiles(ctx.em, rows.map((u) => u.mobile));
        return sendList(ctx.res, 'admin/users', rows.map((u) => presentAdminUser(u, { locked: locked.has(accountThrottleKey(u.mobile)), smsLoginLocked: smsLocked.has(u.mobile) })), p.offset, total);
      },
    }),
  ];
}
