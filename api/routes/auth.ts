import { z } from 'zod';
import { resolveActingEnterprise, switchIdentity } from '../../domain/enterprises/acting-enterprise';
import { recordAudit } from '../../domain/audit/record-audit';
import { presentMe, presentSessionUser } from '../../domain/identity/me-view';
import { loginWithPassword, loginWithSmsCode, requestLoginCode, type LoginResult } from '../../domain/identity/login';
import { mobileSchema, register, registerSchema, requestRegistrationCode } from '../../domain/identity/register';
import { endSession } from '../../domain/identity/sessions';
import { PASSWORD_INPUT_MAX } from '../../domain/identity/validators';
import type { ApiDeps } from '../deps';
import { route, type RequestContext, type RouteDef } from '../http/route';
import { clearSessionCookie, sessionToken, setSessionCookie } from '../http/session-cookie';

const loginBody = z.object({
  // The account number as stored: look-up and the per-account lockout key are the same canonical string
  // (a full-width or zero-width variant could otherwise match by collation yet count under another key).
  mobile: mobileSchema,
  password: z.string({ required_error: '请输入密码' }).min(1, '请输入密码').max(PASSWORD_INPUT_MAX, '密码过长'),
});
const mobileBody = z.object({ mobile: mobileSchema });
const smsLoginBody = z.object({ mobile: mobileSchema, code: z.string().trim().regex(/^\d{6}$/, '验证码为 6 位数字') });
const actingBody = z.object({ enterpriseId: z.string().min(1, '请选择企业').max(36).nullable() });

export function authRoutes(deps: ApiDeps): RouteDef[] {
  /** The new session's cookie; the session this browser held before (another account's, or an older one) ends. */
  const startSession = async (ctx: RequestContext, login: LoginResult) => {
    const previous = sessionToken(ctx.req);
    if (previous && previous !== login.token) await endSession(ctx.em, previous);
    setSessionCookie(ctx.res, login.token, login.expiresAt, deps.services.config.cookieSecure);
    return { user: presentSessionUser(login.user) };
  };
  return [
    route({
      method: 'post',
      path: '/auth/login',
      access: 'public',
      async handler(ctx) {
        const body = loginBody.parse(ctx.req.body);
        return startSession(ctx, await loginWithPassword(ctx.em, body.mobile, body.password, ctx.ip));
      },
    }),
    route({
      method: 'post',
      path: '/auth/login/code',
      access: 'public',
      async handler(ctx) {
        const { mobile } = mobileBody.parse(ctx.req.body);
        return requestLoginCode(ctx.em, deps.sms(ctx.em), mobile, ctx.ip);
      },
    }),
    route({
      method: 'post',
      path: '/auth/login/sms',
      access: 'public',
      async handler(ctx) {
        const body = smsLoginBody.parse(ctx.req.body);
        return startSession(ctx, await loginWithSmsCode(ctx.em, body.mobile, body.code, ctx.ip));
      },
    }),
    route({
      method: 'post',
      path: '/auth/register/code',
      access: 'public',
      async handler(ctx) {
        const { mobile } = mobileBody.parse(ctx.req.body);
        return requestRegistrationCode(ctx.em, deps.sms(ctx.em), mobile, ctx.ip);
      },
    }),
    route({
      method: 'post',
      path: '/auth/register',
      access: 'public',
      status: 201,
      async handler(ctx) {
        return startSession(ctx, await register(ctx.em, registerSchema.parse(ctx.req.body), ctx.ip));
      },
    }),
    route({
      method: 'post',
      path: '/auth/logout',
      access: 'public',
      async handler(ctx) {
        const token = sessionToken(ctx.req);
        if (token) await endSession(ctx.em, token);
        if (ctx.user) {
          recordAudit(ctx.em, { id: ctx.user.id, name: ctx.user.name, ip: ctx.ip }, { action: 'auth.logout', targetType: 'user', targetId: ctx.user.id });
          await ctx.em.flush();
        }
        clearSessionCookie(ctx.res);
        ctx.res.status(204).end();
        return undefined;
      },
    }),
    route({
      method: 'get',
      path: '/auth/me',
      access: 'user',
      handler: (ctx) => presentMe(ctx.em, ctx.user, ctx.acting),
    }),
    route({
      method: 'post',
      path: '/auth/acting',
      access: 'user',
      async handler(ctx) {
        const { enterpriseId } = actingBody.parse(ctx.req.body ?? {});
        await switchIdentity(ctx.em, ctx.session, ctx.user, enterpriseId, { id: ctx.user.id, name: ctx.user.name, ip: ctx.ip });
        const acting = enterpriseId ? await resolveActingEnterprise(ctx.em, ctx.session, ctx.user) : null;
        return presentMe(ctx.em, ctx.user, acting);
      },
    }),
  ];
}
