/**
 * CertificateExpiryRemindersWorkflow with fake activities against the suite's Temporal dev server:
 * one daily pass sweeps lapsed seal authorisations, then hands its options to the reminder
 * activity and returns both results; an activity
 * that fails for infrastructure reasons is retried (bounded) and the pass still completes. The
 * completed path is recorded as a replay fixture with RECORD_HISTORY=1.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ReminderActivities, ReminderRunOptions } from '../../activities/reminder-activities';
import type { ReminderReport } from '../../domain/reminders/certificate-expiry-reminders';
import { certificateExpiryRemindersWorkflow } from '../../workflows/certificate-expiry-reminders';
import { recordHistory, withWorkflowWorker } from '../harness/workflow-env';

const REPORT: ReminderReport = { candidates: 4, sent: 3, alreadySent: 1, skipped: 0 };

describe('CertificateExpiryRemindersWorkflow', () => {
  it('runs the reminder pass with the given options and returns its report', async () => {
    const calls: { name: string; options: ReminderRunOptions }[] = [];
    const activities: ReminderActivities = {
      lapseExpiredSealAuthorizations: async (options = {}) => (calls.push({ name: 'lapse', options }), { lapsed: 2 }),
      sendCertificateExpiryReminders: async (options = {}) => (calls.push({ name: 'remind', options }), REPORT),
    };
    await withWorkflowWorker({ activities }, async ({ client, taskQueue }) => {
      const now = '2026-12-01T01:00:00.000Z';
      const handle = await client.workflow.start(certificateExpiryRemindersWorkflow, { taskQueue, workflowId: `reminders-${randomUUID()}`, args: [{ now }] });
      expect(await handle.result()).toEqual({ lapsedAuthorizations: 2, reminders: REPORT });
      expect(calls).toEqual([{ name: 'lapse', options: { now } }, { name: 'remind', options: { now } }]);
      await recordHistory(handle, 'certificate-expiry-reminders.completed');
    });
  });

  it('retries the pass after an infrastructure failure (database down) and completes', async () => {
    let attempts = 0;
    const activities: ReminderActivities = {
      lapseExpiredSealAuthorizations: async () => ({ lapsed: 0 }),
      sendCertificateExpiryReminders: async () => {
        attempts++;
        if (attempts === 1) throw new Error('connect ECONNREFUSED 127.0.0.1:3306');
        return REPORT;
      },
    };
    await withWorkflowWorker({ activities }, async ({ client, taskQueue }) => {
      const handle = await client.workflow.start(certificateExpiryRemindersWorkflow, { taskQueue, workflowId: `reminders-${randomUUID()}`, args: [{}] });
      expect(await handle.result()).toEqual({ lapsedAuthorizations: 0, reminders: REPORT });
      expect(attempts).toBe(2);
    });
  }, 60_000);
});
