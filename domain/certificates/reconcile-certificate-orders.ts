/**
 * The certificate order reconciler: an open order (待提交 … 审核中) whose CertificateOrderWorkflow
 * is not running any more — terminated from Temporal UI (no workflow code runs), lost, or never
 * started after a crash — gets its workflow started again, carrying the order's status. Choice:
 * restart, not end: the order lives on at the CA (it may be paid), so the platform must keep
 * following it until the CA ends it; stopping an order is 撤销 (the cancel Update), which the CA
 * decides. Submitting again is safe (idempotent on the order id). Run by the reconcile Schedule
 * (workflows/contract-reconcile.ts); idempotent, bounded. One order that cannot be repaired is
 * reported in `failed` and does not stop the others (each-row.ts).
 */
import type { EntityManager } from '@mikro-orm/core';
import type { WorkflowState } from '../contracts/reconcile-contracts';
import { eachRow } from '../persistence/each-row';
import { advanceCursor, afterCursor, type PassCursor } from '../persistence/pass-cursor';
import { OPEN_ORDER_STATUSES } from './certificate-order-status';
import { CertificateOrderSchema, type CertificateOrder } from './certificate-order.entity';

/** What the reconciler needs from Temporal (implemented over the client in activities/). */
export interface CertificateOrderWorkflows {
  state(orderId: string): Promise<WorkflowState>;
  /** Starts the order's workflow again (a new run under the same id), from the order's current status. */
  start(order: CertificateOrder): Promise<void>;
}

export interface OrderReconcileOptions {
  /** An order younger than this may belong to a request that is still starting its workflow. */
  startGraceMs: number;
  limit: number;
}

export const DEFAULT_ORDER_RECONCILE_OPTIONS: OrderReconcileOptions = { startGraceMs: 2 * 60_000, limit: 200 };

export interface OrderReconcileReport {
  restarted: { orderId: string; status: CertificateOrder['status']; cause: 'workflow_closed' | 'workflow_missing' }[];
  /** Orders this pass could not repair (absent when none); a later pass tries them again. */
  failed?: { orderId: string; error: string }[];
}

/** `cursor`: where the previous pass stopped (kept by the caller between passes); each pass checks the next `limit` open orders. */
export async function reconcileCertificateOrders(em: EntityManager, workflows: CertificateOrderWorkflows, options: OrderReconcileOptions = DEFAULT_ORDER_RECONCILE_OPTIONS, now = new Date(), cursor?: PassCursor): Promise<OrderReconcileReport> {
  const report: OrderReconcileReport = { restarted: [] };
  const open = await em.fork().find(
    CertificateOrderSchema,
    { status: { $in: [...OPEN_ORDER_STATUSES] }, createdAt: { $lt: new Date(now.getTime() - options.startGraceMs) }, ...afterCursor(cursor) },
    { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], limit: options.limit },
  );
  advanceCursor(cursor, open, options.limit);
  for (const order of open) {
    await eachRow('certificate order', order.id, async () => {
      const state = await workflows.state(order.id);
      if (state === 'running') return;
      await workflows.start(order);
      report.restarted.push({ orderId: order.id, status: order.status, cause: state === 'missing' ? 'workflow_missing' : 'workflow_closed' });
    }, (error) => (report.failed ??= []).push({ orderId: order.id, error }));
  }
  return report;
}
