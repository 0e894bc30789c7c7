/**
 * AdminTransferWorkflow paths with fake activities (no database, no SMS) against the suite's
 * Temporal dev server: completion, a cancel racing a confirmation, a first code that cannot be
 * sent, a failed completion re-check, expiry (also over an acceptance that finished after the deadline's
 * grace), removal of the target, and a run whose step is behind the row (an operator's Reset without reapplying
 * the administrator's confirmation): the new administrator's requests are judged by the database, and a Cancel from
 * Temporal UI (the run ends the row itself, adopting a completion that committed anyway). Each finished path is
 * recorded as a replay fixture with RECORD_HISTORY=1 (workflows/fixtures/admin-transfer-*.history.json).
 */
import { randomUUID } from 'node:crypto';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { WorkflowFailedError, WorkflowUpdateFailedError, WorkflowUpdateStage, type Client } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import type { AdminTransferActivities } from '../../activities/admin-transfer-activities';
import {
  adminTransferWorkflow,
  cancelTransferUpdate,
  confirmTransferUpdate,
  resendTransferCodeUpdate,
  administratorReplacedSignal,
  targetRemovedSignal,
  transferStepQuery,
  type AdminTransferInput,
} from '../../workflows/admin-transfer';
import { adminTransferWorkflowId, startAdminTransferWorkflow } from '../../workflows/clients/admin-transfer-client';
import { SA_ENTERPRISE_ID, SA_INITIATOR_ID, SA_PROCESS_STATUS } from '../../workflows/search-attributes';
import { recordHistory, withWorkflowWorker } from '../harness/workflow-env';

type Call = { name: string; input: unknown };

/** Fake activities that log their calls; each behaviour can be replaced per test. */
function fakes(over: Partial<AdminTransferActivities> = {}) {
  const calls: Call[] = [];
  const log = <A extends unknown[], R>(name: string, fn: (...a: A) => Promise<R>) => async (...a: A) => {
    calls.push({ name, input: a[0] });
    return fn(...a);
  };
  const base: AdminTransferActivities = {
    sendTransferCode: async ({ party }) => ({ sent: true, status: party === 'admin' ? ('awaiting_admin_code' as const) : ('awaiting_target_code' as const) }),
    checkTransferCode: async () => ({ ok: true as const }),
    completeTransfer: async () => ({ ok: true as const }),
    endTransfer: async () => undefined,
    // The row as the workflow's own endTransfer leaves it when nothing else committed.
    readTransferEnd: async () => ({ status: 'cancelled' as const, endReason: 'PROCESS_ENDED' }),
  };
  const merged = { ...base, ...over };
  const activities = Object.fromEntries(Object.entries(merged).map(([k, fn]) => [k, log(k, fn as (...a: unknown[]) => Promise<unknown>)]));
  return { activities, calls, called: (name: string) => calls.filter((c) => c.name === name) };
}

function input(over: Partial<AdminTransferInput> = {}): AdminTransferInput {
  return { transferId: randomUUID(), enterpriseId: randomUUID(), adminUserId: 'admin-1', targetUserId: 'target-1', deadline: new Date(Date.now() + 60_000).toISOString(), ...over };
}

async function start(client: Client, taskQueue: string, args: AdminTransferInput) {
  return client.workflow.start(adminTransferWorkflow, { taskQueue, workflowId: adminTransferWorkflowId(args.transferId), args: [args] });
}

/** A gate an activity waits on, and a promise that says it has started. */
function gate() {
  let open!: () => void;
  let entered!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  const started = new Promise<void>((r) => (entered = r));
  return { open, started, wait: async () => (entered(), opened) };
}

const refusalCode = (err: unknown) => (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure ? err.cause.type : String(err));

describe('AdminTransferWorkflow paths', () => {
  it('completes after both confirmations', async () => {
    const f = fakes();
    await withWorkflowWorker({ activities: f.activities }, async ({ client, taskQueue }) => {
      const args = input();
      const handle = await start(client, taskQueue, args);
      expect(await handle.executeUpdate(confirmTransferUpdate, { args: [{ userId: 'admin-1', submissionId: 's1' }] })).toEqual({ step: 'awaiting_target_code' });
      expect(await handle.executeUpdate(confirmTransferUpdate, { args: [{ userId: 'target-1', submissionId: 's2' }] })).toEqual({ step: 'accepted' });
      expect(await handle.result()).toEqual({ step: 'completed', reason: null });
      expect(f.called('sendTransferCode').map((c) => (c.input as { party: string }).party)).toEqual(['admin', 'target']);
      expect(f.called('completeTransfer')).toHaveLength(1);
      await recordHistory(handle, 'admin-transfer-completed');
    });
  });

  it('a run reset to its start after the administrator confirmed adopts the row: no second code to the administrator, the new administrator confirms', async () => {
    const f = fakes({ sendTransferCode: async ({ party }) => ({ sent: party === 'target', status: 'awaiting_target_code' as const }) });
    await withWorkflowWorker({ activities: f.activities }, async ({ client, taskQueue }) => {
      const handle = await start(client, taskQueue, input());
      await expect.poll(() => handle.query(transferStepQuery)).toBe('awaiting_target_code');
      expect(await handle.executeUpdate(confirmTransferUpdate, { args: [{ userId: 'target-1', submissionId: 's2' }] })).toEqual({ step: 'accepted' });
      expect(await handle.result()).toEqual({ step: 'completed', reason: null });
      expect(f.called('checkTransferCode').map((c) => (c.input as { party: string }).party)).toEqual(['target']);
      await recordHistory(handle, 'admin-transfer-row-ahead');
    });
  });

  it('a cancel that arrives while the administrator confirmation runs waits for it and then cancels', async () => {
    const g = gate();
    const f = fakes({ checkTransferCode: async () => (await g.wait(), { ok: true as const }) });
    await withWorkflowWorker({ activities: f.activities }, async ({ client, taskQueue }) => {
      const handle = await start(client, taskQueue, input());
      const confirming = handle.executeUpdate(confirmTransferUpdate, { args: [{ userId: 'admin-1', submissionId: 's1' }] });
      await g.started;
      // The cancel is admitted while the confirmation's check runs, and queued behind it, not applied under it.
      const cancelling = await handle.startUpdate(cancelTransferUpdate, { args: [{ userId: 'admin-1' }], waitForStage: WorkflowUpdateStage.ACCEPTED });
      expect(await handle.query(transferStepQuery)).toBe('awaiting_admin_code');
      g.open();
      expect(await confirming).toEqual({ step: 'awaiting_target_code' });
      await cancelling.result();
      expect(await handle.result()).toEqual({ step: 'cancelled', reason: null });
      expect(f.called('endTransfer').map((c) => c.input)).toEqual([expect.objectContaining({ outcome: 'cancelled' })]);
      expect(f.called('completeTransfer')).toEqual([]);
      await recordHistory(handle, 'admin-transfer-cancel-during-confirm');
    });
  });

  it('the administrator’s cancel tells the ending who cancelled (audited as theirs, not 系统’s); other endings name nobody', async () => {
    const f = fakes();
    await withWorkflowWorker({ activities: f.activities }, async ({ client, taskQueue }) => {
      const handle = await start(client, taskQueue, input());
      await handle.executeUpdate(confirmTransferUpdate, { args: [{ userId: 'admin-1', submissionId: 's1' }] });
      await handle.executeUpdate(cancelTransferUpdate, { args: [{ userId: 'admin-1' }] });
      expect(await handle.result()).toEqual({ step: 'cancelled', reason: null });
      expect(f.called('endTransfer').map((c) => c.input)).toEqual([{ transferId: expect.any(String), outcome: 'cancelled', reason: null, cancelledBy: 'admin-1' }]);
      await recordHistory(handle, 'admin-transfer-cancelled-by-admin');
    });
    const removed = fakes();
    await withWorkflowWorker({ activities: removed.activities }, async ({ client, taskQueue }) => {
      const handle = await start(client, taskQueue, input());
      await handle.signal(targetRemovedSignal, { userId: 'target-1' });
      expect(await handle.result()).toEqual({ step: 'cancelled', reason: 'TARGET_REMOVED' });
      expect(removed.called('endTransfer').map((c) => c.input)).toEqual([{ transferId: expect.any(String), outcome: 'cancelled', reason: 'TARGET_REMOVED' }]);
    });
  });

  it('a cancel that arrives while the target accepts is refused once the target has accepted: the transfer completes', async () => {
    const g = gate();
    let checks = 0;
    const f = fakes({ checkTransferCode: async () => (++checks === 2 ? await g.wait() : undefined, { ok: true as const }) });
    await withWorkflowWorker({ activities: f.activities }, async ({ client, taskQueue }) => {
      const handle = await start(client, taskQueue, input());
      await handle.executeUpdate(confirmTransferUpdate, { args: [{ userId: 'admin-1', submissionId: 's1' }] });
      const accepting = handle.executeUpdate(confirmTransferUpdate, { args: [{ userId: 'target-1', submissionId: 's2' }] });
      await g.started;
      const cancel = await handle.startUpdate(cancelTransferUpdate, { args: [{ userId: 'admin-1' }], waitForStage: WorkflowUpdateStage.ACCEPTED });
      const cancelling = cancel.result().then(() => 'cancelled', refusalCode);
      g.open();
      expect(await accepting).toEqual({ step: 'accepted' });
      expect(await cancelling).toBe('TRANSFER_FINISHED');
      expect(await handle.result()).toEqual({ step: 'completed', reason: null });
      expect(f.called('endTransfer')).toEqual([]);
      await recordHistory(handle, 'admin-transfer-cancel-during-accept');
    });
  });

  it('a first code that cannot be sent ends the transfer as failed after bounded retries', async () => {
    const f = fakes({ sendTransferCode: async () => Promise.reject(new Error('SMS gateway down')) });
    await withWorkflowWorker({ activities: f.activities }, async ({ client, taskQueue }) => {
      const handle = await start(client, taskQueue, input({ codeRetry: { initialIntervalMs: 100, maximumAttempts: 3 } }));
      expect(await handle.result()).toEqual({ step: 'failed', reason: 'SMS_FAILED' });
      expect(f.called('sendTransferCode')).toHaveLength(3);
      expect(f.called('endTransfer').map((c) => c.input)).toEqual([expect.objectContaining({ outcome: 'failed', reason: 'SMS_FAILED' })]);
      await recordHistory(handle, 'admin-transfer-first-sms-failed');
    });
  });

  it('a business refusal of the first send is not retried', async () => {
    const f = fakes({ sendTransferCode: async () => Promise.reject(ApplicationFailure.create({ type: 'SMS_RATE_LIMITED', message: 'limited', nonRetryable: true })) });
    await withWorkflowWorker({ activities: f.activities }, async ({ client, taskQueue }) => {
      const handle = await start(client, taskQueue, input({ codeRetry: { initialIntervalMs: 100, maximumAttempts: 5 } }));
      expect(await handle.result()).toEqual({ step: 'failed', reason: 'SMS_FAILED' });
      expect(f.called('sendTransferCode')).toHaveLength(1);
    });
  });

  it('a failed completion re-check ends the transfer as failed with its reason', async () => {
    const f = fakes({ completeTransfer: async () => ({ ok: false as const, reason: 'TARGET_NOT_MEMBER' }) });
    await withWorkflowWorker({ activities: f.activities }, async ({ client, taskQueue }) => {
      const handle = await start(client, taskQueue, input());
      await handle.executeUpdate(confirmTransferUpdate, { args: [{ userId: 'admin-1', submissionId: 's1' }] });
      await handle.executeUpdate(confirmTransferUpdate, { args: [{ userId: 'target-1', submissionId: 's2' }] });
      expect(await handle.result()).toEqual({ step: 'failed', reason: 'TARGET_NOT_MEMBER' });
      await recordHistory(handle, 'admin-transfer-recheck-failed');
    });
  });

  it('expires at the deadline without changes', async () => {
    const f = fakes();
    await withWorkflowWorker({ activities: f.activities }, async ({ client, taskQueue }) => {
      const handle = await start(client, taskQueue, input({ deadline: new Date(Date.now() + 1500).toISOString() }));
      await handle.executeUpdate(confirmTransferUpdate, { args: [{ userId: 'admin-1', submissionId: 's1' }] });
      expect(await handle.result()).toEqual({ step: 'expired', reason: null });
      expect(f.called('endTransfer').map((c) => c.input)).toEqual([expect.objectContaining({ outcome: 'expired' })]);
      expect(f.called('completeTransfer')).toEqual([]);
      const late = await handle.executeUpdate(confirmTransferUpdate, { args: [{ userId: 'target-1', submissionId: 's2' }] }).then(() => 'accepted', refusalCode);
      expect(late).not.toBe('accepted');
      await recordHistory(handle, 'admin-transfer-expired');
    });
  });

  /**
   * A transfer whose target's code check (the second check) finishes `pastDeadlineMs` after its deadline, with `graceMs`.
   * The deadline is 6 s out: both confirmations must be admitted before it even on a loaded CI machine (1.5 s was not).
   */
  async function lateAcceptance(pastDeadlineMs: number, graceMs: number, then: (handle: Awaited<ReturnType<typeof start>>, f: ReturnType<typeof fakes>) => Promise<void>) {
    const deadline = Date.now() + 6000;
    let checks = 0;
    const f = fakes({
      checkTransferCode: async () => {
        // The target's check outlasts the deadline, as an infrastructure retry would.
        if (++checks === 2) await new Promise((r) => setTimeout(r, Math.max(0, deadline - Date.now()) + pastDeadlineMs));
        return { ok: true as const };
      },
    });
    await withWorkflowWorker({ activities: f.activities }, async ({ client, taskQueue }) => {
      const handle = await start(client, taskQueue, input({ deadline: new Date(deadline).toISOString(), acceptanceGraceMs: graceMs }));
      await handle.executeUpdate(confirmTransferUpdate, { args: [{ userId: 'admin-1', submissionId: 's1' }] });
      expect(await handle.executeUpdate(confirmTransferUpdate, { args: [{ userId: 'target-1', submissionId: 's2' }] })).toEqual({ step: 'accepted' });
      await then(handle, f);
    });
  }

  it('expiry wins over an acceptance that finished more than the grace after the deadline (its check retried across it): expired, nothing changes hands', async () => {
    await lateAcceptance(800, 200, async (handle, f) => {
      expect(await handle.result()).toEqual({ step: 'expired', reason: 'ACCEPTED_AFTER_DEADLINE' });
      expect(f.called('completeTransfer')).toEqual([]);
      expect(f.called('endTransfer').map((c) => c.input)).toEqual([expect.objectContaining({ outcome: 'expired', reason: 'ACCEPTED_AFTER_DEADLINE' })]);
      await recordHistory(handle, 'admin-transfer-accepted-after-deadline');
    });
  });

  it('an acceptance that finishes within the grace after the deadline still completes', async () => {
    await lateAcceptance(300, 30_000, async (handle) => {
      expect(await handle.result()).toEqual({ step: 'completed', reason: null });
    });
  });

  it('ends when the target is removed from the enterprise', async () => {
    const f = fakes();
    await withWorkflowWorker({ activities: f.activities }, async ({ client, taskQueue }) => {
      const handle = await start(client, taskQueue, input());
      await handle.executeUpdate(confirmTransferUpdate, { args: [{ userId: 'admin-1', submissionId: 's1' }] });
      await handle.signal(targetRemovedSignal, { userId: 'someone-else' });
      await handle.signal(targetRemovedSignal, { userId: 'target-1' });
      expect(await handle.result()).toEqual({ step: 'cancelled', reason: 'TARGET_REMOVED' });
      expect(f.called('endTransfer').map((c) => c.input)).toEqual([expect.objectContaining({ outcome: 'cancelled', reason: 'TARGET_REMOVED' })]);
      await recordHistory(handle, 'admin-transfer-target-removed');
    });
  });

  it('ends when the administrator who started it is replaced (an operator-approved application)', async () => {
    const f = fakes();
    await withWorkflowWorker({ activities: f.activities }, async ({ client, taskQueue }) => {
      const handle = await start(client, taskQueue, input());
      await handle.executeUpdate(confirmTransferUpdate, { args: [{ userId: 'admin-1', submissionId: 's1' }] });
      await handle.signal(administratorReplacedSignal);
      expect(await handle.result()).toEqual({ step: 'cancelled', reason: 'ADMIN_CHANGED' });
      expect(f.called('endTransfer').map((c) => c.input)).toEqual([expect.objectContaining({ outcome: 'cancelled', reason: 'ADMIN_CHANGED' })]);
      expect(f.called('completeTransfer')).toEqual([]);
      await recordHistory(handle, 'admin-transfer-administrator-replaced');
    });
  });
  it('a run behind the row (Reset without reapplying the administrator confirmation): the new administrator is judged by the database, not refused NOT_YOUR_STEP', async () => {
    // The row: the administrator confirms in it only; the workflow never sees that confirmation.
    let row: 'awaiting_admin_code' | 'awaiting_target_code' = 'awaiting_admin_code';
    const f = fakes({
      sendTransferCode: async ({ party }) => {
        const turn = party === 'admin' ? 'awaiting_admin_code' : 'awaiting_target_code';
        return { sent: row === turn, status: row };
      },
      // A submission is recorded for the new administrator's step only while the row awaits it (the API reads the row).
      checkTransferCode: async ({ party, submissionId }) =>
        party === 'target' && (row !== 'awaiting_target_code' || submissionId === 'early')
          ? { ok: false as const, code: 'NOT_YOUR_STEP', message: '当前不是您的确认步骤', messageEn: 'This confirmation step is not yours' }
          : submissionId === 'wrong'
            ? { ok: false as const, code: 'SMS_CODE_WRONG', message: '验证码错误', messageEn: 'Wrong code' }
            : { ok: true as const },
    });
    await withWorkflowWorker({ activities: f.activities }, async ({ client, taskQueue }) => {
      const handle = await start(client, taskQueue, input());
      await expect.poll(() => f.called('sendTransferCode').length).toBe(1);
      // Before the administrator confirmed, the database agrees: NOT_YOUR_STEP, and nothing sent to the new administrator.
      expect(await handle.executeUpdate(confirmTransferUpdate, { args: [{ userId: 'target-1', submissionId: 'early' }] }).then(() => 'accepted', refusalCode)).toBe('NOT_YOUR_STEP');
      expect(await handle.executeUpdate(resendTransferCodeUpdate, { args: [{ userId: 'target-1' }] }).then(() => 'sent', refusalCode)).toBe('NOT_YOUR_STEP');
      expect(await handle.query(transferStepQuery)).toBe('awaiting_admin_code');
      row = 'awaiting_target_code'; // the administrator's confirmation, committed in a run the Reset dropped
      expect(await handle.executeUpdate(resendTransferCodeUpdate, { args: [{ userId: 'target-1' }] })).toBeUndefined();
      expect(await handle.query(transferStepQuery)).toBe('awaiting_target_code');
      expect(await handle.executeUpdate(confirmTransferUpdate, { args: [{ userId: 'target-1', submissionId: 's2' }] })).toEqual({ step: 'accepted' });
      expect(await handle.result()).toEqual({ step: 'completed', reason: null });
      expect(f.called('sendTransferCode').map((c) => c.input)).toEqual([
        expect.objectContaining({ party: 'admin' }),
        expect.objectContaining({ party: 'target' }),
        expect.objectContaining({ party: 'target' }),
      ]);
      await recordHistory(handle, 'admin-transfer-stale-step');
    });
  });

  it('a run behind the row: a wrong code of the new administrator is refused with its own code and the row’s step adopted', async () => {
    const f = fakes({
      // The first code was answered before the administrator's confirmation committed: the run's view stays behind.
      sendTransferCode: async () => ({ sent: true, status: 'awaiting_admin_code' as const }),
      checkTransferCode: async ({ submissionId }) => (submissionId === 'wrong' ? { ok: false as const, code: 'SMS_CODE_WRONG', message: '验证码错误', messageEn: 'Wrong code' } : { ok: true as const }),
    });
    await withWorkflowWorker({ activities: f.activities }, async ({ client, taskQueue }) => {
      const handle = await start(client, taskQueue, input());
      await expect.poll(() => f.called('sendTransferCode').length).toBe(1);
      expect(await handle.executeUpdate(confirmTransferUpdate, { args: [{ userId: 'target-1', submissionId: 'wrong' }] }).then(() => 'accepted', refusalCode)).toBe('SMS_CODE_WRONG');
      expect(await handle.query(transferStepQuery)).toBe('awaiting_target_code');
      expect(await handle.executeUpdate(confirmTransferUpdate, { args: [{ userId: 'target-1', submissionId: 's2' }] })).toEqual({ step: 'accepted' });
      expect(await handle.result()).toEqual({ step: 'completed', reason: null });
      expect(f.called('checkTransferCode').map((c) => (c.input as { party: string }).party)).toEqual(['target', 'target']);
    });
  });
  it('a Cancel from Temporal UI while it waits ends the transfer as cancelled (PROCESS_ENDED) before the workflow ends cancelled', async () => {
    const f = fakes();
    await withWorkflowWorker({ activities: f.activities }, async ({ client, taskQueue }) => {
      const handle = await start(client, taskQueue, input());
      await handle.executeUpdate(confirmTransferUpdate, { args: [{ userId: 'admin-1', submissionId: 's1' }] });
      await handle.cancel();
      const failure = await handle.result().then(() => undefined, (err: unknown) => err);
      expect(failure).toBeInstanceOf(WorkflowFailedError);
      expect((failure as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
      expect(f.called('endTransfer').map((c) => c.input)).toEqual([expect.objectContaining({ outcome: 'cancelled', reason: 'PROCESS_ENDED' })]);
      expect(f.called('readTransferEnd')).toHaveLength(1);
      expect(f.called('completeTransfer')).toEqual([]);
      await recordHistory(handle, 'admin-transfer-cancelled-waiting');
    });
  });

  it('a Cancel from Temporal UI while the first code is sent ends the transfer as cancelled, not as SMS_FAILED', async () => {
    const g = gate();
    const f = fakes({ sendTransferCode: async () => (await g.wait(), { sent: true, status: 'awaiting_admin_code' as const }) });
    await withWorkflowWorker({ activities: f.activities }, async ({ client, taskQueue }) => {
      try {
        const handle = await start(client, taskQueue, input());
        await g.started;
        await handle.cancel();
        expect(await handle.result().then(() => 'completed', (err: unknown) => (err as WorkflowFailedError).cause)).toBeInstanceOf(CancelledFailure);
        expect(f.called('endTransfer').map((c) => c.input)).toEqual([expect.objectContaining({ outcome: 'cancelled', reason: 'PROCESS_ENDED' })]);
      } finally {
        g.open(); // the abandoned attempt (it does not heartbeat) finishes; the worker can shut down
      }
    });
  });

  it('a Cancel from Temporal UI while the completion runs: a completion that committed anyway is adopted; one that did not ends as cancelled', async () => {
    for (const committed of [true, false]) {
      const g = gate();
      const f = fakes({
        completeTransfer: async () => (await g.wait(), { ok: true as const }),
        readTransferEnd: async () => (committed ? { status: 'completed' as const, endReason: null } : { status: 'cancelled' as const, endReason: 'PROCESS_ENDED' }),
      });
      await withWorkflowWorker({ activities: f.activities }, async ({ client, taskQueue }) => {
        try {
          const handle = await start(client, taskQueue, input());
          await handle.executeUpdate(confirmTransferUpdate, { args: [{ userId: 'admin-1', submissionId: 's1' }] });
          await handle.executeUpdate(confirmTransferUpdate, { args: [{ userId: 'target-1', submissionId: 's2' }] });
          await g.started;
          await handle.cancel();
          const result = await handle.result().then((r) => r, (err: unknown) => (err as WorkflowFailedError).cause);
          // The ending is asked of the row (endTransfer does nothing to a completed row), never taken for COMPLETION_FAILED.
          expect(f.called('endTransfer').map((c) => c.input)).toEqual([expect.objectContaining({ outcome: 'cancelled', reason: 'PROCESS_ENDED' })]);
          if (committed) {
            expect(result).toEqual({ step: 'completed', reason: null });
            await recordHistory(handle, 'admin-transfer-cancel-during-completion');
          } else {
            expect(result).toBeInstanceOf(CancelledFailure);
          }
        } finally {
          g.open(); // the abandoned attempt (it does not heartbeat) finishes; the worker can shut down
        }
      });
    }
  });

  it('search attributes: EnterpriseId, InitiatorId and ProcessStatus from the start, ProcessStatus following the step to completed', async () => {
    const f = fakes();
    await withWorkflowWorker({ activities: f.activities }, async ({ client, taskQueue }) => {
      const t = { id: randomUUID(), enterpriseId: randomUUID(), fromUserId: 'admin-1', toUserId: 'target-1', deadline: new Date(Date.now() + 60_000) };
      await startAdminTransferWorkflow(client, taskQueue, t, 10_000);
      const handle = client.workflow.getHandle<typeof adminTransferWorkflow>(adminTransferWorkflowId(t.id));
      const status = async () => (await handle.describe()).typedSearchAttributes.get(SA_PROCESS_STATUS);
      const started = (await handle.describe()).typedSearchAttributes;
      expect([started.get(SA_ENTERPRISE_ID), started.get(SA_INITIATOR_ID), started.get(SA_PROCESS_STATUS)]).toEqual([t.enterpriseId, 'admin-1', 'awaiting_admin_code']);
      await handle.executeUpdate(confirmTransferUpdate, { args: [{ userId: 'admin-1', submissionId: 's1' }] });
      expect(await status()).toBe('awaiting_target_code');
      await handle.executeUpdate(confirmTransferUpdate, { args: [{ userId: 'target-1', submissionId: 's2' }] });
      expect(await handle.result()).toEqual({ step: 'completed', reason: null });
      expect(await status()).toBe('completed');
      await recordHistory(handle, 'admin-transfer-process-status');
    });
  });

  it('a run reset after its transfer ended (reapplying nothing) adopts the row’s ending at once: nothing sent, waited for or written', async () => {
    for (const row of [{ status: 'completed' as const, endReason: null }, { status: 'cancelled' as const, endReason: 'TARGET_REMOVED' }]) {
      const f = fakes({ sendTransferCode: async () => ({ sent: false, ...row }) });
      await withWorkflowWorker({ activities: f.activities }, async ({ client, taskQueue }) => {
        // The deadline is far: a run that waited for it (as it used to) would not end within the test.
        const handle = await start(client, taskQueue, input({ deadline: new Date(Date.now() + 3600_000).toISOString() }));
        expect(await handle.result()).toEqual({ step: row.status, reason: row.endReason });
        expect(f.calls.map((c) => c.name)).toEqual(['sendTransferCode']);
        expect((await handle.describe()).typedSearchAttributes.get(SA_PROCESS_STATUS)).toBe(row.status);
        if (row.status === 'completed') await recordHistory(handle, 'admin-transfer-adopted-end');
      });
    }
  });

  it('a malformed message (Temporal UI, no payload or another one) fails no workflow task: a targetRemoved is ignored, an Update is rejected INVALID_REQUEST; the transfer goes on', async () => {
    const f = fakes();
    await withWorkflowWorker({ activities: f.activities }, async ({ client, taskQueue }) => {
      const handle = await start(client, taskQueue, input());
      await handle.signal('targetRemoved');
      await handle.signal('targetRemoved', null);
      await handle.signal('targetRemoved', 'target-1');
      await handle.signal('targetRemoved', { user: 'target-1' });
      const malformed: Array<[string, unknown[]]> = [
        ['confirm', []],
        ['confirm', [null]],
        ['confirm', ['admin-1']],
        ['confirm', [{ userId: 'admin-1' }]],
        ['confirm', [{ userId: 7, submissionId: 's1' }]],
        ['resendCode', []],
        ['resendCode', [{ userId: '' }]],
        ['cancel', []],
        ['cancel', [[]]],
        ['cancel', [{ userId: { id: 'admin-1' } }]],
      ];
      for (const [update, args] of malformed) {
        expect([update, await handle.executeUpdate(update, { args: args as [unknown] }).then(() => 'accepted', refusalCode)]).toEqual([update, 'INVALID_REQUEST']);
      }
      expect(await handle.query(transferStepQuery)).toBe('awaiting_admin_code');
      expect(f.called('checkTransferCode')).toEqual([]);
      await handle.executeUpdate(cancelTransferUpdate, { args: [{ userId: 'admin-1' }] });
      expect(await handle.result()).toEqual({ step: 'cancelled', reason: null });
      expect((await handle.fetchHistory()).events!.filter((e) => e.workflowTaskFailedEventAttributes)).toEqual([]);
      await recordHistory(handle, 'admin-transfer-malformed-messages');
    });
  });

  it('search attributes: a cancel sets ProcessStatus cancelled', async () => {
    const f = fakes();
    await withWorkflowWorker({ activities: f.activities }, async ({ client, taskQueue }) => {
      const handle = await start(client, taskQueue, input());
      await handle.executeUpdate(cancelTransferUpdate, { args: [{ userId: 'admin-1' }] });
      await handle.result();
      expect((await handle.describe()).typedSearchAttributes.get(SA_PROCESS_STATUS)).toBe('cancelled');
    });
  });
});
