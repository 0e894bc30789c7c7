import type { EntityManager } from '@mikro-orm/core';
import { z } from 'zod';
import { sealCertificateStates } from '../../domain/certificates/seal-certificates';
import { grantSealAuthorization, revokeSealAuthorization } from '../../domain/enterprises/seal-authorizations';
import { SealAuthorizationSchema, SealSchema } from '../../domain/enterprises/seal.entities';
import { maskMobile } from '../../domain/identity/masking';
import { UserSchema } from '../../domain/identity/user.entity';
import { createSeal, createSealSchema } from '../../domain/seals/create-seal';
import { enabledSealTypes, presentSealTypeOption } from '../../domain/seals/enabled-seal-types';
import { readSealImage } from '../../domain/seals/seal-image';
import { loadEnterpriseSeal, replaceSealImage, setSealEnabled } from '../../domain/seals/seal-status';
import { presentSeal, type SealView } from '../../domain/seals/seal-view';
import { notFound } from '../../domain/errors';
import { getSetting } from '../../domain/platform/settings';
import { SEAL_UPLOAD_LIMITS } from '../../documents/seals/seal-upload';
import type { ApiDeps } from '../deps';
import { sendList } from '../http/list-params';
import { parseDayOrInstant } from '../http/date-params';
import { actorOf, route, type ConsoleContext, type RouteDef } from '../http/route';

const idParam = (ctx: ConsoleContext) => String(ctx.req.params.id);
const versionBody = z.object({ version: z.number().int().min(1).optional() });
/** GET /console/seals `filter`: `{ includeVoided: true }` adds the voided seals (印章管理 list; pickers leave it out). */
const listFilter = z.object({ includeVoided: z.boolean().optional() });
const includeVoidedOf = (raw: unknown): boolean => {
  if (typeof raw !== 'string') return false;
  try {
    return listFilter.parse(JSON.parse(raw)).includeVoided ?? false;
  } catch {
    return false;
  }
};
/** The furthest end of a seal authorisation's validity; none (null) is unlimited. */
const MAX_AUTHORIZATION_YEARS = 10;
const grantBody = z.object({
  userId: z.string({ required_error: '请选择成员' }).min(1, '请选择成员').max(36),
  /** End of the validity (ISO date or date-time); a bare date means the end of that day (UTC+8). */
  expiresAt: z
    .string()
    .max(40)
    .nullable()
    .optional()
    .transform((v, c) => {
      if (!v) return null;
      const at = parseDayOrInstant(v, { endOfDay: true });
      if (!at) {
        c.addIssue({ code: 'custom', message: '授权有效期格式不正确' });
        return z.NEVER;
      }
      // Unlimited is null; a date beyond the bound is a typo (year 100000 reached MariaDB's DATETIME as a 500).
      if (at.getTime() > Date.now() + MAX_AUTHORIZATION_YEARS * 366 * 86_400_000) {
        c.addIssue({ code: 'custom', message: `授权有效期不能超过 ${MAX_AUTHORIZATION_YEARS} 年（长期授权请不填有效期）` });
        return z.NEVER;
      }
      return at;
    }),
  code: z.string().trim().max(10).optional(),
});

/** The enterprise's seals with who may use them and their certificate state. */
async function sealViews(em: EntityManager, enterpriseId: string, only?: string, includeVoided = false): Promise<SealView[]> {
  const now = new Date();
  const seals = await em.find(SealSchema, { enterpriseId, ...(includeVoided ? {} : { status: { $ne: 'voided' as const } }), ...(only ? { id: only } : {}) }, { orderBy: { createdAt: 'asc', id: 'asc' } });
  if (seals.length === 0) return [];
  const ids = seals.map((s) => s.id);
  const auths = await em.find(SealAuthorizationSchema, { enterpriseId, sealId: { $in: ids } }, { orderBy: { grantedAt: 'asc' } });
  const users = auths.length ? await em.find(UserSchema, { id: { $in: [...new Set(auths.map((a) => a.userId))] } }) : [];
  const certs = await sealCertificateStates(em, ids, now);
  const typeNames = await getSetting(em, 'sealTypes');
  return seals.map((s) =>
    presentSeal(
      s,
      typeNames,
      auths
        .filter((a) => a.sealId === s.id)
        .map((a) => {
          const u = users.find((x) => x.id === a.userId);
          return { ...a, name: u?.name ?? '', mobileMasked: maskMobile(u?.mobile ?? '') };
        }),
      certs.get(s.id),
      now,
    ),
  );
}

async function sealView(ctx: ConsoleContext, id: string): Promise<SealView> {
  await loadEnterpriseSeal(ctx.em, ctx.acting.enterprise.id, id);
  return (await sealViews(ctx.em, ctx.acting.enterprise.id, id))[0]!;
}

const fileBytes = (ctx: ConsoleContext) => (ctx.req.file ? new Uint8Array(ctx.req.file.buffer) : undefined);

/** 印章管理 (M12) in the 企业控制台: always the acting enterprise's seals; changes by its 管理员. */
export function sealRoutes(deps: ApiDeps): RouteDef[] {
  const { store } = deps.services;
  return [
    route({
      method: 'get',
      path: '/console/seals',
      access: 'console',
      async handler(ctx) {
        const rows = await sealViews(ctx.em, ctx.acting.enterprise.id, undefined, includeVoidedOf(ctx.req.query.filter));
        return sendList(ctx.res, 'console/seals', rows, 0, rows.length);
      },
    }),
    route({
      method: 'get',
      path: '/console/seal-types',
      access: 'console',
      async handler(ctx) {
        return (await enabledSealTypes(ctx.em)).map(presentSealTypeOption);
      },
    }),
    route({
      method: 'get',
      path: '/console/seals/:id',
      access: 'console',
      handler: (ctx) => sealView(ctx, idParam(ctx)),
    }),
    route({
      method: 'get',
      path: '/console/seals/:id/image',
      access: 'console',
      async handler(ctx) {
        // Voided seals keep their picture in the list (已作废); every other action loads live seals only.
        const seal = await ctx.em.findOne(SealSchema, { id: idParam(ctx), enterpriseId: ctx.acting.enterprise.id });
        if (!seal) throw notFound('SEAL_NOT_FOUND', '印章不存在', 'Seal not found');
        const { seal: ready, png } = await readSealImage(ctx.em, store, seal);
        ctx.res.setHeader('Content-Type', 'image/png');
        ctx.res.setHeader('Content-Disposition', 'inline');
        ctx.res.setHeader('Cache-Control', 'private, max-age=300');
        ctx.res.setHeader('ETag', `"${ready.imageSha256}"`);
        ctx.res.setHeader('X-Seal-Width-Mm', String(ready.widthMm));
        ctx.res.setHeader('X-Seal-Height-Mm', String(ready.heightMm));
        ctx.res.end(Buffer.from(png));
        return undefined;
      },
    }),
    route({
      method: 'post',
      path: '/console/seals',
      access: 'enterprise_admin',
      // Draws the seal at 600 dpi (libuv's threads, 100–300 ms): one of the administrator's heavy-request slots.
      heavy: true,
      status: 201,
      async handler(ctx) {
        const seal = await createSeal(ctx.em, store, { enterprise: ctx.acting.enterprise, input: createSealSchema.parse(ctx.req.body ?? {}), actor: actorOf(ctx) });
        return sealView(ctx, seal.id);
      },
    }),
    route({
      method: 'post',
      path: '/console/seals/upload',
      access: 'enterprise_admin',
      upload: true,
      maxUploadBytes: SEAL_UPLOAD_LIMITS.maxBytes,
      status: 201,
      async handler(ctx) {
        const body = (ctx.req.body ?? {}) as Record<string, unknown>;
        const input = createSealSchema.parse({ type: body.type, departmentName: body.departmentName || undefined });
        const seal = await createSeal(ctx.em, store, { enterprise: ctx.acting.enterprise, input, upload: fileBytes(ctx) ?? new Uint8Array(), actor: actorOf(ctx) });
        return sealView(ctx, seal.id);
      },
    }),
    route({
      method: 'put',
      path: '/console/seals/:id/image',
      access: 'enterprise_admin',
      upload: true,
      maxUploadBytes: SEAL_UPLOAD_LIMITS.maxBytes,
      async handler(ctx) {
        const body = (ctx.req.body ?? {}) as Record<string, unknown>;
        const version = body.version ? z.coerce.number().int().min(1).parse(body.version) : undefined;
        await replaceSealImage(ctx.em, store, { enterpriseId: ctx.acting.enterprise.id, sealId: idParam(ctx), upload: fileBytes(ctx) ?? new Uint8Array(), version, actor: actorOf(ctx), actingMembership: ctx.acting.membership });
        return sealView(ctx, idParam(ctx));
      },
    }),
    route({
      method: 'post',
      path: '/console/seals/:id/redraw',
      access: 'enterprise_admin',
      // Draws before the version check at the write can refuse it: parallel redraws each draw (heavy-request slots bound them).
      heavy: true,
      async handler(ctx) {
        await replaceSealImage(ctx.em, store, { enterpriseId: ctx.acting.enterprise.id, sealId: idParam(ctx), version: versionBody.parse(ctx.req.body ?? {}).version, actor: actorOf(ctx), actingMembership: ctx.acting.membership });
        return sealView(ctx, idParam(ctx));
      },
    }),
    ...(['disable', 'enable'] as const).map((action) =>
      route({
        method: 'post',
        path: `/console/seals/:id/${action}`,
        access: 'enterprise_admin',
        async handler(ctx) {
          const { version } = versionBody.parse(ctx.req.body ?? {});
          await setSealEnabled(ctx.em, { enterpriseId: ctx.acting.enterprise.id, sealId: idParam(ctx), enabled: action === 'enable', version, actor: actorOf(ctx), actingMembership: ctx.acting.membership });
          return sealView(ctx, idParam(ctx));
        },
      }),
    ),
    route({
      method: 'post',
      path: '/console/seals/:id/authorizations',
      access: 'enterprise_admin',
      status: 201,
      async handler(ctx) {
        const body = grantBody.parse(ctx.req.body ?? {});
        await grantSealAuthorization(ctx.em, { enterpriseId: ctx.acting.enterprise.id, sealId: idParam(ctx), userId: body.userId, expiresAt: body.expiresAt ?? null, granter: ctx.user, granterMembership: ctx.acting.membership, code: body.code, actor: actorOf(ctx) });
        return sealView(ctx, idParam(ctx));
      },
    }),
    route({
      method: 'delete',
      path: '/console/seals/:id/authorizations/:authorizationId',
      access: 'enterprise_admin',
      async handler(ctx) {
        await revokeSealAuthorization(ctx.em, { enterpriseId: ctx.acting.enterprise.id, sealId: idParam(ctx), authorizationId: String(ctx.req.params.authorizationId), actor: actorOf(ctx), revokerMembership: ctx.acting.membership });
        return sealView(ctx, idParam(ctx));
      },
    }),
  ];
}
