import type { MikroORM } from '@mikro-orm/core';
import cookieParser from 'cookie-parser';
import express, { type ErrorRequestHandler, type Express } from 'express';
import helmet from 'helmet';
import { reasonOf } from '../../bootstrap/startup-error';
import { CaServiceError } from '../errors';
import type { PlatformCa } from '../platform-ca';
import { applicantRoutes } from './applicant-routes';
import { apiRoutes, crlRoute } from './api-routes';
import { CSS, html, page } from './html';
import { staffRoutes } from './staff-routes';

export interface CaServiceSettings {
  /** Base URL browsers use for the service's pages (applicant links, origin check of staff POSTs). */
  publicUrl: string;
  apiKey: string;
  /** null: staff login is impossible (main.ts refuses to start without one). */
  staffPassword: string | null;
  priceFen: number;
  cookieSecure: boolean;
  caName: string;
  trustProxy: false | number | string[];
}

export interface CaServiceDeps {
  orm: MikroORM;
  platformCa: PlatformCa;
  settings: CaServiceSettings;
}

/** The CA order service's HTTP app: machine API (/api), CRL (/crl), staff pages (/staff), applicant pages (/orders/:id). */
export function createCaServiceApp(deps: CaServiceDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.settings.trustProxy);
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: { defaultSrc: ["'none'"], styleSrc: ["'self'"], imgSrc: ["'self'"], formAction: ["'self'"], baseUri: ["'none'"], frameAncestors: ["'none'"] },
      },
      frameguard: { action: 'deny' },
      // Applicant links carry their token in the URL: never send it to another site. Not 'no-referrer':
      // with it browsers send `Origin: null` on form POSTs, and the staff pages' CSRF check needs the origin.
      referrerPolicy: { policy: 'same-origin' },
      strictTransportSecurity: deps.settings.cookieSecure ? { maxAge: 31536000 } : false,
    }),
  );
  app.use(cookieParser());

  app.get('/healthz', (_req, res) => res.json({ ok: true }));
  app.get('/assets/ca.css', (_req, res) => res.type('css').setHeader('Cache-Control', 'public, max-age=3600').send(CSS));
  app.get('/', (_req, res) => res.redirect(303, '/staff/orders'));
  app.use('/api', apiRoutes(deps));
  app.use(crlRoute(deps));
  app.use('/staff', staffRoutes(deps));
  app.use(applicantRoutes(deps));

  app.use((req, _res, next) => next(new CaServiceError(404, 'NOT_FOUND', '页面不存在', 'Not found')));
  app.use(errorHandler);
  return app;
}

const BODY_ERRORS: Record<string, () => CaServiceError> = {
  'entity.too.large': () => new CaServiceError(413, 'BODY_TOO_LARGE', '请求内容过大', 'Request body too large'),
  'entity.parse.failed': () => new CaServiceError(400, 'BODY_INVALID', '请求内容不是有效的 JSON', 'The request body is not valid JSON'),
  'parameters.too.many': () => new CaServiceError(413, 'BODY_TOO_LARGE', '表单字段过多', 'Too many form fields'),
  'encoding.unsupported': () => new CaServiceError(415, 'UNSUPPORTED_ENCODING', '不支持的内容编码', 'Unsupported content encoding'),
};

/** The error a client caused, as the service answers it; null for a fault of the service. */
function clientError(err: unknown): CaServiceError | null {
  if (err instanceof CaServiceError) return err;
  const { type, status } = err as { type?: unknown; status?: unknown };
  if (typeof type === 'string' && BODY_ERRORS[type]) return BODY_ERRORS[type]();
  // Express's own 400: a path parameter that is not valid %-encoding (`/api/orders/%E0%A4%A`).
  if (err instanceof URIError || status === 400) return new CaServiceError(400, 'BAD_REQUEST', '请求地址格式不正确', 'Malformed request path');
  return null;
}

const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  const known = clientError(err);
  if (!known) console.error(`[ca-service] ${req.method} ${req.path} failed: ${reasonOf(err)}`);
  const e = known ?? new CaServiceError(503, 'INTERNAL', '服务暂时不可用，请稍后重试', 'Service temporarily unavailable; try again later');
  const status = known ? e.status : 500;
  if (status === 503) res.setHeader('Retry-After', '5');
  if (req.path.startsWith('/api/') || req.path === '/crl' || !req.accepts('html')) {
    res.status(status).json({ error: { code: e.code, message: e.messageZh, messageEn: e.messageEn } });
    return;
  }
  res.status(status).type('html').send(page({ zh: e.messageZh, en: e.messageEn }, html`<div class="card"><p>${e.code}</p><p><a href="/staff/orders">返回 · Back</a></p></div>`).value);
};
