/**
 * The re-certification reconciler: an open name change (drafting … rejected) whose
 * EnterpriseRecertificationWorkflow is not running — terminated from Temporal UI (no workflow code
 * runs), lost, or never started after a crash between the API's commit and its start — gets its
 * workflow started again (a new run under the same id), which reloads the change from the database
 * and keeps its deadline. Choice: restart, not end: the change is the administrator's (and after
 * submission, past the point of no return) — only the administrator, the deadline, the operator or a
 * Temporal-UI cancel end it. A run an operator cancelled whose own clean-up could not end the change (its activity
 * ran out of attempts: the run failed) is not restarted: the reconciler ends the change as that clean-up would have
 * (cancelChangeByPlatform), so the operator's Cancel is not undone. Run by the reconcile Schedule (workflows/contract-reconcile.ts);
 * idempotent, bounded.
 *
 * The deadline always wins: a change still open `overdueMs` past its deadline while its workflow runs
 * is stuck (the workflow ends it at the deadline; one whose every task fails stays "running" in
 * Temporal). Its workflow is terminated and the change ended as the deadline ends it (expireChange).
 *
 * One change that cannot be repaired is reported in `failed` and does not stop the others (each-row.ts).
 */
import type { EntityManager } from '@mikro-orm/core';
import type { WorkflowState } from '../../contracts/reconcile-contracts';
import { eachRow } from '../../persistence/each-row';
import { advanceCursor, afterCursor, type PassCursor } from '../../persistence/pass-cursor';
import { cancelChangeByPlatform, expireChange } from './end';
import { EnterpriseChangeSchema, OPEN_CHANGE_STATUSES, type EnterpriseChange } from '../enterprise-change.entity';

/** What the reconciler needs from Temporal (implemented over the client in activities/). */
export interface RecertificationWorkflows {
  state(change: EnterpriseChange): Promise<WorkflowState>;
  /** Starts the change's workflow again under its id. */
  start(change: EnterpriseChange): Promise<void>;
  /** Ends a running workflow without running its code (one stuck past the deadline). */
  terminate(change: EnterpriseChange, reason: string): Promise<void>;
  /** Whether the change's last (closed) run was asked to cancel (Temporal UI's Cancel). */
  cancelRequested(change: EnterpriseChange): Promise<boolean>;
}

export interface RecertificationReconcileOptions {
  /** A change younger than this may belong to a request that is still starting its workflow. */
  startGraceMs: number;
  /** A change this long past its deadline whose workflow still runs is stuck. */
  overdueMs: number;
  limit: number;
}

export const DEFAULT_RECERTIFICATION_RECONCILE_OPTIONS: RecertificationReconcileOptions = { startGraceMs: 2 * 60_000, overdueMs: 10 * 60_000, limit: 200 };

export interface RecertificationReconcileReport {
  restarted: { changeId: string; status: EnterpriseChange['status']; cause: 'workflow_closed' | 'workflow_missing' }[];
  /** Changes ended by their deadline here: their workflow was stuck past it. */
  expired?: { changeId: string; status: EnterpriseChange['status'] }[];
  /** Changes ended here as cancelled: an operator cancelled their run, whose clean-up could not end them. */
  cancelled?: { changeId: string; status: EnterpriseChange['status'] }[];
  /** Changes this pass could not repair (absent when none); a later pass tries them again. */
  failed?: { changeId: string; error: string }[];
}

/** The statuses a deadline ends (expireChange); under_review has none. */
const DEADLINE_STATUSES: readonly EnterpriseChange['status'][] = ['drafting', 'awaiting_submission', 'rejected'];

export async function reconcileRecertifications(
  em: EntityManager,
  workflows: RecertificationWorkflows,
  options: RecertificationReconcileOptions = DEFAULT_RECERTIFICATION_RECONCILE_OPTIONS,
  now = new Date(),
  /** Where the previous pass stopped (kept by the caller between passes); each pass checks the next `limit` open changes. */
  cursor?: PassCursor,
): Promise<RecertificationReconcileReport> {
  const report: RecertificationReconcileReport = { restarted: [], expired: [] };
  const open = await em.fork().find(
    EnterpriseChangeSchema,
    { kind: 'rename', status: { $in: OPEN_CHANGE_STATUSES }, createdAt: { $lt: new Date(now.getTime() - options.startGraceMs) }, ...afterCursor(cursor) },
    { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], limit: options.limit },
  );
  advanceCursor(cursor, open, options.limit);
  for (const change of open) {
    await eachRow('re-certification', change.id, async () => {
      const state = await workflows.state(change);
      if (state === 'running') {
        const stuck = change.deadlineAt !== null && change.deadlineAt.getTime() < now.getTime() - options.overdueMs && DEADLINE_STATUSES.includes(change.status);
        if (!stuck) return;
        await workflows.terminate(change, 'change still open past its deadline while its workflow runs (stuck): ended by the reconciler');
        const ended = await expireChange(em.fork(), { changeId: change.id, now });
        report.expired!.push({ changeId: change.id, status: ended.status });
        return;
      }
      if (state === 'closed' && (await workflows.cancelRequested(change))) {
        const ended = await cancelChangeByPlatform(em.fork(), { changeId: change.id, now });
        (report.cancelled ??= []).push({ changeId: change.id, status: ended.status });
        return;
      }
      await workflows.start(change);
      report.restarted.push({ changeId: change.id, status: change.status, cause: state === 'missing' ? 'workflow_missing' : 'workflow_closed' });
    }, (error) => (report.failed ??= []).push({ changeId: change.id, error }));
  }
  return report;
}
