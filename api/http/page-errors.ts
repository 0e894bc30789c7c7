import type { ErrorRequestHandler, RequestHandler } from 'express';
import { requestLabel, statusOf, toAppError } from './errors';
import { hasBody } from './request-guards';

/**
 * The last handlers for every non-API URL (UI pages, static files, anything unmatched): a short
 * bilingual text with the right status, in every mode. Express's default handler would print the
 * stack trace outside production.
 */
export const pageNotFound: RequestHandler = (_req, res) => {
  res.status(404).type('text/plain; charset=utf-8').send('页面不存在 / Not found\n');
};

export const pageErrorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  if (res.headersSent) {
    req.socket.destroy();
    return;
  }
  const appError = toAppError(err);
  const status = statusOf(appError);
  if (status >= 500) console.error(`[api] ${requestLabel(req)}`, err);
  if (hasBody(req.headers) && !req.complete) res.setHeader('Connection', 'close');
  res.status(status).type('text/plain; charset=utf-8').send(`${appError.message} / ${appError.messageEn}\n`);
};
