/**
 * The reconciler's sweep of the CA side of ended certificate orders: **an order that has ended on the
 * platform keeps no open order at the CA** (certificate-order-progress.ts). The steps that end an order
 * apply that rule themselves, but some cannot finish it: 撤销 and the deadlines ask the CA only as a best
 * effort (the CA unreachable), a submit whose answers were lost may be committed at the CA only after 撤销
 * looked for it, and a run terminated in Temporal UI runs no code at all. Each pass looks at the cancelled
 * orders whose submit was claimed (or that hold a CA order id) and that ended within `windowMs`, and settles
 * each at the CA: the CA order it finds is cancelled there, once (an order settled before is not asked about
 * again: its audit row says so; a CA refusal — paid meanwhile — is audited and left to the CA's staff).
 * Bounded (`limit`, with the pass cursor), idempotent; an order the CA cannot be asked about now is reported in
 * `failed` and tried again by a later pass (each-row.ts).
 */
import type { EntityManager } from '@mikro-orm/core';
import type { CaOrderGateway } from '../../integrations/ca-orders/ca-order-gateway';
import { eachRow } from '../persistence/each-row';
import { advanceCursor, afterCursor, type PassCursor } from '../persistence/pass-cursor';
import { settleCancelledOrderAtCa } from './certificate-order-progress';
import { CertificateOrderSchema } from './certificate-order.entity';

export interface EndedOrderSweepOptions {
  /** Orders that ended longer ago than this are not asked about any more. */
  windowMs: number;
  /** An order that ended less than this ago may still have the step that ended it talking to the CA. */
  graceMs: number;
  limit: number;
}

export const DEFAULT_ENDED_ORDER_SWEEP_OPTIONS: EndedOrderSweepOptions = { windowMs: 30 * 86_400_000, graceMs: 2 * 60_000, limit: 100 };

export interface EndedOrderSweepReport {
  /** CA orders this pass cancelled at the CA, or found refused there (paid meanwhile: left to the CA's staff). */
  settled: { orderId: string; atCa: 'cancelled' | 'refused' }[];
  /** Orders this pass could not settle (the CA unreachable); a later pass tries them again. Absent when none. */
  failed?: { orderId: string; error: string }[];
}

/** `cursor`: where the previous pass stopped (kept by the caller between passes). */
export async function settleEndedOrdersAtCa(em: EntityManager, gateway: CaOrderGateway, options: EndedOrderSweepOptions = DEFAULT_ENDED_ORDER_SWEEP_OPTIONS, now = new Date(), cursor?: PassCursor): Promise<EndedOrderSweepReport> {
  const report: EndedOrderSweepReport = { settled: [] };
  const ended = await em.fork().find(
    CertificateOrderSchema,
    {
      status: 'cancelled',
      endedAt: { $gte: new Date(now.getTime() - options.windowMs), $lt: new Date(now.getTime() - options.graceMs) },
      // The cursor's own filter is an $or too.
      $and: [{ $or: [{ submittedAt: { $ne: null } }, { caOrderId: { $ne: null } }] }, afterCursor(cursor)],
    },
    { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], limit: options.limit },
  );
  advanceCursor(cursor, ended, options.limit);
  for (const order of ended) {
    await eachRow('certificate order (CA side)', order.id, async () => {
      const fresh = em.fork();
      const atCa = await settleCancelledOrderAtCa(fresh, gateway, await fresh.findOneOrFail(CertificateOrderSchema, { id: order.id }), now);
      if (atCa === 'cancelled' || atCa === 'refused') report.settled.push({ orderId: order.id, atCa });
    }, (error) => (report.failed ??= []).push({ orderId: order.id, error }));
  }
  return report;
}
