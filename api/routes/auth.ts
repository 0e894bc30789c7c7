import { z } from 'zod';
import { recordAudit } from '../../domain/audit/record-audit';
import { loginWithPassword } from '../../domain/identity/login';
import { endSession } from '../../domain/identity/sessions';
import type { User } from '../../domain/identity/user.entity';
import type { ApiDeps } from '../deps';
import { route, type RouteDef } from '../http/route';
import { clearSessionCookie, sessionToken, setSessionCookie } from '../http/session-cookie';

const loginBody = z.object({
  mobile: z.string({ required_error: '请输入手机号' }).trim().min(1, '请输入手机号'),
  password: z.string({ required_error: '请输入密码' }).min(1, '请输入密码'),
});

export const userView = (u: User) => ({ id: u.id, name: u.name, mobile: u.mobile, platformRole: u.platformRole });

export function authRoutes(deps: ApiDeps): RouteDef[] {
  return [
    route({
      method: 'post',
      path: '/auth/login',
      access: 'public',
      async handler({ req, res, em, ip }) {
        const body = loginBody.parse(req.body);
        const { user, token, expiresAt } = await loginWithPassword(em, body.mobile, body.password, ip);
        setSessionCookie(res, token, expiresAt, deps.services.config.cookieSecure);
        return { user: userView(user) };
      },
    }),
    route({
      method: 'post',
      path: '/auth/logout',
      access: 'public',
      async handler({ req, res, em, user, ip }) {
        const token = sessionToken(req);
        if (token) await endSession(em, token);
        if (user) {
          recordAudit(em, { id: user.id, name: user.name, ip }, { action: 'auth.logout', targetType: 'user', targetId: user.id });
          await em.flush();
        }
        clearSessionCookie(res);
        res.status(204).end();
        return undefined;
      },
    }),
    route({
      method: 'get',
      path: '/auth/me',
      access: 'user',
      async handler({ user }) {
        return { user: userView(user) };
      },
    }),
  ];
}
