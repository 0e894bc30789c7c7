import fs from 'node:fs';
import path from 'node:path';
import cookieParser from 'cookie-parser';
import express, { type Express } from 'express';
import { createSmsSender } from '../integrations/sms';
import type { ApiDeps } from './deps';
import { AppError } from '../domain/errors';
import { errorHandler } from './http/errors';
import { mountRoutes } from './http/mount-routes';
import { allRoutes } from './routes';

export interface AppOptions {
  /** Folder holding the built UIs (dist/portal-ui, dist/admin-ui); skipped if absent. */
  uiDir?: string;
}

/** The HTTP server: JSON API under /api, the admin console under /admin/, the portal at /. */
export function createApp(deps: Omit<ApiDeps, 'sms'>, options: AppOptions = {}): Express {
  const full: ApiDeps = { ...deps, sms: (em) => createSmsSender(deps.services.config, em) };
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(cookieParser());
  app.use('/api', express.json({ limit: '1mb' }));
  app.use('/api', mountRoutes(deps.services.orm, allRoutes(full), deps.services.config.maxUploadBytes));
  app.use('/api', () => {
    throw new AppError('not_found', 'NO_SUCH_ROUTE', '接口不存在', 'No such API route');
  });
  app.use('/api', errorHandler);
  if (options.uiDir) {
    serveSpa(app, '/admin', path.join(options.uiDir, 'admin-ui'));
    serveSpa(app, '/', path.join(options.uiDir, 'portal-ui'));
  }
  return app;
}

function serveSpa(app: Express, mount: string, dir: string) {
  const index = path.join(dir, 'index.html');
  if (!fs.existsSync(index)) return;
  app.use(mount, express.static(dir, { index: 'index.html', maxAge: '1h' }));
  app.get(mount === '/' ? '/{*splat}' : `${mount}/{*splat}`, (_req, res) => res.sendFile(index));
}
