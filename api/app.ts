import fs from 'node:fs';
import path from 'node:path';
import cookieParser from 'cookie-parser';
import express, { type Express } from 'express';
import { createSmsSender } from '../integrations/sms';
import type { ApiDeps } from './deps';
import { AppError } from '../domain/errors';
import { errorHandler } from './http/errors';
import { mountRoutes } from './http/mount-routes';
import { pageErrorHandler, pageNotFound } from './http/page-errors';
import { rejectMalformedUrls } from './http/request-guards';
import { apiSecurityHeaders, noStore, uiSecurityHeaders } from './http/security-headers';
import { allRoutes } from './routes';

export interface AppOptions {
  /** Folder holding the built UIs (dist/portal-ui, dist/admin-ui); skipped if absent. */
  uiDir?: string;
}

/** The HTTP server: JSON API under /api, the admin console under /admin/, the portal at /. */
export function createApp(deps: Omit<ApiDeps, 'sms'>, options: AppOptions = {}): Express {
  const { config } = deps.services;
  const full: ApiDeps = { ...deps, sms: (em) => createSmsSender(config, em) };
  const https = config.publicUrl.startsWith('https:');
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.use('/api', apiSecurityHeaders({ https }), noStore);
  app.use(rejectMalformedUrls);
  app.use(cookieParser());
  // Bodies are read per route, after its access check (mount-routes.ts).
  app.use('/api', mountRoutes(deps.services.orm, allRoutes(full), config.maxUploadBytes));
  app.use('/api', () => {
    throw new AppError('not_found', 'NO_SUCH_ROUTE', '接口不存在', 'No such API route');
  });
  app.use('/api', errorHandler);
  app.use(uiSecurityHeaders({ https }));
  if (options.uiDir) {
    serveSpa(app, '/admin', path.join(options.uiDir, 'admin-ui'));
    serveSpa(app, '/', path.join(options.uiDir, 'portal-ui'));
  }
  app.use(pageNotFound);
  app.use(pageErrorHandler);
  return app;
}

function serveSpa(app: Express, mount: string, dir: string) {
  const index = path.join(dir, 'index.html');
  if (!fs.existsSync(index)) return;
  // Hashed assets may be cached; index.html must be revalidated so a new build is picked up.
  const revalidate = (res: express.Response) => res.setHeader('Cache-Control', 'no-cache');
  app.use(mount, express.static(dir, { index: 'index.html', maxAge: '1h', setHeaders: (res, file) => file.endsWith('index.html') && revalidate(res) }));
  app.get(mount === '/' ? '/{*splat}' : `${mount}/{*splat}`, (_req, res) => {
    revalidate(res);
    res.sendFile(index);
  });
}
