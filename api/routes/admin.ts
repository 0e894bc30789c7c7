import { z } from 'zod';
import { AUDIT_ACTIONS } from '../../domain/audit/audit-actions';
import { presentAuditEvent } from '../../domain/audit/audit-event-view';
import { AuditEventSchema } from '../../domain/audit/audit-event.entity';
import { contractNotFound, loadContract } from '../../domain/contracts/contract-access';
import { listAllContracts } from '../../domain/contracts/contract-lists';
import { CONTRACT_STATUSES } from '../../domain/contracts/contract-status';
import { SmsOutboxMessageSchema } from '../../domain/sms/sms.entities';
import { presentSmsOutboxMessage } from '../../domain/sms/sms-outbox-view';
import { outboxContentVisible } from '../../integrations/sms';
import type { ApiDeps } from '../deps';
import { parseListParams, sendList } from '../http/list-params';
import { route, type RouteDef } from '../http/route';
import { presentContract, presentContracts } from './contract-presenter';

const contractFilter = z.object({ status: z.enum(CONTRACT_STATUSES).optional(), q: z.string().max(100).optional() });
const smsFilter = z.object({ mobile: z.string().max(20).optional() });
const auditFilter = z.object({ targetId: z.string().max(36).optional(), action: z.string().max(60).optional() });

/** 管理后台 for platform operators: contracts (with Temporal links), the SMS outbox, the audit trail. */
export function adminRoutes(deps: ApiDeps): RouteDef[] {
  const { config } = deps.services;
  return [
    route({
      method: 'get',
      path: '/admin/contracts',
      access: 'operator',
      async handler(ctx) {
        const p = parseListParams(ctx.req.query, contractFilter, ['createdAt', 'expiresAt', 'title'], 'createdAt');
        const { rows, total } = await listAllContracts(ctx.em, { ...p, q: p.filter.q, status: p.filter.status });
        return sendList(ctx.res, 'admin/contracts', await presentContracts(ctx.em, config, rows, null), p.offset, total);
      },
    }),
    route({
      method: 'get',
      path: '/admin/contracts/:id',
      access: 'operator',
      async handler(ctx) {
        const c = await loadContract(ctx.em, String(ctx.req.params.id));
        if (!c) throw contractNotFound();
        return presentContract(ctx.em, config, c, null);
      },
    }),
    route({
      method: 'get',
      path: '/admin/sms-outbox',
      access: 'operator',
      async handler(ctx) {
        const p = parseListParams(ctx.req.query, smsFilter, ['createdAt'], 'createdAt');
        const where = p.filter.mobile ? { mobile: p.filter.mobile } : {};
        const [rows, total] = await ctx.em.findAndCount(SmsOutboxMessageSchema, where, { orderBy: { createdAt: p.direction }, offset: p.offset, limit: p.limit });
        // Contents only with the embedded outbox as provider: otherwise an operator could read signing codes. Numbers
        // then masked as everywhere else operators see them (a number can still be searched for).
        const visible = outboxContentVisible(config);
        return sendList(
          ctx.res,
          'admin/sms-outbox',
          rows.map((m) => presentSmsOutboxMessage(m, visible)),
          p.offset,
          total,
        );
      },
    }),
    route({
      method: 'get',
      path: '/admin/audit-events',
      access: 'operator',
      async handler(ctx) {
        const p = parseListParams(ctx.req.query, auditFilter, ['at'], 'at');
        const where = { ...(p.filter.targetId ? { targetId: p.filter.targetId } : {}), ...(p.filter.action ? { action: p.filter.action as keyof typeof AUDIT_ACTIONS } : {}) };
        const [rows, total] = await ctx.em.findAndCount(AuditEventSchema, where, { orderBy: { at: p.direction }, offset: p.offset, limit: p.limit });
        return sendList(
          ctx.res,
          'admin/audit-events',
          rows.map(presentAuditEvent),
          p.offset,
          total,
        );
      },
    }),
  ];
}
