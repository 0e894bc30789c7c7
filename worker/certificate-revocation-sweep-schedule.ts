import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import { certificateRevocationSweepWorkflow } from '../workflows/certificate-revocation-sweep';

export const REVOCATION_SWEEP_EVERY_MS = 10 * 60_000;
export const revocationSweepScheduleId = (taskQueue: string) => `certificate-revocation-sweep:${taskQueue}`;

/**
 * Creates the `certificate-revocation-sweep:<taskQueue>` Schedule (idempotent: an existing one is
 * kept): CertificateRevocationSweepWorkflow every 10 minutes, never two at once. Visible, pausable
 * and triggerable in Temporal UI → Schedules.
 */
export async function ensureRevocationSweepSchedule(client: Client, taskQueue: string, everyMs = REVOCATION_SWEEP_EVERY_MS): Promise<void> {
  try {
    await client.schedule.create({
      scheduleId: revocationSweepScheduleId(taskQueue),
      spec: { intervals: [{ every: everyMs }] },
      action: { type: 'startWorkflow', workflowType: certificateRevocationSweepWorkflow, taskQueue, args: [{}] },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: everyMs },
    });
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
}
