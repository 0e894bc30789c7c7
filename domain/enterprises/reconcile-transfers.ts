/**
 * The transfer reconciler: ends 转让管理员 rows that no workflow will end any more — a workflow
 * terminated from Temporal UI (no workflow code runs), a crash between writing the row and
 * starting its workflow, or a workflow that outlived its deadline (e.g. stuck replaying code from
 * before an upgrade). Without it such a row keeps its enterprise's one "running transfer" slot
 * forever. Run by the reconcile Schedule (workflows/contract-reconcile.ts); idempotent, bounded.
 * One row that cannot be repaired is reported in `failed` and does not stop the others (each-row.ts).
 */
import type { EntityManager } from '@mikro-orm/core';
import type { WorkflowState } from '../contracts/reconcile-contracts';
import { eachRow } from '../persistence/each-row';
import { advanceCursor, afterCursor, type PassCursor } from '../persistence/pass-cursor';
import { AdminTransferSchema, RUNNING_TRANSFER_STATUSES, type AdminTransfer } from './admin-change.entities';
import { endTransfer } from './admin-transfer';

/** What the reconciler needs from Temporal (implemented over the client in activities/). */
export interface TransferWorkflows {
  state(t: AdminTransfer): Promise<WorkflowState>;
  /** Ends a workflow still running well past its deadline. */
  terminate(t: AdminTransfer, reason: string): Promise<void>;
}

export interface TransferReconcileOptions {
  /** A row younger than this may belong to a request that is still starting its workflow. */
  startGraceMs: number;
  /** A workflow still running this long past the transfer's deadline is stuck. */
  overdueMs: number;
  limit: number;
}

export const DEFAULT_TRANSFER_RECONCILE_OPTIONS: TransferReconcileOptions = { startGraceMs: 2 * 60_000, overdueMs: 10 * 60_000, limit: 200 };

export interface TransferReconcileReport {
  ended: { transferId: string; outcome: 'expired' | 'failed'; cause: 'workflow_closed' | 'workflow_missing' | 'workflow_overdue' }[];
  /** Rows this pass could not repair (absent when none); a later pass tries them again. */
  failed?: { transferId: string; error: string }[];
}

/** `cursor`: where the previous pass stopped (kept by the caller between passes); each pass checks the next `limit` running transfers. */
export async function reconcileTransfers(em: EntityManager, workflows: TransferWorkflows, options: TransferReconcileOptions = DEFAULT_TRANSFER_RECONCILE_OPTIONS, now = new Date(), cursor?: PassCursor): Promise<TransferReconcileReport> {
  const report: TransferReconcileReport = { ended: [] };
  const rows = await em.fork().find(
    AdminTransferSchema,
    { status: { $in: [...RUNNING_TRANSFER_STATUSES] }, createdAt: { $lt: new Date(now.getTime() - options.startGraceMs) }, ...afterCursor(cursor) },
    { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], limit: options.limit },
  );
  advanceCursor(cursor, rows, options.limit);
  for (const t of rows) {
    await eachRow('admin transfer', t.id, async () => {
      const state = await workflows.state(t);
      let cause: TransferReconcileReport['ended'][number]['cause'];
      if (state === 'running') {
        if (t.deadline.getTime() + options.overdueMs > now.getTime()) return; // its workflow will end it
        await workflows.terminate(t, 'transfer past its deadline; ended by the reconciler');
        cause = 'workflow_overdue';
      } else {
        cause = state === 'missing' ? 'workflow_missing' : 'workflow_closed';
      }
      const outcome = t.deadline <= now ? 'expired' : 'failed';
      await endTransfer(em.fork(), t.id, outcome, 'PROCESS_ENDED');
      report.ended.push({ transferId: t.id, outcome, cause });
    }, (error) => (report.failed ??= []).push({ transferId: t.id, error }));
  }
  return report;
}
