import express, { Router } from 'express';
import { CaServiceError } from '../errors';
import { cancelOrder, certificateStatus, findOrder, findOrderByPlatformId, mintAccessToken, orderEvents, parseSubmit, revocationList, revokeCertificate, submitOrder, toSnapshot } from '../orders/orders';
import type { CaServiceDeps } from './app';
import { secretsEqual } from './staff-session';

/**
 * The machine API the platform's adapter calls (integrations/ca-orders/http-ca-order-gateway.ts).
 * JSON only, `Authorization: Bearer <CA_SERVICE_API_KEY>` (constant-time compare), bodies ≤ 64 KB.
 *
 *   POST /api/orders                          submit (idempotent on platformOrderId) → 201 new / 200 existing
 *   GET  /api/orders/:id                      snapshot
 *   GET  /api/orders/by-platform-id/:platformOrderId → snapshot | 404 ORDER_NOT_FOUND (the order placed for it)
 *   POST /api/orders/:id/cancel {reason}      → snapshot | 409 ORDER_PAID / ORDER_AUDITED / ORDER_FINISHED
 *   POST /api/orders/:id/applicant-url        → { url } (a fresh link token each call)
 *   GET  /api/orders/:id/events               → { events } (the order's event log)
 *   POST /api/certificates/:serial/revoke {reason} → { serialNumber, reason, revokedAt } (idempotent)
 *   GET  /api/certificates/:serial/status     → { status: good | revoked | unknown, … }
 */
export function apiRoutes(deps: CaServiceDeps): Router {
  const { orm, settings } = deps;
  const em = () => orm.em.fork();
  const router = Router();
  router.use((req, _res, next) => {
    const header = req.get('authorization') ?? '';
    const given = header.toLowerCase().startsWith('bearer ') ? header.slice(7).trim() : '';
    if (!given || !secretsEqual(given, settings.apiKey)) {
      return next(new CaServiceError(401, 'UNAUTHENTICATED', 'API 密钥无效', 'Invalid or missing API key'));
    }
    next();
  });
  router.use(express.json({ limit: '64kb' }));

  router.post('/orders', async (req, res) => {
    const { order, created } = await submitOrder(em(), parseSubmit(req.body), settings.priceFen);
    res.status(created ? 201 : 200).json(toSnapshot(order));
  });

  router.get('/orders/by-platform-id/:platformOrderId', async (req, res) => {
    res.json(toSnapshot(await findOrderByPlatformId(em(), req.params.platformOrderId)));
  });

  router.get('/orders/:id', async (req, res) => {
    res.json(toSnapshot(await findOrder(em(), req.params.id)));
  });

  router.post('/orders/:id/cancel', async (req, res) => {
    const reason = typeof req.body?.reason === 'string' ? req.body.reason : '';
    res.json(toSnapshot(await cancelOrder(em(), req.params.id, reason)));
  });

  router.post('/orders/:id/applicant-url', async (req, res) => {
    const token = await mintAccessToken(em(), req.params.id);
    res.json({ url: `${settings.publicUrl}/orders/${encodeURIComponent(req.params.id)}?t=${token}` });
  });

  router.get('/orders/:id/events', async (req, res) => {
    await findOrder(em(), req.params.id);
    const events = await orderEvents(em(), req.params.id);
    res.json({ events: events.map((e) => ({ action: e.action, fromStatus: e.fromStatus, toStatus: e.toStatus, actor: e.actor, note: e.note, at: e.at.toISOString() })) });
  });

  router.post('/certificates/:serial/revoke', async (req, res) => {
    const reason = typeof req.body?.reason === 'string' ? req.body.reason : '';
    const r = await revokeCertificate(em(), req.params.serial, reason);
    res.json({ serialNumber: r.serialNumber, reason: r.reason, revokedAt: r.revokedAt.toISOString() });
  });

  router.get('/certificates/:serial/status', async (req, res) => {
    res.json({ serialNumber: req.params.serial.toLowerCase(), ...(await certificateStatus(em(), req.params.serial)) });
  });

  return router;
}

/** GET /crl: the JSON revocation list, public like a CA's CRL (serial, reason, time). */
export function crlRoute(deps: CaServiceDeps): Router {
  const router = Router();
  router.get('/crl', async (_req, res) => {
    const rows = await revocationList(deps.orm.em.fork());
    res.setHeader('Cache-Control', 'no-cache');
    res.json({
      issuer: deps.settings.caName,
      generatedAt: new Date().toISOString(),
      revoked: rows.map((r) => ({ serialNumber: r.serialNumber, reason: r.reason, revokedAt: r.revokedAt.toISOString() })),
    });
  });
  return router;
}
