/**
 * 证书订单管理 and 企业证书更新 in the enterprise console (M13, M14). Orders are created here and
 * then followed by their CertificateOrderWorkflow; 刷新状态 and 撤销 are the workflow's Updates, so
 * the CA's refusal of a cancellation reaches the caller with the CA's message.
 */
import type { EntityManager } from '@mikro-orm/core';
import { z } from 'zod';
import { CERTIFICATE_ORDER_STATUSES, isFinalOrderStatus } from '../../domain/certificates/certificate-order-status';
import { assertOrderMayContinue } from '../../domain/certificates/certificate-order-progress';
import { CertificateOrderSchema, type CertificateOrder } from '../../domain/certificates/certificate-order.entity';
import { presentOrders } from '../../domain/certificates/certificate-order-view';
import { abandonUnstartedOrder, applyForSealCertificate, renewCertificates } from '../../domain/certificates/certificate-orders';
import { listRevokedSealCertificates } from '../../domain/certificates/revoke-certificates';
import { presentRevokedSealCertificate, presentSealCertificate } from '../../domain/certificates/seal-certificate-view';
import { EXPIRING_WITHIN_DAYS, listCertificatesExpired, listCertificatesExpiring, listSealCertificates, type ExpiringCertificate } from '../../domain/certificates/seal-certificates';
import { AppError, notFound, unavailable } from '../../domain/errors';
import { noHiddenCharacters } from '../../domain/text/safe-text';
import { isCaRefusal } from '../../integrations/ca-orders/ca-order-gateway';
import { createCaOrderGateway } from '../../integrations/ca-orders/http-ca-order-gateway';
import { cancelOrderUpdate, refreshOrderUpdate } from '../../workflows/certificate-order';
import { certificateOrderWorkflowId, startCertificateOrderWorkflow } from '../../workflows/clients/certificate-orders';
import type { ApiDeps } from '../deps';
import { parseListParams, sendList } from '../http/list-params';
import { actorOf, route, type ConsoleContext, type RouteDef } from '../http/route';
import { sendUpdate } from '../http/update-failure';

const idParam = (ctx: ConsoleContext) => String(ctx.req.params.id);

const applyBody = z.object({ sealId: z.string({ required_error: '请选择印章' }).min(1, '请选择印章').max(36) });
const cancelBody = z.object({
  reason: z.string({ required_error: '请填写撤销原因' }).trim().min(1, '请填写撤销原因').max(200, '撤销原因不超过 200 字').superRefine(noHiddenCharacters('撤销原因', { labelEn: 'The reason', multiline: true })),
});
const renewBody = z.object({ certificateIds: z.array(z.string().min(1).max(36), { required_error: '请选择要续期的证书' }).min(1, '请选择要续期的证书').max(50, '一次最多续期 50 张证书') });
const orderFilter = z.object({ status: z.enum(CERTIFICATE_ORDER_STATUSES).optional(), sealId: z.string().max(36).optional() });
const certificateFilter = z.object({ scope: z.enum(['expiring', 'expired', 'all', 'revoked']).optional() });

const startFailed = (cause: unknown) =>
  new AppError('unavailable', 'WORKFLOW_START_FAILED', '证书订单流程启动失败，请稍后重试', 'Could not start the certificate order; please retry', { retryAfterSeconds: 5, cause: String(cause) });
const caUnavailable = () => unavailable('CA_UNAVAILABLE', 'CA 服务暂时不可用，请稍后重试', 'The CA is temporarily unavailable; please retry');

async function loadOrder(ctx: ConsoleContext, em: EntityManager = ctx.em, id = idParam(ctx)) {
  const order = await em.findOne(CertificateOrderSchema, { id, enterpriseId: ctx.acting.enterprise.id }, { refresh: true });
  if (!order) throw notFound('CERTIFICATE_ORDER_NOT_FOUND', '证书订单不存在', 'Certificate order not found');
  return order;
}

/** The order as it is in the database now (a fresh unit of work: the workflow's activities changed it). */
const orderView = async (ctx: ConsoleContext, id = idParam(ctx)) => {
  const em = ctx.em.fork();
  return (await presentOrders(em, [await loadOrder(ctx, em, id)]))[0];
};

export function certificateOrderRoutes(deps: ApiDeps): RouteDef[] {
  const { config } = deps.services;
  const gateway = createCaOrderGateway(config);
  const start = (order: CertificateOrder) => startCertificateOrderWorkflow(deps.temporal, config.temporal.taskQueue, order, { timeoutMs: config.contracts.callTimeoutMs });

  /**
   * Starts the order's workflow; if it cannot be started, the order row ends (compensation) and the
   * error is returned. A start that failed here may still have run on the server (a timeout): the
   * abandon then races the workflow's submit, and exactly one wins in the database
   * (certificate-order-progress.ts). If the submit won, the order may already be at the CA: it is
   * left to its workflow and answered as accepted (202); the applicant sees it and can 撤销 it.
   */
  async function launch(ctx: ConsoleContext, order: CertificateOrder): Promise<unknown> {
    try {
      await start(order);
      return null;
    } catch (err) {
      if (await abandonUnstartedOrder(ctx.em.fork(), order.id)) return err;
      return null; // it did start: its workflow claimed the order (or took it further) and follows it
    }
  }

  return [
    route({
      method: 'post',
      path: '/console/certificate-orders',
      access: 'enterprise_admin',
      status: 202,
      async handler(ctx) {
        const { sealId } = applyBody.parse(ctx.req.body ?? {});
        const order = await applyForSealCertificate(ctx.em, ctx.acting.enterprise, sealId, { user: ctx.user, actor: actorOf(ctx), membership: ctx.acting.membership });
        const failed = await launch(ctx, order);
        if (failed) throw startFailed(failed);
        return orderView(ctx, order.id);
      },
    }),
    route({
      method: 'get',
      path: '/console/certificate-orders',
      access: 'console',
      async handler(ctx) {
        const p = parseListParams(ctx.req.query, orderFilter, ['createdAt', 'paidAt', 'issuedAt'], 'createdAt');
        const where = { enterpriseId: ctx.acting.enterprise.id, ...(p.filter.status ? { status: p.filter.status } : {}), ...(p.filter.sealId ? { sealId: p.filter.sealId } : {}) };
        const [rows, total] = await ctx.em.findAndCount(CertificateOrderSchema, where, { orderBy: { [p.orderBy]: p.direction, id: 'asc' }, offset: p.offset, limit: p.limit });
        return sendList(ctx.res, 'console/certificate-orders', await presentOrders(ctx.em, rows), p.offset, total);
      },
    }),
    route({
      method: 'get',
      path: '/console/certificate-orders/:id',
      access: 'console',
      handler: (ctx) => orderView(ctx),
    }),
    route({
      method: 'post',
      path: '/console/certificate-orders/:id/refresh',
      access: 'console',
      async handler(ctx) {
        const order = await loadOrder(ctx);
        if (!isFinalOrderStatus(order.status)) {
          await sendUpdate(deps, deps.temporal.workflow.getHandle(certificateOrderWorkflowId(order.id)), refreshOrderUpdate);
        }
        return orderView(ctx);
      },
    }),
    route({
      method: 'post',
      path: '/console/certificate-orders/:id/cancel',
      access: 'enterprise_admin',
      async handler(ctx) {
        const order = await loadOrder(ctx);
        const { reason } = cancelBody.parse(ctx.req.body ?? {});
        if (isFinalOrderStatus(order.status)) throw new AppError('conflict', 'CERTIFICATE_ORDER_ENDED', '该证书订单已结束', 'This certificate order has ended');
        await sendUpdate(deps, deps.temporal.workflow.getHandle(certificateOrderWorkflowId(order.id)), cancelOrderUpdate, { args: [{ userId: ctx.user.id, reason }] });
        return orderView(ctx);
      },
    }),
    route({
      method: 'get',
      path: '/console/certificate-orders/:id/continue',
      access: 'console',
      async handler(ctx) {
        const order = await loadOrder(ctx);
        await assertOrderMayContinue(ctx.em, order);
        if (!order.caOrderId) throw new AppError('conflict', 'CERTIFICATE_ORDER_NOT_SUBMITTED', '证书订单尚未提交到 CA，请稍后刷新', 'The order has not reached the CA yet; refresh shortly');
        try {
          return { url: await gateway.applicantUrl(order.caOrderId) };
        } catch (err) {
          if (isCaRefusal(err)) throw new AppError('rejected', err.code, err.messageZh, err.messageEn);
          throw caUnavailable();
        }
      },
    }),
    route({
      method: 'get',
      path: '/console/certificates',
      access: 'console',
      async handler(ctx) {
        const p = parseListParams(ctx.req.query, certificateFilter, ['notAfter'], 'notAfter');
        const now = new Date();
        const enterpriseId = ctx.acting.enterprise.id;
        const scope = p.filter.scope ?? 'all';
        if (scope === 'revoked') {
          const revoked = await listRevokedSealCertificates(ctx.em, enterpriseId);
          return sendList(ctx.res, 'console/certificates', revoked.slice(p.offset, p.offset + p.limit).map(presentRevokedSealCertificate), p.offset, revoked.length);
        }
        let rows: ExpiringCertificate[] = [];
        if (scope === 'expiring') rows = await listCertificatesExpiring(ctx.em, enterpriseId, now, EXPIRING_WITHIN_DAYS);
        else if (scope === 'expired') rows = await listCertificatesExpired(ctx.em, enterpriseId, now);
        else rows = await listSealCertificates(ctx.em, enterpriseId, now);
        if (p.direction === 'desc' && scope !== 'all') rows = [...rows].reverse();
        const page = rows.slice(p.offset, p.offset + p.limit);
        return sendList(ctx.res, 'console/certificates', page.map((c) => presentSealCertificate(c, now)), p.offset, rows.length);
      },
    }),
    route({
      method: 'post',
      path: '/console/certificates/renew',
      access: 'enterprise_admin',
      status: 202,
      async handler(ctx) {
        const { certificateIds } = renewBody.parse(ctx.req.body ?? {});
        const orders = await renewCertificates(ctx.em, ctx.acting.enterprise, certificateIds, { user: ctx.user, actor: actorOf(ctx), membership: ctx.acting.membership });
        const failures = (await Promise.all(orders.map((o) => launch(ctx, o)))).filter(Boolean);
        if (failures.length === orders.length) throw startFailed(failures[0]);
        const em = ctx.em.fork();
        const fresh = await em.find(CertificateOrderSchema, { id: { $in: orders.map((o) => o.id) } });
        return { orders: await presentOrders(em, fresh), notStarted: failures.length };
      },
    }),
  ];
}
