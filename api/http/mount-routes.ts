import type { MikroORM } from '@mikro-orm/core';
import express, { type Router } from 'express';
import multer, { MulterError } from 'multer';
import { resolveActingEnterprise } from '../../domain/enterprises/acting-enterprise';
import { AppError } from '../../domain/errors';
import { findSession } from '../../domain/identity/sessions';
import { ANONYMOUS_JSON_BYTES, HEAVY_REQUESTS_PER_USER, type Access, type ActingEnterprise, type ConsoleContext, type RouteDef } from './route';
import { checkFormFields, invalidFormField } from './form-fields';
import { checkBodyType, checkNoNul, checkNotCrossSite, rejectCompressedBodies } from './request-guards';
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

const tooLarge = (maxBytes: number) => {
  const mb = (maxBytes / (1024 * 1024)).toFixed(maxBytes % (1024 * 1024) ? 1 : 0);
  return new AppError('too_large', 'FILE_TOO_LARGE', `上传文件过大，不能超过 ${mb} MB`, `The uploaded file is too large; at most ${mb} MB`);
};

const bodyTooLarge = () => new AppError('too_large', 'BODY_TOO_LARGE', '请求内容过大', 'The request body is too large');

/** The JSON body a route that needs a login reads unless it says otherwise (RouteDef.maxJsonBytes). */
const DEFAULT_JSON_BYTES = 1024 * 1024;

/** multer's refusals of a field name with brackets (`fieldNestingDepth: 0`, or a name append-field cannot read). */
const BRACKETED_FIELD_CODES: ReadonlySet<string> = new Set(['LIMIT_FIELD_NESTING', 'INVALID_FIELD_NAME']);

/** Body readers; each runs only after the route's access check passed. */
function bodyReaders() {
  const run = (mw: express.RequestHandler, req: express.Request, res: express.Response) =>
    new Promise<void>((resolve, reject) => mw(req, res, (err?: unknown) => (err ? reject(err) : resolve())));
  return {
    /** A JSON reader for bodies of at most `maxBytes` (one per route). */
    json(maxBytes: number) {
      const json = express.json({ limit: maxBytes, inflate: false, strict: true });
      return async (req: express.Request, res: express.Response) => {
        // A body declared larger is refused before a byte of it is read: body-parser reads (and discards) the whole
        // body it refuses before it answers, so one that never ends would hold the request until the time limit.
        if (Number(req.headers['content-length'] ?? 0) > maxBytes) throw bodyTooLarge();
        await run(json, req, res);
      };
    },
    /**
     * A multipart reader for uploads of at most `maxBytes` (one per route). Its text fields reach the route as
     * plain strings only (form-fields.ts): a name with brackets (multer would build a nested object from it,
     * `fieldNestingDepth: 0` refuses it as it arrives) or a name sent twice (an array) is 400 INVALID_FORM_FIELD.
     * A request without a body gets an empty one.
     */
    multipart(maxBytes: number) {
      const upload = multer({
        storage: multer.memoryStorage(),
        limits: { fileSize: maxBytes, files: 1, fields: 20, fieldSize: 64 * 1024, parts: 25, headerPairs: 100, fieldNestingDepth: 0 },
      }).single('file');
      return async (req: express.Request, res: express.Response) => {
        // Refuse what is certainly too big before reading a byte of it (multipart framing adds little).
        const length = Number(req.headers['content-length'] ?? 0);
        if (length > maxBytes + 64 * 1024) throw tooLarge(maxBytes);
        try {
          await run(upload, req, res);
        } catch (err) {
          if (err instanceof MulterError && err.code === 'LIMIT_FILE_SIZE') throw tooLarge(maxBytes);
          // A field name with brackets (multer 2.5's codes, not in @types/multer's list).
          if (err instanceof MulterError && BRACKETED_FIELD_CODES.has(err.code)) throw invalidFormField(err.field ?? '');
          // busboy's own parse errors (no boundary, truncated form) are the client's malformed body.
          if (err instanceof MulterError || err instanceof AppError) throw err;
          throw new AppError('validation', 'MALFORMED_MULTIPART', '上传内容格式不正确', 'Malformed multipart body');
        }
        // No body at all (no Content-Type): multer leaves req.body unset; routes read an empty form.
        if (req.body === undefined) req.body = {};
        checkFormFields(req.body);
      };
    },
  };
}

/** Requests in flight per user on the routes sharing these slots (this process), at most `max`: `take` answers the release, or throws 429. */
function perUserSlots(max: number) {
  const taken = new Map<string, number>();
  return {
    take(userId: string): () => void {
      const n = taken.get(userId) ?? 0;
      if (n >= max) {
        throw new AppError('rate_limited', 'REQUESTS_IN_PROGRESS', `您已有 ${max} 个请求正在处理（文件、印章或轨迹校验），请等待完成后再试`, `You already have ${max} requests being processed (files, seals or trail checks); wait for them to finish`, { retryAfterSeconds: 2 });
      }
      taken.set(userId, n + 1);
      // Called once, when the request's work is over (mountRoutes' finally).
      return () => {
        const left = (taken.get(userId) ?? 1) - 1;
        if (left > 0) taken.set(userId, left);
        else taken.delete(userId);
      };
    },
  };
}

/**
 * Mounts route definitions; authentication and the declared access level are enforced here for
 * every request, BEFORE the body is read: an anonymous caller cannot make the server parse a
 * 20 MB upload or a 1 MB JSON body. Then bodies of the wrong type are 415 (compressed bodies are
 * 415 for every route), then the route's `beforeBody` check runs, then the heavy-request slot is taken.
 */
export function mountRoutes(orm: MikroORM, routes: RouteDef[], maxUploadBytes: number): Router {
  const router = express.Router();
  const read = bodyReaders();
  const heavySlots = perUserSlots(HEAVY_REQUESTS_PER_USER);
  router.use(rejectCompressedBodies);
  for (const def of routes) {
    const multipart = def.upload ? read.multipart(Math.min(def.maxUploadBytes ?? maxUploadBytes, maxUploadBytes)) : null;
    const json = read.json(def.maxJsonBytes ?? (def.access === 'public' ? ANONYMOUS_JSON_BYTES : DEFAULT_JSON_BYTES));
    // An upload holds its body in memory until the last byte: a user's uploads share the heavy requests' slots.
    const inFlight = def.heavy || def.upload ? heavySlots : null;
    router[def.method](def.path, async (req, res) => {
      checkNotCrossSite(req);
      const em = orm.em.fork();
      const token = sessionToken(req);
      const found = token ? await findSession(em, token) : null;
      const acting = found ? await resolveActingEnterprise(em, found.session, found.user) : null;
      enforceAccess(def.access, found?.user ?? null, acting);
      checkBodyType(req, def.upload ? 'multipart' : 'json');
      const ctx = { req, res, em, user: found?.user ?? null, session: found?.session ?? null, acting, ip: req.ip ?? null } as ConsoleContext;
      // The route's own checks that need no body (RouteDef.beforeBody): a refusal here never reads it.
      if (def.beforeBody) await def.beforeBody(ctx);
      const release = inFlight && found ? inFlight.take(found.user.id) : () => undefined;
      try {
        if (multipart) await multipart(req, res);
        else await json(req, res);
        checkNoNul(req.body);
        const body = await def.handler(ctx);
        if (body !== undefined && !res.headersSent) res.status(def.status ?? 200).json(body);
      } finally {
        release();
      }
    });
  }
  return router;
}
