import type { MikroORM } from '@mikro-orm/core';
import express, { type Router } from 'express';
import multer from 'multer';
import { resolveActingEnterprise } from '../../domain/enterprises/acting-enterprise';
import { AppError } from '../../domain/errors';
import { findSession } from '../../domain/identity/sessions';
import type { Access, ActingEnterprise, ConsoleContext, RouteDef } from './route';
import { sessionToken } from './session-cookie';
import type { User } from '../../domain/identity/user.entity';

const unauthenticated = () => new AppError('unauthenticated', 'NOT_LOGGED_IN', '请先登录', 'Please log in');

/** Throws unless the caller satisfies the route's access level. */
export function enforceAccess(access: Access, user: User | null, acting: ActingEnterprise | null): void {
  if (access === 'public') return;
  if (!user) throw unauthenticated();
  switch (access) {
    case 'user':
      return;
    case 'verified':
      if (user.realNameStatus !== 'verified') throw new AppError('forbidden', 'REAL_NAME_REQUIRED', '请先完成个人实名认证', 'Complete real-name verification first');
      return;
    case 'console':
      if (!acting || (acting.membership.role !== 'admin' && acting.membership.role !== 'seal_admin')) {
        throw new AppError('forbidden', 'CONSOLE_ONLY', '仅企业管理员或印章管理员可访问企业控制台，请先切换至企业身份', 'Enterprise console: switch to an enterprise where you are administrator or seal administrator');
      }
      return;
    case 'enterprise_admin':
      if (!acting || acting.membership.role !== 'admin') throw new AppError('forbidden', 'ENTERPRISE_ADMIN_ONLY', '仅企业管理员可执行此操作', 'Only the enterprise administrator can do this');
      return;
    case 'operator':
      if (user.platformRole !== 'operator') throw new AppError('forbidden', 'OPERATORS_ONLY', '仅平台管理员可访问', 'Platform operators only');
      return;
  }
}

/** Mounts route definitions; authentication and the declared access level are enforced here for every request. */
export function mountRoutes(orm: MikroORM, routes: RouteDef[], maxUploadBytes: number): Router {
  const router = express.Router();
  const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: maxUploadBytes, files: 1 } }).single('file');
  for (const def of routes) {
    const handlers: express.RequestHandler[] = [];
    if (def.upload) handlers.push(upload);
    handlers.push(async (req, res) => {
      const em = orm.em.fork();
      const token = sessionToken(req);
      const found = token ? await findSession(em, token) : null;
      const acting = found ? await resolveActingEnterprise(em, found.session, found.user) : null;
      enforceAccess(def.access, found?.user ?? null, acting);
      const ctx = { req, res, em, user: found?.user ?? null, session: found?.session ?? null, acting, ip: req.ip ?? null } as ConsoleContext;
      const body = await def.handler(ctx);
      if (body !== undefined && !res.headersSent) res.status(def.status ?? 200).json(body);
    });
    router[def.method](def.path, ...handlers);
  }
  return router;
}
