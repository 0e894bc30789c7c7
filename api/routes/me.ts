import { presentSessionUser } from '../../domain/identity/me-view';
import { RealNameApplicationSchema } from '../../domain/identity/real-name-application.entity';
import { changeEmail, changeMobile, changePassword, emailSchema, mobileChangeCodesSchema, mobileChangeSchema, passwordChangeSchema, requestMobileChangeCodes, requestPasswordCode } from '../../domain/identity/profile';
import { presentRealNameState, REAL_NAME_LABELS, realNameSchema, submitRealName } from '../../domain/identity/real-name';
import { createIdentityVerifier } from '../../integrations/identity';
import type { ApiDeps } from '../deps';
import { actorOf, route, type RouteDef } from '../http/route';


/** 用户中心: M7 个人信息 and M2 个人实名认证, always about the caller themselves. */
export function meRoutes(deps: ApiDeps): RouteDef[] {
  const { config } = deps.services;
  const verifier = createIdentityVerifier(config);
  return [
    route({
      method: 'put',
      path: '/me/email',
      access: 'user',
      async handler(ctx) {
        await changeEmail(ctx.em, ctx.user, emailSchema.parse(ctx.req.body ?? {}).email, actorOf(ctx));
        return { user: presentSessionUser(ctx.user) };
      },
    }),
    route({
      method: 'post',
      path: '/me/mobile/codes',
      access: 'user',
      async handler(ctx) {
        const { newMobile } = mobileChangeCodesSchema.parse(ctx.req.body ?? {});
        return requestMobileChangeCodes(ctx.em, deps.sms(ctx.em), ctx.user, newMobile, ctx.ip);
      },
    }),
    route({
      method: 'put',
      path: '/me/mobile',
      access: 'user',
      async handler(ctx) {
        await changeMobile(ctx.em, ctx.user, ctx.session.id, mobileChangeSchema.parse(ctx.req.body ?? {}), actorOf(ctx));
        return { user: presentSessionUser(ctx.user) };
      },
    }),
    route({
      method: 'post',
      path: '/me/password/code',
      access: 'user',
      async handler(ctx) {
        return requestPasswordCode(ctx.em, deps.sms(ctx.em), ctx.user, ctx.ip);
      },
    }),
    route({
      method: 'put',
      path: '/me/password',
      access: 'user',
      async handler(ctx) {
        await changePassword(ctx.em, ctx.user, ctx.session.id, passwordChangeSchema.parse(ctx.req.body ?? {}), actorOf(ctx));
        return { ok: true };
      },
    }),
    route({
      method: 'get',
      path: '/me/real-name',
      access: 'user',
      async handler(ctx) {
        const last = await ctx.em.findOne(RealNameApplicationSchema, { userId: ctx.user.id }, { orderBy: { createdAt: 'desc' } });
        return presentRealNameState(ctx.user, last);
      },
    }),
    route({
      method: 'post',
      path: '/me/real-name',
      access: 'user',
      status: 201,
      async handler(ctx) {
        const application = await submitRealName(ctx.em, verifier, config.masterKey, ctx.user, realNameSchema.parse(ctx.req.body ?? {}), actorOf(ctx));
        return { id: application.id, status: ctx.user.realNameStatus, statusLabel: REAL_NAME_LABELS[ctx.user.realNameStatus].zh };
      },
    }),
  ];
}
