import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * Security headers (helmet 8) for the two react-admin UIs and the JSON API.
 *
 * UI pages: scripts and styles from the app's own origin only, except inline styles (MUI/emotion
 * inject <style> tags at run time); the portal shows the contract PDF in an <object> from /api and
 * the admin console shows 授权书 in a blob: iframe, so object-src is 'self' and frame-src allows
 * blob:. No page may be framed by another site (frame-ancestors 'none', X-Frame-Options DENY).
 * API responses: nothing to load, framed only by the app's own pages (the PDF preview).
 */
export function uiSecurityHeaders(options: { https: boolean }): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'self'"],
        frameSrc: ["'self'", 'blob:'],
        workerSrc: ["'self'", 'blob:'],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        scriptSrcAttr: ["'none'"],
        ...(options.https ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: options.https ? { maxAge: 31536000 } : false,
    // The portal opens PDFs from /api in new tabs and frames: keep resources same-origin only.
    crossOriginResourcePolicy: { policy: 'same-origin' },
  });
}

export function apiSecurityHeaders(options: { https: boolean }): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { defaultSrc: ["'none'"], frameAncestors: ["'self'"] },
    },
    frameguard: { action: 'sameorigin' },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: options.https ? { maxAge: 31536000 } : false,
    crossOriginResourcePolicy: { policy: 'same-origin' },
  });
}

/** API answers are per user and often personal: never stored by browsers or proxies. */
export const noStore: RequestHandler = (_req, res, next) => {
  res.setHeader('Cache-Control', 'no-store');
  next();
};
