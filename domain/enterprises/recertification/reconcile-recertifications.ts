/**
 * The re-certification reconciler: an open name change (drafting … rejected) whose
 * EnterpriseRecertificationWorkflow is not running — terminated from Temporal UI (no workflow code
 * runs), lost, or never started after a crash between the API's commit and its start — gets its
 * workflow started again (a new run under the same id), which reloads the change from the database
 * and keeps its deadline. Choice: restart, not end: the change is the administrator's (and after
 * submission, past the point of no return) — only the administrator, the deadline, the operator or a
 * Temporal-UI cancel end it. Run by the reconcile Schedule (workflows/contract-reconcile.ts);
 * idempotent, bounded.
 */
import type { EntityManager } from '@mikro-orm/core';
import type { WorkflowState } from '../../contracts/reconcile-contracts';
import { advanceCursor, afterCursor, type PassCursor } from '../../persistence/pass-cursor';
import { EnterpriseChangeSchema, OPEN_CHANGE_STATUSES, type EnterpriseChange } from '../enterprise-change.entity';

/** What the reconciler needs from Temporal (implemented over the client in activities/). */
export interface RecertificationWorkflows {
  state(change: EnterpriseChange): Promise<WorkflowState>;
  /** Starts the change's workflow again under its id. */
  start(change: EnterpriseChange): Promise<void>;
}

export interface RecertificationReconcileOptions {
  /** A change younger than this may belong to a request that is still starting its workflow. */
  startGraceMs: number;
  limit: number;
}

export const DEFAULT_RECERTIFICATION_RECONCILE_OPTIONS: RecertificationReconcileOptions = { startGraceMs: 2 * 60_000, limit: 200 };

export interface RecertificationReconcileReport {
  restarted: { changeId: string; status: EnterpriseChange['status']; cause: 'workflow_closed' | 'workflow_missing' }[];
}

export async function reconcileRecertifications(
  em: EntityManager,
  workflows: RecertificationWorkflows,
  options: RecertificationReconcileOptions = DEFAULT_RECERTIFICATION_RECONCILE_OPTIONS,
  now = new Date(),
  /** Where the previous pass stopped (kept by the caller between passes); each pass checks the next `limit` open changes. */
  cursor?: PassCursor,
): Promise<RecertificationReconcileReport> {
  const report: RecertificationReconcileReport = { restarted: [] };
  const open = await em.fork().find(
    EnterpriseChangeSchema,
    { kind: 'rename', status: { $in: OPEN_CHANGE_STATUSES }, createdAt: { $lt: new Date(now.getTime() - options.startGraceMs) }, ...afterCursor(cursor) },
    { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], limit: options.limit },
  );
  advanceCursor(cursor, open, options.limit);
  for (const change of open) {
    const state = await workflows.state(change);
    if (state === 'running') continue;
    await workflows.start(change);
    report.restarted.push({ changeId: change.id, status: change.status, cause: state === 'missing' ? 'workflow_missing' : 'workflow_closed' });
  }
  return report;
}
