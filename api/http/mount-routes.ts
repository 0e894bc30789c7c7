import type { MikroORM } from '@mikro-orm/core';
import express, { type Router } from 'express';
import multer from 'multer';
import { AppError } from '../../domain/errors';
import { findSessionUser } from '../../domain/identity/sessions';
import type { RouteDef } from './route';
import { sessionToken } from './session-cookie';

const unauthenticated = () => new AppError('unauthenticated', 'NOT_LOGGED_IN', '请先登录', 'Please log in');

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
      const user = token ? await findSessionUser(em, token) : null;
      if (def.access !== 'public' && !user) throw unauthenticated();
      if (def.access === 'operator' && user?.platformRole !== 'operator') throw new AppError('forbidden', 'OPERATORS_ONLY', '仅平台管理员可访问', 'Platform operators only');
      const body = await def.handler({ req, res, em, user: user!, ip: req.ip ?? null });
      if (body !== undefined && !res.headersSent) res.status(def.status ?? 200).json(body);
    });
    router[def.method](def.path, ...handlers);
  }
  return router;
}
