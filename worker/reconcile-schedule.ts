import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import { contractReconcileWorkflow } from '../workflows/contract-reconcile';

export const RECONCILE_EVERY_MS = 5 * 60_000;
export const reconcileScheduleId = (taskQueue: string) => `contract-reconcile:${taskQueue}`;

/**
 * Creates the `contract-reconcile:<taskQueue>` Schedule (idempotent: an existing one is kept), which
 * starts ContractReconcileWorkflow every few minutes, never two at once. Visible and pausable in
 * Temporal UI → Schedules.
 */
export async function ensureReconcileSchedule(client: Client, taskQueue: string, everyMs = RECONCILE_EVERY_MS): Promise<void> {
  try {
    await client.schedule.create({
      scheduleId: reconcileScheduleId(taskQueue),
      spec: { intervals: [{ every: everyMs }] },
      action: { type: 'startWorkflow', workflowType: contractReconcileWorkflow, taskQueue, args: [{}] },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: everyMs },
    });
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
}
