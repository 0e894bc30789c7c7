import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import { certificateExpiryRemindersWorkflow } from '../workflows/certificate-expiry-reminders';

export const certificateReminderScheduleId = (taskQueue: string) => `certificate-expiry-reminders:${taskQueue}`;

/**
 * Creates the `certificate-expiry-reminders:<taskQueue>` Schedule (idempotent: an existing one is
 * kept): CertificateExpiryRemindersWorkflow once a day at 01:00 UTC (09:00 China Standard Time, so
 * the SMS arrive in office hours), never two at once; a run missed while the cluster was down is
 * caught up within the day. Visible, pausable and triggerable in Temporal UI → Schedules.
 */
export async function ensureCertificateReminderSchedule(client: Client, taskQueue: string): Promise<void> {
  try {
    await client.schedule.create({
      scheduleId: certificateReminderScheduleId(taskQueue),
      spec: { calendars: [{ hour: 1, minute: 0 }] },
      action: { type: 'startWorkflow', workflowType: certificateExpiryRemindersWorkflow, taskQueue, args: [{}] },
      policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
    });
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
}
