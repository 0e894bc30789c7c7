/**
 * EnterpriseRecertificationWorkflow paths with fake activities (an in-memory change row instead of
 * the database, no CA) against the suite's Temporal dev server, deadlines of 1–2 s passed as
 * `timing`: approval; rejection → resubmission → approval; draft expiry; resubmission lapse → change
 * n+1 (开始重新认证) approved; abandon; the point of no return; cancel from Temporal UI (before and
 * during a submission) leaves the row ended; a terminated workflow started again by the reconciler's
 * start continues from the row; a run whose view is behind the row (an operator's Reset without
 * reapplying the Updates) judges on the reloaded row; an operator's Reset WITH the default reapply delivers the old
 * Updates again, which change nothing (they name their submission). Each finished path is recorded as a replay fixture with
 * RECORD_HISTORY=1 (workflows/fixtures/enterprise-recertification-*.history.json).
 */
import { randomUUID } from 'node:crypto';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { WorkflowFailedError, WorkflowUpdateFailedError, WorkflowUpdateStage, type Client } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import type { ChangeSnapshot, RecertificationActivities } from '../../activities/recertification-activities';
import { temporalRecertificationWorkflows } from '../../activities/reconcile-activities';
import type { EnterpriseChange, EnterpriseChangeStatus } from '../../domain/enterprises/enterprise-change.entity';
import {
  abandonRecertificationUpdate,
  recertificationStatusQuery,
  reviewRecertificationUpdate,
  submitRecertificationUpdate,
  type EnterpriseRecertificationInput,
  type SubmitRecertificationRequest,
} from '../../workflows/enterprise-recertification';
import { startRecertificationWorkflow } from '../../workflows/clients/start-recertification-workflow';
import { recertificationWorkflowId, SA_ENTERPRISE_ID, SA_PROCESS_STATUS } from '../../workflows/search-attributes';
import { eventually, recordHistory, withWorkflowWorker } from '../harness/workflow-env';
import { resetToFirstWorkflowTask } from '../harness/workflow-reset';

type Call = { name: string; input: unknown };
type Row = { status: EnterpriseChangeStatus; deadlineAt: string | null; submissions: number; decisions: number; endReason: string | null; submissionId: string | null };

const USCC = '91350100M000100Y43';
const DAY = 86_400_000;
const refusal = (code: string, message: string, messageEn: string) => ApplicationFailure.create({ type: code, message, nonRetryable: true, details: [{ code, message, messageEn }] });

/**
 * Fake activities over in-memory change rows, with the domain's transitions (end.ts, submit.ts,
 * review.ts) reduced to what the workflow relies on. `rows` is the "database" the test inspects.
 */
function fakes(over: Partial<Record<keyof RecertificationActivities | 'pushRevocations', (input: never) => Promise<unknown>>> = {}) {
  const calls: Call[] = [];
  const rows = new Map<string, Row>();
  const row = (id: string) => {
    const r = rows.get(id);
    if (!r) throw refusal('CHANGE_NOT_FOUND', '变更不存在', 'Change not found');
    return r;
  };
  const snap = (r: Row): ChangeSnapshot => ({ status: r.status, deadlineAt: r.deadlineAt });
  const end = (r: Row, status: EnterpriseChangeStatus, endReason: string) => Object.assign(r, { status, endReason, deadlineAt: null });
  const open = (r: Row) => ['drafting', 'awaiting_submission', 'under_review', 'rejected'].includes(r.status);
  const base = {
    loadRecertification: async ({ changeId }: { changeId: string }) => snap(row(changeId)),
    submitRecertification: async (input: SubmitRecertificationRequest & { changeId: string }) => {
      const r = row(input.changeId);
      // A named submission the row already carries is answered as it was; one read before another is superseded (submit.ts).
      if (input.submissionId !== undefined && input.submissionId === r.submissionId) return { ...snap(r), certificateIds: [] };
      if (input.previousSubmissionId !== undefined && input.previousSubmissionId !== r.submissionId) throw refusal('RECERTIFICATION_SUBMISSION_SUPERSEDED', '该变更已有更新的提交', 'This change has a newer submission');
      if (!['drafting', 'awaiting_submission', 'rejected'].includes(r.status)) throw refusal('CHANGE_NOT_SUBMITTABLE', '当前状态不能提交', 'Cannot submit now');
      if (input.uscc !== USCC) throw refusal('USCC_MISMATCH', '统一社会信用代码与企业不一致', 'The USCC does not match the enterprise');
      const first = r.submissions++ === 0 && r.status !== 'awaiting_submission';
      Object.assign(r, { status: 'under_review', deadlineAt: null, submissionId: input.submissionId ?? null });
      return { ...snap(r), certificateIds: first ? ['cert-1', 'cert-2'] : [] };
    },
    abandonRecertification: async ({ changeId }: { changeId: string }) => snap(end(row(changeId), 'abandoned', 'abandoned')),
    reviewRecertification: async (input: { changeId: string; approve: boolean; reason: string | null; submissionId?: string | null }) => {
      const r = row(input.changeId);
      // A decision for another submission than the row's current one is refused (review.ts).
      if (input.submissionId !== undefined && input.submissionId !== r.submissionId) throw refusal('RECERTIFICATION_SUBMISSION_SUPERSEDED', '企业已重新提交', 'The enterprise has resubmitted');
      if (r.status !== 'under_review') throw refusal('CHANGE_NOT_UNDER_REVIEW', '该重新认证不在审核中', 'Not under review');
      r.decisions++;
      if (input.approve) return { ...snap(end(r, 'approved', '')), createdSealIds: ['seal-new-1', 'seal-new-2'] };
      Object.assign(r, { status: 'rejected', deadlineAt: new Date(Date.now() + 30 * DAY).toISOString() });
      return { ...snap(r), createdSealIds: [] };
    },
    expireRecertification: async ({ changeId }: { changeId: string }) => {
      const r = row(changeId);
      if (r.status === 'drafting') return snap(end(r, 'abandoned', 'expired'));
      return snap(open(r) && r.status !== 'under_review' ? end(r, 'lapsed', 'lapsed') : r);
    },
    cancelRecertification: async ({ changeId }: { changeId: string }) => {
      const r = row(changeId);
      if (!open(r)) return snap(r);
      return snap(r.status === 'drafting' ? end(r, 'abandoned', 'cancelled_by_platform') : end(r, 'lapsed', 'cancelled_by_platform'));
    },
    drawRecertifiedSeals: async () => undefined,
    pushRevocations: async () => ({ pushed: 2, refused: 0, failed: 0 }),
  };
  const merged = { ...base, ...over } as unknown as Record<string, (input: unknown) => Promise<unknown>>;
  const activities = Object.fromEntries(
    Object.entries(merged).map(([name, fn]) => [
      name,
      async (input: unknown) => {
        calls.push({ name, input });
        return fn(input);
      },
    ]),
  );
  /** A change row in the fake database, as the API's domain call would have written it. */
  const add = (status: EnterpriseChangeStatus = 'drafting', seq = 1, enterpriseId: string = randomUUID()) => {
    const change = { id: randomUUID(), enterpriseId, seq };
    rows.set(change.id, { status, deadlineAt: new Date(Date.now() + 30 * DAY).toISOString(), submissions: 0, decisions: 0, endReason: null, submissionId: null });
    return change;
  };
  return { activities, calls, rows, add, called: (name: string) => calls.filter((c) => c.name === name).map((c) => c.input) };
}

const RETRY = { initialIntervalMs: 100, maximumAttempts: 2 };

async function start(client: Client, taskQueue: string, change: { id: string; enterpriseId: string; seq: number }, timing: EnterpriseRecertificationInput['timing'] = {}) {
  await startRecertificationWorkflow(client, taskQueue, change, { input: { timing, retry: RETRY } });
  return client.workflow.getHandle<(input: EnterpriseRecertificationInput) => Promise<{ status: EnterpriseChangeStatus }>>(recertificationWorkflowId(change.enterpriseId, change.seq));
}

const submission = (over: Partial<SubmitRecertificationRequest> = {}): SubmitRecertificationRequest => ({ actorUserId: 'admin-1', name: '新名称有限公司', uscc: USCC, letterKey: 'letters/admin-1/a.pdf', letterType: 'application/pdf', ...over });

/** The refusal's code (and zh message) of a failed Update. */
async function refused(p: Promise<unknown>) {
  try {
    await p;
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) return { code: err.cause.type, message: (err.cause.details?.[0] as { message?: string } | undefined)?.message };
    throw err;
  }
  throw new Error('the Update was accepted');
}

/** A gate an activity waits on, and a promise that says it has started. */
function gate() {
  let open!: () => void;
  let entered!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  const started = new Promise<void>((r) => (entered = r));
  return { open, started, wait: async () => (entered(), opened) };
}

describe('EnterpriseRecertificationWorkflow paths', () => {
  it('submit → operator approves: revocations pushed after the submission, new seals drawn after the approval', async () => {
    const f = fakes();
    await withWorkflowWorker({ activities: f.activities }, async ({ client, taskQueue }) => {
      const change = f.add();
      const handle = await start(client, taskQueue, change);
      const loaded = await eventually(async () => {
        const p = await handle.query(recertificationStatusQuery);
        return p.deadlineAt ? p : null;
      }, 10_000, 'loaded');
      expect(loaded).toEqual({ changeId: change.id, status: 'drafting', deadlineAt: f.rows.get(change.id)?.deadlineAt });
      expect(await handle.executeUpdate(submitRecertificationUpdate, { args: [submission()] })).toMatchObject({ status: 'under_review', deadlineAt: null });
      await eventually(async () => f.called('pushRevocations').length > 0, 10_000, 'revocations pushed');
      expect(f.called('pushRevocations')).toEqual([{ certificateIds: ['cert-1', 'cert-2'] }]);
      expect(await handle.executeUpdate(reviewRecertificationUpdate, { args: [{ operatorId: 'op-1', approve: true, reason: null }] })).toMatchObject({ status: 'approved' });
      expect(await handle.result()).toMatchObject({ status: 'approved' });
      expect(f.called('drawRecertifiedSeals')).toEqual([{ sealIds: ['seal-new-1', 'seal-new-2'] }]);
      expect(f.called('submitRecertification')).toEqual([{ changeId: change.id, ...submission(), submittedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) }]);
      expect(f.rows.get(change.id)?.status).toBe('approved');
      expect((await handle.describe()).typedSearchAttributes.get(SA_ENTERPRISE_ID)).toBe(change.enterpriseId);
      await recordHistory(handle, 'enterprise-recertification-approved');
    });
  });

  it('reject (reason required) → resubmit keeping the letter → approve; abandon after submission is refused (point of no return)', async () => {
    const f = fakes();
    await withWorkflowWorker({ activities: f.activities }, async ({ client, taskQueue }) => {
      const change = f.add();
      const handle = await start(client, taskQueue, change);
      expect(await refused(handle.executeUpdate(submitRecertificationUpdate, { args: [submission({ uscc: '91350100M000100Y44' })] }))).toEqual({ code: 'USCC_MISMATCH', message: '统一社会信用代码与企业不一致' });
      expect(await refused(handle.executeUpdate(reviewRecertificationUpdate, { args: [{ operatorId: 'op-1', approve: true, reason: null }] }))).toMatchObject({ code: 'RECERTIFICATION_NOT_UNDER_REVIEW' });
      await handle.executeUpdate(submitRecertificationUpdate, { args: [submission()] });
      expect(await refused(handle.executeUpdate(abandonRecertificationUpdate, { args: [{ actorUserId: 'admin-1' }] }))).toEqual({ code: 'RECERTIFICATION_SUBMITTED', message: '已提交重新认证，不能再放弃变更' });
      expect(await refused(handle.executeUpdate(reviewRecertificationUpdate, { args: [{ operatorId: 'op-1', approve: false, reason: '  ' }] }))).toMatchObject({ code: 'INVALID_REQUEST' });
      const rejected = await handle.executeUpdate(reviewRecertificationUpdate, { args: [{ operatorId: 'op-1', approve: false, reason: '授权书不清晰' }] });
      expect(rejected).toMatchObject({ status: 'rejected', deadlineAt: f.rows.get(change.id)?.deadlineAt });
      expect(await refused(handle.executeUpdate(reviewRecertificationUpdate, { args: [{ operatorId: 'op-1', approve: true, reason: null }] }))).toMatchObject({ code: 'RECERTIFICATION_NOT_UNDER_REVIEW' });
      expect(await handle.executeUpdate(submitRecertificationUpdate, { args: [submission({ letterKey: null, letterType: null })] })).toMatchObject({ status: 'under_review' });
      await handle.executeUpdate(reviewRecertificationUpdate, { args: [{ operatorId: 'op-1', approve: true, reason: null }] });
      expect(await handle.result()).toMatchObject({ status: 'approved' });
      // Revocations only for the first submission (the resubmission had nothing left to revoke).
      expect(f.called('pushRevocations')).toEqual([{ certificateIds: ['cert-1', 'cert-2'] }]);
      expect(f.called('reviewRecertification')).toEqual([
        { changeId: change.id, operatorId: 'op-1', approve: false, reason: '授权书不清晰' },
        { changeId: change.id, operatorId: 'op-1', approve: true, reason: null },
      ]);
      await recordHistory(handle, 'enterprise-recertification-rejected-resubmitted');
    });
  });

  it('a review that committed but whose answer was lost: the retry is refused, the workflow reloads the row and ends approved (it used to wait for ever)', async () => {
    let answerLost = true;
    const f = fakes({
      reviewRecertification: (async (input: { changeId: string }) => {
        const r = f.rows.get(input.changeId)!;
        if (r.status !== 'under_review') throw refusal('RECERTIFICATION_NOT_UNDER_REVIEW', '该变更不在审核中', 'The change is not under review');
        Object.assign(r, { status: 'approved', endReason: '', deadlineAt: null });
        if (answerLost) {
          answerLost = false;
          throw new Error('connection reset after the commit');
        }
        return { status: 'approved', deadlineAt: null, createdSealIds: [] };
      }) as (input: never) => Promise<unknown>,
    });
    await withWorkflowWorker({ activities: f.activities }, async ({ client, taskQueue }) => {
      const change = f.add();
      const handle = await start(client, taskQueue, change);
      await handle.executeUpdate(submitRecertificationUpdate, { args: [submission()] });
      expect(await refused(handle.executeUpdate(reviewRecertificationUpdate, { args: [{ operatorId: 'op-1', approve: true, reason: null }] }))).toMatchObject({ code: 'RECERTIFICATION_NOT_UNDER_REVIEW' });
      expect(await Promise.race([handle.result(), new Promise((resolve) => setTimeout(() => resolve('still running'), 10_000))])).toMatchObject({ status: 'approved' });
      expect(f.called('reviewRecertification')).toHaveLength(2);
      await recordHistory(handle, 'enterprise-recertification-review-answer-lost');
    });
  });

  it('a draft not submitted by its deadline is abandoned by the timer (expired); later requests are refused', async () => {
    const f = fakes();
    await withWorkflowWorker({ activities: f.activities }, async ({ client, taskQueue }) => {
      const change = f.add();
      const handle = await start(client, taskQueue, change, { draftMs: 1500 });
      expect(await handle.result()).toMatchObject({ status: 'abandoned' });
      expect(f.called('expireRecertification')).toEqual([{ changeId: change.id }]);
      expect(f.rows.get(change.id)).toMatchObject({ status: 'abandoned', endReason: 'expired' });
      expect(f.called('submitRecertification')).toEqual([]);
      await expect(handle.executeUpdate(submitRecertificationUpdate, { args: [submission()] })).rejects.toThrow();
      await recordHistory(handle, 'enterprise-recertification-draft-expired');
    });
  });

  it('a rejected change not resubmitted in time lapses; 开始重新认证 opens change n+1 in awaiting_submission, which cannot be abandoned and is approved', async () => {
    const f = fakes();
    await withWorkflowWorker({ activities: f.activities }, async ({ client, taskQueue }) => {
      const first = f.add();
      const handle = await start(client, taskQueue, first, { resubmitMs: 1500 });
      await handle.executeUpdate(submitRecertificationUpdate, { args: [submission()] });
      await handle.executeUpdate(reviewRecertificationUpdate, { args: [{ operatorId: 'op-1', approve: false, reason: '名称不符' }] });
      expect(await handle.result()).toMatchObject({ status: 'lapsed' });
      expect(f.rows.get(first.id)).toMatchObject({ status: 'lapsed', endReason: 'lapsed' });
      await recordHistory(handle, 'enterprise-recertification-lapsed');

      const second = f.add('awaiting_submission', 2, first.enterpriseId);
      const next = await start(client, taskQueue, second, { resubmitMs: 60_000 });
      expect(next.workflowId).toBe(`recertification:${first.enterpriseId}:2`);
      expect(await refused(next.executeUpdate(abandonRecertificationUpdate, { args: [{ actorUserId: 'admin-1' }] }))).toMatchObject({ code: 'RECERTIFICATION_SUBMITTED' });
      expect(await next.executeUpdate(submitRecertificationUpdate, { args: [submission()] })).toMatchObject({ status: 'under_review' });
      await next.executeUpdate(reviewRecertificationUpdate, { args: [{ operatorId: 'op-1', approve: true, reason: null }] });
      expect(await next.result()).toMatchObject({ status: 'approved' });
      await recordHistory(next, 'enterprise-recertification-restarted-approved');
    });
  });

  it('放弃变更 while drafting ends the change as abandoned', async () => {
    const f = fakes();
    await withWorkflowWorker({ activities: f.activities }, async ({ client, taskQueue }) => {
      const change = f.add();
      const handle = await start(client, taskQueue, change);
      expect(await handle.executeUpdate(abandonRecertificationUpdate, { args: [{ actorUserId: 'admin-1' }] })).toMatchObject({ status: 'abandoned' });
      expect(await handle.result()).toMatchObject({ status: 'abandoned' });
      expect(f.called('abandonRecertification')).toEqual([{ changeId: change.id, actorUserId: 'admin-1' }]);
      expect(f.rows.get(change.id)).toMatchObject({ status: 'abandoned', endReason: 'abandoned' });
      expect(f.called('pushRevocations')).toEqual([]);
      await recordHistory(handle, 'enterprise-recertification-abandoned');
    });
  });

  it('cancel from Temporal UI while drafting: the platform ends the change (abandoned), the workflow ends cancelled', async () => {
    const f = fakes();
    await withWorkflowWorker({ activities: f.activities }, async ({ client, taskQueue }) => {
      const change = f.add();
      const handle = await start(client, taskQueue, change);
      await eventually(async () => f.called('loadRecertification').length > 0, 10_000, 'loaded');
      await handle.cancel();
      const failure = await handle.result().then(() => null, (err: unknown) => err);
      expect(failure).toBeInstanceOf(WorkflowFailedError);
      expect((failure as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
      expect(f.called('cancelRecertification')).toEqual([{ changeId: change.id }]);
      expect(f.rows.get(change.id)).toMatchObject({ status: 'abandoned', endReason: 'cancelled_by_platform' });
      await recordHistory(handle, 'enterprise-recertification-cancelled');
    });
  });

  it('cancel from Temporal UI during a submission waits for it: the submission stands, the change lapses, revocations are still pushed', async () => {
    const g = gate();
    const f = fakes();
    const submit = f.activities.submitRecertification!;
    f.activities.submitRecertification = async (input: unknown) => (await g.wait(), submit(input));
    await withWorkflowWorker({ activities: f.activities }, async ({ client, taskQueue }) => {
      const change = f.add();
      const handle = await start(client, taskQueue, change);
      const submitting = handle.executeUpdate(submitRecertificationUpdate, { args: [submission()] });
      await g.started;
      await handle.cancel();
      // The cancellation is not applied under the running submission (no cancel call yet).
      const abandon = await handle.startUpdate(abandonRecertificationUpdate, { args: [{ actorUserId: 'admin-1' }], waitForStage: WorkflowUpdateStage.ACCEPTED });
      expect(f.called('cancelRecertification')).toEqual([]);
      g.open();
      expect(await submitting).toMatchObject({ status: 'under_review' });
      expect(await refused(abandon.result())).toMatchObject({ code: expect.stringMatching(/^RECERTIFICATION_(SUBMITTED|ENDED)$/) });
      await expect(handle.result()).rejects.toBeInstanceOf(WorkflowFailedError);
      expect(f.rows.get(change.id)).toMatchObject({ status: 'lapsed', endReason: 'cancelled_by_platform' });
      expect(f.called('pushRevocations')).toEqual([{ certificateIds: ['cert-1', 'cert-2'] }]);
      expect(f.called('abandonRecertification')).toEqual([]);
      await recordHistory(handle, 'enterprise-recertification-cancelled-during-submit');
    });
  });

  it('terminated under review: the reconciler sees it closed and starts a new run that reloads the row and takes the review', async () => {
    const f = fakes();
    await withWorkflowWorker({ activities: f.activities }, async ({ client, taskQueue }) => {
      const change = f.add();
      const handle = await start(client, taskQueue, change);
      await handle.executeUpdate(submitRecertificationUpdate, { args: [submission()] });
      await handle.terminate('operator pressed Terminate');
      expect(f.rows.get(change.id)?.status).toBe('under_review'); // what Terminate leaves

      const workflows = temporalRecertificationWorkflows(client, taskQueue);
      const asRow = { ...change, status: 'under_review' } as EnterpriseChange;
      expect(await workflows.state(asRow)).toBe('closed');
      await workflows.start(asRow);
      await workflows.start(asRow); // a second pass while it runs keeps the running one
      expect(await workflows.state(asRow)).toBe('running');
      const restarted = client.workflow.getHandle(handle.workflowId);
      await eventually(async () => (await restarted.query(recertificationStatusQuery)).status === 'under_review', 10_000, 'reloaded');
      await restarted.executeUpdate(reviewRecertificationUpdate, { args: [{ operatorId: 'op-1', approve: true, reason: null }] });
      expect(await restarted.result()).toMatchObject({ status: 'approved' });
      expect(f.called('loadRecertification')).toHaveLength(2);
      expect(f.called('drawRecertifiedSeals')).toEqual([{ sealIds: ['seal-new-1', 'seal-new-2'] }]);
    });
  });

  it('a CA that cannot be reached does not hold the change: the push is retried (bounded) and left to the sweep', async () => {
    const f = fakes({ pushRevocations: async () => Promise.reject(new Error('connect ECONNREFUSED')) });
    await withWorkflowWorker({ activities: f.activities }, async ({ client, taskQueue }) => {
      const change = f.add();
      const handle = await start(client, taskQueue, change);
      await handle.executeUpdate(submitRecertificationUpdate, { args: [submission()] });
      await eventually(async () => f.called('pushRevocations').length >= 2, 15_000, 'bounded retries');
      await handle.executeUpdate(reviewRecertificationUpdate, { args: [{ operatorId: 'op-1', approve: true, reason: null }] });
      expect(await handle.result()).toMatchObject({ status: 'approved' });
    });
  });
  describe('a view behind the database (an operator Reset that did not reapply the Updates)', () => {
    /** The row moves without the workflow, as the Updates the Reset dropped had moved it. */
    const moveRow = (f: ReturnType<typeof fakes>, id: string, status: EnterpriseChangeStatus, deadlineAt: string | null = null) => Object.assign(f.rows.get(id)!, { status, deadlineAt });

    it('believes drafting, the row is under review: the review Update is let through, the row reloaded, the approval taken', async () => {
      const f = fakes();
      await withWorkflowWorker({ activities: f.activities }, async ({ client, taskQueue }) => {
        const change = f.add();
        const handle = await start(client, taskQueue, change);
        await eventually(async () => (await handle.query(recertificationStatusQuery)).deadlineAt !== null, 10_000, 'loaded');
        moveRow(f, change.id, 'under_review');
        expect(await handle.query(recertificationStatusQuery)).toMatchObject({ status: 'drafting' });
        expect(await handle.executeUpdate(reviewRecertificationUpdate, { args: [{ operatorId: 'op-1', approve: true, reason: null }] })).toMatchObject({ status: 'approved' });
        expect(await handle.result()).toMatchObject({ status: 'approved' });
        expect(f.called('loadRecertification')).toHaveLength(2);
        expect(f.called('drawRecertifiedSeals')).toEqual([{ sealIds: ['seal-new-1', 'seal-new-2'] }]);
        await recordHistory(handle, 'enterprise-recertification-stale-status-review');
      });
    });

    it('believes under review, the row was rejected: the resubmission is taken; a refusal the row agrees with keeps its code', async () => {
      const f = fakes();
      await withWorkflowWorker({ activities: f.activities }, async ({ client, taskQueue }) => {
        const change = f.add();
        const handle = await start(client, taskQueue, change, { reviewReloadMs: 600_000 });
        await handle.executeUpdate(submitRecertificationUpdate, { args: [submission()] });
        // Drafting is past in the row too: abandon is refused with its code after the reload.
        expect(await refused(handle.executeUpdate(abandonRecertificationUpdate, { args: [{ actorUserId: 'admin-1' }] }))).toEqual({ code: 'RECERTIFICATION_SUBMITTED', message: '已提交重新认证，不能再放弃变更' });
        moveRow(f, change.id, 'rejected', new Date(Date.now() + 30 * DAY).toISOString());
        expect(await handle.executeUpdate(submitRecertificationUpdate, { args: [submission({ letterKey: null, letterType: null })] })).toMatchObject({ status: 'under_review' });
        await handle.executeUpdate(reviewRecertificationUpdate, { args: [{ operatorId: 'op-1', approve: true, reason: null }] });
        expect(await handle.result()).toMatchObject({ status: 'approved' });
        expect(f.called('submitRecertification')).toHaveLength(2);
        expect(f.called('abandonRecertification')).toEqual([]);
      });
    });

    it('under review, the row was approved without this run: the periodic reload ends the workflow', async () => {
      const f = fakes();
      await withWorkflowWorker({ activities: f.activities }, async ({ client, taskQueue }) => {
        const change = f.add();
        const handle = await start(client, taskQueue, change, { reviewReloadMs: 1000 });
        await handle.executeUpdate(submitRecertificationUpdate, { args: [submission()] });
        moveRow(f, change.id, 'approved');
        expect(await Promise.race([handle.result(), new Promise((resolve) => setTimeout(() => resolve('still running'), 10_000))])).toMatchObject({ status: 'approved' });
        expect(f.called('loadRecertification').length).toBeGreaterThanOrEqual(2);
        await recordHistory(handle, 'enterprise-recertification-under-review-reloaded');
      });
    });

    it('under review, a reload that fails does not fail the workflow: the next one ends it', async () => {
      const f = fakes();
      await withWorkflowWorker({ activities: f.activities }, async ({ client, taskQueue }) => {
        const change = f.add();
        const handle = await start(client, taskQueue, change, { reviewReloadMs: 1000 });
        await handle.executeUpdate(submitRecertificationUpdate, { args: [submission()] });
        const row = f.rows.get(change.id)!;
        const loadsBefore = f.called('loadRecertification').length;
        f.rows.delete(change.id); // the reload now fails for good (CHANGE_NOT_FOUND)
        await eventually(async () => f.called('loadRecertification').length > loadsBefore, 10_000, 'a failed reload');
        expect((await handle.describe()).status.name).toBe('RUNNING');
        f.rows.set(change.id, row);
        moveRow(f, change.id, 'approved');
        expect(await Promise.race([handle.result(), new Promise((resolve) => setTimeout(() => resolve('still running'), 10_000))])).toMatchObject({ status: 'approved' });
      });
    });

    it('believes drafting at its deadline, the row was submitted and rejected: the reloaded row is not expired', async () => {
      const f = fakes();
      await withWorkflowWorker({ activities: f.activities }, async ({ client, taskQueue }) => {
        const change = f.add();
        const handle = await start(client, taskQueue, change, { draftMs: 1500 });
        await eventually(async () => f.called('loadRecertification').length > 0, 10_000, 'loaded');
        const resubmitBy = new Date(Date.now() + 30 * DAY).toISOString();
        moveRow(f, change.id, 'rejected', resubmitBy);
        await eventually(async () => (await handle.query(recertificationStatusQuery)).status === 'rejected', 10_000, 'reloaded at the deadline');
        expect(await handle.query(recertificationStatusQuery)).toMatchObject({ status: 'rejected', deadlineAt: resubmitBy });
        expect(f.called('expireRecertification')).toEqual([]);
        expect(f.rows.get(change.id)?.status).toBe('rejected');
        await handle.terminate('test over');
      });
    });
  });

  it('an operator Reset to the first workflow task with the default reapply, after a resubmission: the old submission, rejection and resubmission delivered again change nothing', async () => {
    const f = fakes();
    await withWorkflowWorker({ activities: f.activities }, async ({ client, taskQueue }) => {
      const change = f.add();
      const handle = await start(client, taskQueue, change, { reviewReloadMs: 600_000 });
      const a = submission({ submissionId: 'submission-a', previousSubmissionId: null, submittedAt: new Date().toISOString() });
      await handle.executeUpdate(submitRecertificationUpdate, { args: [a] });
      await handle.executeUpdate(reviewRecertificationUpdate, { args: [{ operatorId: 'op-1', approve: false, reason: '授权书不清晰', submissionId: 'submission-a' }] });
      const b = submission({ letterKey: null, letterType: null, submissionId: 'submission-b', previousSubmissionId: 'submission-a', submittedAt: new Date().toISOString() });
      await handle.executeUpdate(submitRecertificationUpdate, { args: [b] });
      expect(f.rows.get(change.id)).toMatchObject({ status: 'under_review', submissions: 2, decisions: 1, submissionId: 'submission-b' });

      const { newRunId } = await resetToFirstWorkflowTask(client, handle.workflowId);
      const run = client.workflow.getHandle(handle.workflowId, newRunId);
      const answered = async () => ((await run.fetchHistory()).events ?? []).filter((e) => e.workflowExecutionUpdateCompletedEventAttributes).length;
      await eventually(async () => (await answered()) >= 3, 15_000, 'the three Updates delivered again answered');
      // A is superseded, the rejection of A does not decide B, B is answered as it was: nothing moved.
      expect(f.rows.get(change.id)).toMatchObject({ status: 'under_review', submissions: 2, decisions: 1, submissionId: 'submission-b' });
      expect(f.called('reviewRecertification').slice(1)).toEqual([{ changeId: change.id, operatorId: 'op-1', approve: false, reason: '授权书不清晰', submissionId: 'submission-a' }]);
      expect(await run.query(recertificationStatusQuery)).toMatchObject({ status: 'under_review' });

      expect(await run.executeUpdate(reviewRecertificationUpdate, { args: [{ operatorId: 'op-1', approve: true, reason: null, submissionId: 'submission-b' }] })).toMatchObject({ status: 'approved' });
      expect(await run.result()).toMatchObject({ status: 'approved' });
      expect(f.rows.get(change.id)).toMatchObject({ status: 'approved', submissions: 2, decisions: 2 });
      await recordHistory(run, 'enterprise-recertification-reset-reapplied');
    });
  });

  it('search attributes: ProcessStatus from the start (the row\'s status) follows the change: under_review, approved', async () => {
    const f = fakes();
    await withWorkflowWorker({ activities: f.activities }, async ({ client, taskQueue }) => {
      const change = f.add();
      await startRecertificationWorkflow(client, taskQueue, { ...change, status: 'drafting' }, { input: { retry: RETRY } });
      const handle = client.workflow.getHandle(recertificationWorkflowId(change.enterpriseId, change.seq));
      const status = async () => (await handle.describe()).typedSearchAttributes.get(SA_PROCESS_STATUS);
      expect(await status()).toBe('drafting');
      await handle.executeUpdate(submitRecertificationUpdate, { args: [submission()] });
      expect(await status()).toBe('under_review');
      await handle.executeUpdate(reviewRecertificationUpdate, { args: [{ operatorId: 'op-1', approve: true, reason: null }] });
      expect(await handle.result()).toMatchObject({ status: 'approved' });
      expect(await status()).toBe('approved');
      expect((await handle.describe()).typedSearchAttributes.get(SA_ENTERPRISE_ID)).toBe(change.enterpriseId);
      await recordHistory(handle, 'enterprise-recertification-process-status');
    });
  });
});
