import { z } from 'zod';
import { CERTIFICATE_ORDER_STATUSES } from '../../domain/certificates/certificate-order-status';
import { invalid } from '../../domain/errors';
import { presentAdminCertificateOrder } from '../../domain/platform/admin-certificate-order-view';
import { searchCertificateOrders, searchCertificates } from '../../domain/platform/certificate-search';
import type { ApiDeps } from '../deps';
import { parseDayOrInstant } from '../http/date-params';
import { parseListParams, sendList } from '../http/list-params';
import { route, type RouteDef } from '../http/route';

/** A day (`2026-12-01`, read in China time) or an instant; `endOfDay` moves a bare day to the next midnight (an inclusive "to"). */
function parseDay(value: string | undefined, endOfDay = false): Date | undefined {
  if (!value) return undefined;
  const day = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const d = parseDayOrInstant(value);
  if (!d) throw invalid('BAD_DATE', `日期格式不正确：${value.slice(0, 40)}`, `Invalid date: ${value.slice(0, 40)}`);
  return day && endOfDay ? new Date(d.getTime() + 86_400_000) : d;
}

const dateText = z.string().max(40).optional();
const orderFilter = z.object({
  status: z.enum(CERTIFICATE_ORDER_STATUSES).optional(),
  q: z.string().max(100).optional(),
  sealType: z.string().max(40).optional(),
  from: dateText,
  to: dateText,
});
const certificateFilter = z.object({
  ownerType: z.enum(['user', 'seal']).optional(),
  q: z.string().max(100).optional(),
  state: z.enum(['active', 'expired', 'revoked']).optional(),
  expiringBefore: dateText,
  serial: z.string().max(100).optional(),
});

/** 管理后台 (M37): every CA order (with its workflow in Temporal UI) and every certificate, searchable. */
export function adminCertificateRoutes(deps: ApiDeps): RouteDef[] {
  const { temporal } = deps.services.config;
  const temporalUrl = (workflowId: string) => `${temporal.uiUrl}/namespaces/${encodeURIComponent(temporal.namespace)}/workflows/${encodeURIComponent(workflowId)}`;
  return [
    route({
      method: 'get',
      path: '/admin/certificate-orders',
      access: 'operator',
      async handler(ctx) {
        const p = parseListParams(ctx.req.query, orderFilter, ['createdAt', 'paidAt', 'issuedAt', 'status'], 'createdAt');
        const { rows, total } = await searchCertificateOrders(ctx.em, { ...p, ...p.filter, from: parseDay(p.filter.from), to: parseDay(p.filter.to, true) });
        const withLinks = rows.map((o) => presentAdminCertificateOrder(o, temporalUrl));
        return sendList(ctx.res, 'admin/certificate-orders', withLinks, p.offset, total);
      },
    }),
    route({
      method: 'get',
      path: '/admin/certificates',
      access: 'operator',
      async handler(ctx) {
        const p = parseListParams(ctx.req.query, certificateFilter, ['notAfter', 'createdAt'], 'notAfter');
        const { rows, total } = await searchCertificates(ctx.em, { ...p, ...p.filter, expiringBefore: parseDay(p.filter.expiringBefore), now: new Date() });
        return sendList(ctx.res, 'admin/certificates', rows, p.offset, total);
      },
    }),
  ];
}
