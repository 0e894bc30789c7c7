/**
 * EnterpriseRecertificationWorkflow when an activity loses a race (CONCURRENT_CHANGE: a lost optimistic
 * lock, a deadlock, a lock wait; domain/persistence/concurrency.ts), with fake activities that throw
 * what the real ones throw (activities/activity-errors.ts `classifyActivityError`): the activity is
 * retried under its retry policy, so a cancel from Temporal UI or the deadline's expiry that meets a
 * concurrent write still ends the change (it used to fail the workflow, which the reconciler then
 * restarted: the operator's cancel was lost); an Update whose retries are all lost answers the
 * conflict itself (409 in the API), not "temporarily unavailable".
 */
import { randomUUID } from 'node:crypto';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { WorkflowFailedError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { classifyActivityError } from '../../activities/activity-errors';
import type { ChangeSnapshot } from '../../activities/recertification-activities';
import type { EnterpriseChangeStatus } from '../../domain/enterprises/enterprise-change.entity';
import { concurrentChange } from '../../domain/persistence/concurrency';
import { submitRecertificationUpdate, type EnterpriseRecertificationInput } from '../../workflows/enterprise-recertification';
import { startRecertificationWorkflow } from '../../workflows/clients/start-recertification-workflow';
import { recertificationWorkflowId } from '../../workflows/search-attributes';
import { eventually, withWorkflowWorker } from '../harness/workflow-env';

type Row = { status: EnterpriseChangeStatus; deadlineAt: string | null; endReason: string | null };
type Fake = (input: never) => Promise<unknown>;

const DAY = 86_400_000;
/** What an activity throws when the domain lost a race (asActivityFailure → classifyActivityError). */
const lostRace = () => classifyActivityError(concurrentChange());

/** One in-memory change row and the activities the paths below use; `over` replaces some of them (given the plain ones). */
function fakes(over: (base: Record<string, Fake>) => Record<string, Fake> = () => ({})) {
  const row: Row = { status: 'drafting', deadlineAt: new Date(Date.now() + 30 * DAY).toISOString(), endReason: null };
  const calls: string[] = [];
  const snap = (): ChangeSnapshot => ({ status: row.status, deadlineAt: row.deadlineAt });
  const end = (status: EnterpriseChangeStatus, endReason: string) => (Object.assign(row, { status, endReason, deadlineAt: null }), snap());
  const base: Record<string, Fake> = {
    loadRecertification: async () => snap(),
    cancelRecertification: async () => (row.status === 'drafting' ? end('abandoned', 'cancelled_by_platform') : end('lapsed', 'cancelled_by_platform')),
    expireRecertification: async () => (row.status === 'drafting' ? end('abandoned', 'expired') : snap()),
    submitRecertification: async () => (Object.assign(row, { status: 'under_review', deadlineAt: null }), { ...snap(), certificateIds: [] }),
    abandonRecertification: async () => end('abandoned', 'abandoned'),
    reviewRecertification: async () => ({ ...end('approved', ''), createdSealIds: [] }),
    drawRecertifiedSeals: async () => undefined,
    pushRevocations: async () => ({ pushed: 0, refused: 0, failed: 0 }),
  };
  const activities = Object.fromEntries(
    Object.entries({ ...base, ...over(base) }).map(([name, fn]) => [
      name,
      async (input: never) => {
        calls.push(name);
        return fn(input);
      },
    ]),
  );
  return { row, activities, count: (name: string) => calls.filter((c) => c === name).length };
}

/** Throws the lost race on the first `n` calls, then runs `then`. */
function losing(n: number, then: Fake = async () => undefined): Fake {
  let lost = 0;
  return async (input) => {
    if (lost++ < n) throw lostRace();
    return then(input);
  };
}

const RETRY = { initialIntervalMs: 100, maximumAttempts: 2 };

async function start(client: Client, taskQueue: string, timing: EnterpriseRecertificationInput['timing'] = {}) {
  const change = { id: randomUUID(), enterpriseId: randomUUID(), seq: 1 };
  await startRecertificationWorkflow(client, taskQueue, change, { input: { timing, retry: RETRY } });
  return client.workflow.getHandle<(input: EnterpriseRecertificationInput) => Promise<{ status: EnterpriseChangeStatus }>>(recertificationWorkflowId(change.enterpriseId, change.seq));
}

describe('EnterpriseRecertificationWorkflow: activities that lose a race are retried', () => {
  it('cancel from Temporal UI whose cancelRecertification meets a concurrent write: retried, the change ends, the workflow ends cancelled (not failed)', async () => {
    const f = fakes((base) => ({ cancelRecertification: losing(1, base.cancelRecertification) }));
    await withWorkflowWorker({ activities: f.activities }, async ({ client, taskQueue }) => {
      const handle = await start(client, taskQueue);
      await eventually(async () => f.count('loadRecertification') > 0, 10_000, 'loaded');
      await handle.cancel();
      const failure = await handle.result().then(() => null, (err: unknown) => err);
      expect(failure).toBeInstanceOf(WorkflowFailedError);
      expect((failure as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
      expect(f.count('cancelRecertification')).toBe(2);
      expect(f.row).toMatchObject({ status: 'abandoned', endReason: 'cancelled_by_platform' });
    });
  });

  it('the deadline’s expiry that meets a concurrent write is retried and ends the draft', async () => {
    const f = fakes((base) => ({ expireRecertification: losing(1, base.expireRecertification) }));
    await withWorkflowWorker({ activities: f.activities }, async ({ client, taskQueue }) => {
      const handle = await start(client, taskQueue, { draftMs: 1000 });
      expect(await handle.result()).toMatchObject({ status: 'abandoned' });
      expect(f.count('expireRecertification')).toBe(2);
      expect(f.row).toMatchObject({ status: 'abandoned', endReason: 'expired' });
    });
  });

  it('a submission that loses every attempt answers the conflict with its message (not RECERTIFICATION_UNAVAILABLE)', async () => {
    const f = fakes(() => ({ submitRecertification: losing(Number.POSITIVE_INFINITY) }));
    await withWorkflowWorker({ activities: f.activities }, async ({ client, taskQueue }) => {
      const handle = await start(client, taskQueue);
      const answer = await handle
        .executeUpdate(submitRecertificationUpdate, { args: [{ actorUserId: 'admin-1', name: '新名称有限公司', uscc: '91350100M000100Y43', letterKey: null, letterType: null }] })
        .then(() => null, (err: unknown) => err);
      expect(answer).toBeInstanceOf(WorkflowUpdateFailedError);
      const cause = (answer as WorkflowUpdateFailedError).cause as ApplicationFailure;
      expect(cause.type).toBe('CONCURRENT_CHANGE');
      expect(cause.details?.[0]).toEqual({ code: 'CONCURRENT_CHANGE', message: '数据已被他人修改，请刷新后重试', messageEn: 'Someone else changed this at the same time; reload and retry' });
      expect(f.count('submitRecertification')).toBe(RETRY.maximumAttempts);
      expect(f.row.status).toBe('drafting');
      await handle.cancel();
    });
  });
});
