/**
 * CertificateExpiryRemindersWorkflow: the daily pass of 证书到期提醒 (M13), started by the
 * `certificate-expiry-reminders:<taskQueue>` Temporal Schedule (worker/certificate-reminder-schedule.ts).
 * First sweeps the seal authorisations whose validity has ended (印章授权有效期), then sends the
 * 30 / 7 / 1-day reminders (each once per certificate: the activity's unique row makes reruns and
 * overlapping runs harmless).
 */
import { proxyActivities } from '@temporalio/workflow';
import type { ReminderActivities, ReminderRunOptions } from '../activities/reminder-activities';
import type { ReminderReport } from '../domain/reminders/certificate-expiry-reminders';

const activities = proxyActivities<ReminderActivities>({
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumAttempts: 5 },
});

export type CertificateRemindersInput = ReminderRunOptions;

export interface CertificateRemindersResult {
  lapsedAuthorizations: number;
  reminders: ReminderReport;
}

export async function certificateExpiryRemindersWorkflow(input: CertificateRemindersInput = {}): Promise<CertificateRemindersResult> {
  const { lapsed } = await activities.lapseExpiredSealAuthorizations({ now: input.now });
  const reminders = await activities.sendCertificateExpiryReminders(input);
  return { lapsedAuthorizations: lapsed, reminders };
}
