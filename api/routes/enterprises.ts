import { z } from 'zod';
import { applyForAdministrator, adminApplicationSchema } from '../../domain/enterprises/admin-application';
import { AdminApplicationSchema, AdminTransferSchema } from '../../domain/enterprises/admin-change.entities';
import { cancelCertification, certifySchema, resumeCertification, submitCertification } from '../../domain/enterprises/certification';
import { EnterpriseSchema } from '../../domain/enterprises/enterprise.entity';
import { joinedEnterpriseView, myAdminApplicationView, pendingTransferView, presentEnterprise, presentEnterprises, type MyEnterprisesView } from '../../domain/enterprises/enterprise-view';
import { applyToJoin, joinSchema, searchCertifiedEnterprises, withdrawApplication, type EnterpriseSearchResultView } from '../../domain/enterprises/join-enterprise';
import { MembershipSchema } from '../../domain/enterprises/membership.entity';
import { MAX_LETTER_BYTES } from '../../domain/enterprises/authorization-letter';
import { invalid } from '../../domain/errors';
import { getSetting } from '../../domain/platform/settings';
import { certificationSealTypes } from '../../domain/seals/enabled-seal-types';
import type { ApiDeps } from '../deps';
import { actorOf, route, type AuthedContext, type RouteDef } from '../http/route';

const fileBytes = (ctx: AuthedContext) => (ctx.req.file ? new Uint8Array(ctx.req.file.buffer) : undefined);

/** Multipart forms carry arrays as JSON strings. */
function parseJsonField(body: Record<string, unknown>, field: string) {
  const value = body[field];
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    throw invalid('BAD_FORM', `字段 ${field} 格式不正确`, `Malformed field ${field}`);
  }
}

const searchQuery = z.object({ q: z.string().max(100).default('') });

/** 我的企业 (M3, M4, M5, M9) for personal users. */
export function enterpriseRoutes(deps: ApiDeps): RouteDef[] {
  const { store } = deps.services;
  return [
    route({
      method: 'get',
      path: '/config/seal-types',
      access: 'user',
      // 部门章 is created later in 印章管理, per department: not offered at certification.
      handler: async (ctx) => (await certificationSealTypes(ctx.em)).map((t) => ({ code: t.code, name: t.name, nameEn: t.nameEn })),
    }),
    route({
      method: 'get',
      path: '/config/business-types',
      access: 'user',
      handler: async (ctx) => getSetting(ctx.em, 'businessTypes'),
    }),
    route({
      method: 'post',
      path: '/enterprises',
      access: 'verified',
      upload: true,
      maxUploadBytes: MAX_LETTER_BYTES,
      status: 201,
      async handler(ctx) {
        // A request without a body (no Content-Type) has none: the schema then names the first missing field.
        const body = (ctx.req.body ?? {}) as Record<string, unknown>;
        const input = certifySchema.parse({ ...body, sealTypes: parseJsonField(body, 'sealTypes') });
        return presentEnterprise(ctx.em, await submitCertification(ctx.em, store, ctx.user, input, fileBytes(ctx), actorOf(ctx)));
      },
    }),
    route({
      method: 'post',
      path: '/enterprises/:id/cancel',
      access: 'verified',
      async handler(ctx) {
        return presentEnterprise(ctx.em, await cancelCertification(ctx.em, String(ctx.req.params.id), ctx.user, actorOf(ctx)));
      },
    }),
    route({
      method: 'post',
      path: '/enterprises/:id/resume',
      access: 'verified',
      upload: true,
      maxUploadBytes: MAX_LETTER_BYTES,
      async handler(ctx) {
        const body = (ctx.req.body ?? {}) as Record<string, unknown>;
        const changes = certifySchema.partial().parse({ ...body, sealTypes: parseJsonField(body, 'sealTypes') });
        return presentEnterprise(ctx.em, await resumeCertification(ctx.em, store, String(ctx.req.params.id), ctx.user, changes, fileBytes(ctx), actorOf(ctx)));
      },
    }),
    route({
      method: 'get',
      path: '/enterprises/search',
      access: 'verified',
      async handler(ctx) {
        return searchCertifiedEnterprises(ctx.em, searchQuery.parse(ctx.req.query).q) satisfies Promise<EnterpriseSearchResultView[]>;
      },
    }),
    route({
      method: 'post',
      path: '/enterprises/:id/join',
      access: 'verified',
      status: 201,
      async handler(ctx) {
        const { message } = joinSchema.parse(ctx.req.body ?? {});
        const m = await applyToJoin(ctx.em, String(ctx.req.params.id), ctx.user, message, actorOf(ctx));
        return { id: m.id, status: m.status };
      },
    }),
    route({
      method: 'post',
      path: '/memberships/:id/withdraw',
      access: 'user',
      async handler(ctx) {
        const m = await withdrawApplication(ctx.em, String(ctx.req.params.id), ctx.user, actorOf(ctx));
        return { id: m.id, status: m.status };
      },
    }),
    route({
      method: 'post',
      path: '/enterprises/:id/admin-applications',
      access: 'verified',
      upload: true,
      maxUploadBytes: MAX_LETTER_BYTES,
      status: 201,
      async handler(ctx) {
        const { reason } = adminApplicationSchema.parse(ctx.req.body ?? {});
        const a = await applyForAdministrator(ctx.em, store, String(ctx.req.params.id), ctx.user, reason, fileBytes(ctx), actorOf(ctx));
        return { id: a.id, status: a.status };
      },
    }),
    route({
      method: 'get',
      path: '/my/enterprises',
      access: 'user',
      async handler(ctx) {
        const memberships = await ctx.em.find(MembershipSchema, { userId: ctx.user.id, status: { $in: ['pending', 'active', 'rejected'] } }, { orderBy: { appliedAt: 'desc' } });
        // My certification applications; a certified enterprise only while I still belong to it (after handing over
        // the administrator role and leaving, its live details — standing, open changes — are no longer mine to see).
        const activeIn = new Set(memberships.filter((m) => m.status === 'active').map((m) => m.enterpriseId));
        const certified = (await ctx.em.find(EnterpriseSchema, { certifierUserId: ctx.user.id }, { orderBy: { createdAt: 'desc' } })).filter((e) => e.status !== 'certified' || activeIn.has(e.id));
        const joinedEnterprises = memberships.length ? await ctx.em.find(EnterpriseSchema, { id: { $in: memberships.map((m) => m.enterpriseId) } }) : [];
        const adminApplications = await ctx.em.find(AdminApplicationSchema, { userId: ctx.user.id }, { orderBy: { createdAt: 'desc' } });
        const transfers = await ctx.em.find(AdminTransferSchema, { $or: [{ fromUserId: ctx.user.id }, { toUserId: ctx.user.id }], status: { $in: ['awaiting_admin_code', 'awaiting_target_code'] } });
        const transferEnterprises = transfers.length ? await ctx.em.find(EnterpriseSchema, { id: { $in: transfers.map((t) => t.enterpriseId) } }) : [];
        return {
          // isAdministrator: the console's 信息管理 / 转让管理员 are theirs (a certifier who rejoined as a member sees the row only).
          certified: (await presentEnterprises(ctx.em, certified)).map((view, i) => ({ ...view, isAdministrator: certified[i]!.adminUserId === ctx.user.id })),
          joined: memberships.map((m) => joinedEnterpriseView(m, joinedEnterprises.find((x) => x.id === m.enterpriseId), adminApplications)),
          adminApplications: adminApplications.map(myAdminApplicationView),
          pendingTransfers: transfers.map((t) => pendingTransferView(t, ctx.user.id, transferEnterprises)),
        } satisfies MyEnterprisesView;
      },
    }),
  ];
}
