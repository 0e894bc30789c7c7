/**
 * ContractLifecycleWorkflow (v2), path by path, with FAKE activities against the suite's Temporal dev
 * server (no time skipping offline: durations are inputs of 0.5–2 s). Each path records a replay
 * fixture with RECORD_HISTORY=1 (workflows/fixtures/contract-lifecycle-<path>.history.json), replayed
 * by workflows/contract-lifecycle.replay.test.ts.
 */
import { randomUUID } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { WithStartWorkflowOperation, WorkflowFailedError, WorkflowUpdateFailedError, WorkflowUpdateStage, type Client, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import proto from '@temporalio/proto';
import { describe, expect, it } from 'vitest';
import { updateFailureToAppError } from '../../api/http/update-failure';
import { AppError } from '../../domain/errors';
import type { ContractActivities } from '../../activities/contract-activities';
import type { ContractLifecycleActivities, ContractNotice } from '../../activities/contract-lifecycle-activities';
import type { Contract } from '../../domain/contracts/contract.entity';
import type { CloseRequest } from '../../domain/contracts/finish-contract';
import { afterSigned, type RoutingParticipant } from '../../domain/contracts/routing';
import { CONTRACT_WORKFLOW_TASK_TIMEOUT_MS, type SigningTiming } from '../../domain/contracts/signing-timing';
import { startContractWorkflow } from '../../workflows/clients/start-contract-workflow';
import {
  lifecycleProgressQuery,
  lifecycleSignUpdate,
  refuseUpdate,
  revokeUpdate,
  urgeUpdate,
  CURRENT_VERSION_PATCH,
  STALE_ROUTING_PATCH,
  type contractLifecycleWorkflow,
  type EndResult,
} from '../../workflows/contract-lifecycle';
import { SIGNING_UNAVAILABLE } from '../../workflows/update-failures';
import { eventually, recordHistory, withWorkflowWorker } from '../harness/workflow-env';

type Handle = WorkflowHandle<typeof contractLifecycleWorkflow>;
type Fakes = Partial<ContractLifecycleActivities & ContractActivities>;

const FAST: Partial<SigningTiming> = { heartbeatTimeoutMs: 1_000, signAttemptTimeoutMs: 5_000, retryInitialMs: 100, retryMaxMs: 200, maxSignAttempts: 3, expiryGraceMs: 500 };
/** For a signature the test holds open (a gate): its attempt must not time out meanwhile. */
const HELD: Partial<SigningTiming> = { ...FAST, signAttemptTimeoutMs: 60_000 };
const INITIATOR = 'initiator-user';

/** Participants a (step 1), b and c (step 2, parallel), d (step 3); `canRefuse` lists who may refuse. */
function routing(canRefuse: string[] = []): RoutingParticipant[] {
  return (
    [
      ['a', 1],
      ['b', 2],
      ['c', 2],
      ['d', 3],
    ] as const
  ).map(([id, step]) => ({ participantId: id, step, status: step === 1 ? 'pending' : 'waiting', canRefuse: canRefuse.includes(id) }));
}

/** Fake lifecycle activities over an in-memory "database" of participants, with hooks per test. */
/**
 * `activityNotices`: the activation and the signatures send the notices they cause when the workflow asks (`notify`), as
 * today's activities do; 'step2-fails': the signature that starts step 2 could not send its notice (answers notified: false).
 */
/** `afterCommit`: runs once the signature is in the fake database (a throw there is a failure after the commit). */
function fakeDb(
  participants: RoutingParticipant[],
  hooks: {
    sign?: (participantId: string, attempt: number) => Promise<void>;
    afterCommit?: (participantId: string, attempt: number) => Promise<void>;
    closesOnLastSignature?: boolean;
    /** Changes what a committed signature answers (as a read-back after a retry may answer less than happened). */
    answer?: (participantId: string, answer: { stepAdvanced: number | null; completed: boolean }) => { stepAdvanced: number | null; completed: boolean };
    activityNotices?: 'all' | 'step2-fails';
    /** The activation activity finds no contract (an abandoned start: its rows removed). */
    missing?: boolean;
    /** Runs first in a LOCAL activation (a throw there is the activation's failure). */
    localActivation?: () => Promise<void>;
    /** Runs first in `participantStates` (a throw there is the database being down). */
    states?: () => Promise<void>;
  } = {},
) {
  const db = { status: 'in_progress' as 'in_progress' | 'completed' | 'voided', voidReason: null as EndResult['voidReason'], participants: participants.map((p) => ({ ...p })), versions: {} as Record<string, number>, rounds: {} as Record<string, number> };
  const calls = {
    sign: [] as { participantId: string; attempt: number }[],
    close: [] as CloseRequest[],
    refuse: [] as string[],
    revoke: [] as string[],
    urge: [] as (string[] | undefined)[],
    notices: [] as ContractNotice[],
    /** Notices sent by the activation / signature activities themselves. */
    activityNotices: [] as string[],
    running: 0,
    maxRunning: 0,
    cancelledAttempts: 0,
    /** Whether each signature ran as a local activity (Context info). */
    signedLocally: [] as boolean[],
    /** Calls of the activation activity (local or regular). */
    activations: 0,
    /** Activations (local or not) and notices in the order they ran. */
    sequence: [] as string[],
    /** Calls of `participantStates`. */
    states: 0,
  };
  const snapshot = () => ({ status: db.status, voidReason: db.voidReason, initiatorId: INITIATOR, participants: db.participants.map((p) => ({ ...p })), documentVersions: { ...db.versions } });
  const activities: Fakes = {
    async activateLifecycle(input) {
      calls.activations++;
      calls.sequence.push(Context.current().info.isLocal ? 'activate (local)' : 'activate');
      if (Context.current().info.isLocal) await hooks.localActivation?.();
      if (hooks.missing) return { result: 'missing' as const, status: 'voided' as const, voidReason: null, initiatorId: '', participants: [], documentVersions: {} };
      if (hooks.activityNotices && input.notify) {
        calls.activityNotices.push('step1');
        return { result: 'activated' as const, ...snapshot(), notified: true as const };
      }
      return { result: 'activated' as const, ...snapshot() };
    },
    async participantStates() {
      calls.states++;
      await hooks.states?.();
      return snapshot();
    },
    async signForParticipant(input) {
      const { attempt, isLocal } = Context.current().info;
      calls.sign.push({ participantId: input.participantId, attempt });
      calls.signedLocally.push(isLocal);
      calls.running++;
      calls.maxRunning = Math.max(calls.maxRunning, calls.running);
      try {
        await hooks.sign?.(input.participantId, attempt).catch((err: unknown) => {
          if (err instanceof CancelledFailure) calls.cancelledAttempts++;
          throw err;
        });
        const round = (db.rounds[input.participantId] = (db.rounds[input.participantId] ?? 0) + 1);
        if (input.finish === false) {
          // 继续签署: a signature round, the participant stays pending.
          db.versions[input.participantId] = Object.keys(db.versions).length + round;
          return { documentVersion: db.versions[input.participantId]!, stepAdvanced: null, completed: false, round, finished: false };
        }
        const next = afterSigned(db.participants, input.participantId);
        for (const p of db.participants) {
          if (p.participantId === input.participantId) p.status = 'signed';
          if (next.newlyPending.includes(p.participantId)) p.status = 'pending';
        }
        db.versions[input.participantId] ??= Object.keys(db.versions).length + 1;
        await hooks.afterCommit?.(input.participantId, attempt);
        // Today's activity: the last signature completes the contract in its own transaction.
        const closed = hooks.closesOnLastSignature === true && next.completed;
        if (closed) db.status = 'completed';
        let notified: { notified?: boolean } = {};
        if (hooks.activityNotices && input.notify) {
          const notice = next.completed ? 'completed' : next.nextStep !== null ? `step${next.nextStep}` : null;
          const sent = !(hooks.activityNotices === 'step2-fails' && notice === 'step2');
          if (notice && sent) calls.activityNotices.push(notice);
          notified = { notified: sent };
        }
        const told = hooks.answer?.(input.participantId, { stepAdvanced: next.nextStep, completed: next.completed }) ?? { stepAdvanced: next.nextStep, completed: next.completed };
        return { documentVersion: db.versions[input.participantId]!, ...told, ...(input.finish === true ? { round, finished: true } : {}), ...(closed ? { closed } : {}), ...notified };
      } finally {
        calls.running--;
      }
    },
    async closeContract(request) {
      calls.close.push(request);
      if (db.status === 'in_progress') {
        const all = db.participants.every((p) => p.status === 'signed');
        db.status = all ? 'completed' : 'voided';
        db.voidReason = all ? null : request.voidReason;
      }
      return { status: db.status, voidReason: db.voidReason, signedSignerIds: db.participants.filter((p) => p.status === 'signed').map((p) => p.participantId) };
    },
    async refuseContract(input) {
      calls.refuse.push(input.participantId);
      db.participants.find((p) => p.participantId === input.participantId)!.status = 'refused';
      Object.assign(db, { status: 'voided', voidReason: 'refused' });
      return { status: 'voided' as const, voidReason: 'refused' as const };
    },
    async revokeContract(input) {
      calls.revoke.push(input.actorUserId);
      // Who may revoke is the activity's check (initiator-rights.ts): a permanent refusal, as asActivityFailure answers it.
      if (input.actorUserId !== INITIATOR) throw ApplicationFailure.create({ type: 'NOT_INITIATOR', message: '只有发起方或发起企业的管理员可以撤销合同', nonRetryable: true, details: [{ code: 'NOT_INITIATOR', message: '只有发起方或发起企业的管理员可以撤销合同', messageEn: 'Only the initiator or an administrator of the initiating enterprise can revoke the contract' }] });
      Object.assign(db, { status: 'voided', voidReason: 'revoked' });
      return { status: 'voided' as const, voidReason: 'revoked' as const };
    },
    async urgeContract(input) {
      calls.urge.push(input.participantIds);
      const pending = db.participants.filter((p) => p.status === 'pending');
      return { urged: pending.map((p) => p.participantId), skipped: [] };
    },
    async notifyContract(notice) {
      calls.notices.push(notice);
      calls.sequence.push(`${notice.event}${notice.event === 'step_started' ? ` ${notice.step}` : ''}`);
      return { notified: 1 };
    },
  };
  return { activities, calls, db };
}

/** A signature held until the test opens the gate (no wall-clock guess about how long it runs). */
function gate() {
  let open: () => void = () => {};
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

/** History event types of a finished run, in order, without the EVENT_TYPE_ prefix. */
async function eventTypes(handle: Handle): Promise<string[]> {
  const names = proto.temporal.api.enums.v1.EventType as unknown as Record<number, string>;
  return ((await handle.fetchHistory()).events ?? []).map((e) => String(names[Number(e.eventType)]).replace('EVENT_TYPE_', ''));
}

/** Waits until the activity is cancelled (a regular activity heartbeats so that the cancellation reaches it; a local one gets it from its worker). */
async function blockUntilCancelled(): Promise<never> {
  const ctx = Context.current();
  const beat = setInterval(() => ctx.heartbeat(), 100);
  try {
    await ctx.cancelled;
  } finally {
    clearInterval(beat);
  }
  throw new Error('unreachable');
}

async function start(client: Client, taskQueue: string, expiresInMs: number, timing: Partial<SigningTiming> = FAST): Promise<Handle> {
  const contract = { id: randomUUID(), initiatorId: INITIATOR, initiatorEnterpriseId: 'enterprise-1', lifecycle: 2, expiresAt: new Date(Date.now() + expiresInMs) } as Contract;
  await startContractWorkflow(client, taskQueue, contract, { timing });
  return client.workflow.getHandle(`contract:${contract.id}`);
}

/** A routed start (as the API starts contracts now): the participants in the input, no activation by the workflow. */
async function startRouted(client: Client, taskQueue: string, expiresInMs: number, participants: RoutingParticipant[], firstStepNoticeInActivation: boolean, timing = FAST): Promise<Handle> {
  const contract = { id: randomUUID(), initiatorId: INITIATOR, initiatorEnterpriseId: 'enterprise-1', lifecycle: 2, expiresAt: new Date(Date.now() + expiresInMs) } as Contract;
  await startContractWorkflow(client, taskQueue, contract, { timing, routing: { initiatorId: INITIATOR, participants, firstStepNoticeInActivation } });
  return client.workflow.getHandle(`contract:${contract.id}`);
}

/** Update-with-start: a's sign Update reaches the workflow in its very first workflow task; answers the handle once a has signed (step 2 started). */
async function signAWithStart(client: Client, taskQueue: string, input: Partial<Parameters<typeof contractLifecycleWorkflow>[0]>) {
  const contractId = randomUUID();
  const confirmationId = randomUUID();
  const startOperation = new WithStartWorkflowOperation<typeof contractLifecycleWorkflow>('contractLifecycleWorkflow', {
    workflowId: `contract:${contractId}`,
    taskQueue,
    workflowIdConflictPolicy: 'FAIL',
    workflowTaskTimeout: CONTRACT_WORKFLOW_TASK_TIMEOUT_MS,
    args: [{ contractId, expiresAt: new Date(Date.now() + 60_000).toISOString(), timing: FAST, ...input }],
  });
  const signed = await client.workflow.executeUpdateWithStart(lifecycleSignUpdate, { args: [{ participantId: 'a', actorUserId: 'user-a', confirmationId }], updateId: `sign:${confirmationId}`, startWorkflowOperation: startOperation });
  expect(signed).toMatchObject({ participantId: 'a', stepAdvanced: 2 });
  return { contractId, handle: await startOperation.workflowHandle() };
}

const sign = (handle: Handle, participantId: string, confirmationId = randomUUID()) =>
  handle.executeUpdate(lifecycleSignUpdate, { args: [{ participantId, actorUserId: `user-${participantId}`, confirmationId }], updateId: `sign:${confirmationId}` });

async function updateFailure(p: Promise<unknown>) {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
  const cause = (err as WorkflowUpdateFailedError).cause;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  const detail = (cause as ApplicationFailure).details?.[0] as { code: string; message: string; messageEn: string };
  expect(detail.message).toMatch(/\p{Script=Han}/u);
  expect(detail.messageEn).toMatch(/[A-Za-z]/);
  return detail.code;
}

/**
 * An Update sent right after the contract ended: refused by the workflow (CONTRACT_NOT_IN_PROGRESS)
 * while it is still closing, or by Temporal once it has closed — which the API answers as
 * PROCESS_NOT_RUNNING (api/http/update-failure.ts). Either way a 409 with a message, never a change.
 */
async function afterTheEnd(p: Promise<unknown>) {
  const err = await p.then(() => null, (e: unknown) => e);
  if (err instanceof WorkflowUpdateFailedError) return updateFailure(Promise.reject(err));
  const answer = updateFailureToAppError(err);
  expect(answer).toBeInstanceOf(AppError);
  return (answer as AppError).code;
}

const statusAttribute = async (handle: Handle) => (await handle.describe()).searchAttributes.ContractStatus;
const inProgress = (handle: Handle) => eventually(async () => (await statusAttribute(handle))?.[0] === 'in_progress', 10_000, 'ContractStatus in_progress after activation');

/** A 2-step contract (a, then b) started and signed to 已完成; answers its handle. */
async function signedInTwoSteps(client: Client, taskQueue: string): Promise<Handle> {
  const handle = await start(client, taskQueue, 60_000);
  await inProgress(handle);
  expect(await sign(handle, 'a')).toMatchObject({ participantId: 'a', stepAdvanced: 2, completed: false });
  expect(await sign(handle, 'b')).toMatchObject({ participantId: 'b', completed: true });
  expect(await handle.result()).toMatchObject({ status: 'completed', currentStep: null });
  return handle;
}

describe('ContractLifecycleWorkflow paths (fake activities)', () => {
  it('signs through three steps with a parallel step: parallel signers are serialised by the lock, each step is notified, ContractStatus follows', async () => {
    const fake = fakeDb(routing(), { sign: async () => new Promise((r) => setTimeout(r, 150)) });
    await withWorkflowWorker({ activities: fake.activities }, async ({ client, taskQueue }) => {
      const handle = await start(client, taskQueue, 60_000);
      await inProgress(handle);
      expect(await updateFailure(sign(handle, 'b'))).toBe('NOT_YOUR_TURN');
      expect(await sign(handle, 'a')).toMatchObject({ participantId: 'a', stepAdvanced: 2, completed: false });
      // b and c race: both accepted, one at a time; whichever finishes the step starts step 3.
      const [b, c] = await Promise.all([sign(handle, 'b'), sign(handle, 'c')]);
      expect([b.stepAdvanced, c.stepAdvanced].sort()).toEqual([3, null]);
      expect(fake.calls.maxRunning).toBe(1);
      expect((await handle.query(lifecycleProgressQuery)).currentStep).toBe(3);
      expect(await sign(handle, 'd')).toMatchObject({ participantId: 'd', completed: true });
      const result = await handle.result();
      expect(result).toMatchObject({ status: 'completed', currentStep: null });
      expect(fake.calls.close).toEqual([{ contractId: expect.any(String), voidReason: null }]);
      expect(fake.calls.notices.map((n) => (n.event === 'step_started' ? `step${n.step}` : n.event))).toEqual(['step1', 'step2', 'step3', 'completed']);
      const sa = (await handle.describe()).searchAttributes;
      expect(sa.ContractStatus).toEqual(['completed']);
      expect(sa.EnterpriseId).toEqual(['enterprise-1']);
      expect(sa.InitiatorId).toEqual([INITIATOR]);
      await recordHistory(handle, 'contract-lifecycle-completed');
    });
  });

  it('the last signature completes the contract in its own transaction (closed): the workflow adopts 已完成 without a close activity', async () => {
    const fake = fakeDb(routing().filter((p) => p.participantId === 'a' || p.participantId === 'b'), { closesOnLastSignature: true });
    await withWorkflowWorker({ activities: fake.activities }, async ({ client, taskQueue }) => {
      const handle = await signedInTwoSteps(client, taskQueue);
      expect(fake.calls.close).toEqual([]);
      expect(fake.calls.notices.map((n) => (n.event === 'step_started' ? `step${n.step}` : n.event))).toEqual(['step1', 'step2', 'completed']);
      expect(await statusAttribute(handle)).toEqual(['completed']);
      await recordHistory(handle, 'contract-lifecycle-closed-by-last-signature');
    });
  });

  it('fewer activities: the activation runs as a local activity and the activities that cause a notice send it (no notify activity); a notice an activity could not send goes through the notify activity', async () => {
    const fake = fakeDb(routing(), { closesOnLastSignature: true, activityNotices: 'all' });
    await withWorkflowWorker({ activities: fake.activities }, async ({ client, taskQueue }) => {
      const handle = await start(client, taskQueue, 60_000);
      await inProgress(handle);
      expect(await sign(handle, 'a')).toMatchObject({ participantId: 'a', stepAdvanced: 2, completed: false });
      const [b, c] = await Promise.all([sign(handle, 'b'), sign(handle, 'c')]);
      expect([b.stepAdvanced, c.stepAdvanced].sort()).toEqual([3, null]);
      expect(await sign(handle, 'd')).toMatchObject({ participantId: 'd', completed: true });
      expect(await handle.result()).toMatchObject({ status: 'completed', currentStep: null });
      expect(fake.calls.activityNotices).toEqual(['step1', 'step2', 'step3', 'completed']);
      expect(fake.calls.notices).toEqual([]);
      expect(fake.calls.close).toEqual([]);
      const history = await handle.fetchHistory();
      const scheduled = (history.events ?? []).flatMap((e) => (e.activityTaskScheduledEventAttributes ? [e.activityTaskScheduledEventAttributes.activityType?.name] : []));
      // Since LOCAL_SIGNATURE_PATCH the signatures are local activities too: no activity task at all (the
      // regular-activity path of this test's first version replays from contract-lifecycle-fewer-activities).
      expect(scheduled).toEqual([]);
      const markers = (history.events ?? []).flatMap((e) => (e.markerRecordedEventAttributes ? [e.markerRecordedEventAttributes.markerName] : []));
      expect(markers).toContain('core_local_activity');
      expect(await statusAttribute(handle)).toEqual(['completed']);
      await recordHistory(handle, 'contract-lifecycle-fewer-activities');
    });
    const failing = fakeDb(routing().filter((p) => p.participantId === 'a' || p.participantId === 'b'), { closesOnLastSignature: true, activityNotices: 'step2-fails' });
    await withWorkflowWorker({ activities: failing.activities }, async ({ client, taskQueue }) => {
      const handle = await start(client, taskQueue, 60_000);
      await inProgress(handle);
      await sign(handle, 'a');
      await sign(handle, 'b');
      expect(await handle.result()).toMatchObject({ status: 'completed' });
      expect(failing.calls.activityNotices).toEqual(['step1', 'completed']);
      expect(failing.calls.notices.map((n) => (n.event === 'step_started' ? `step${n.step}` : n.event))).toEqual(['step2']);
    });
  });

  it('拒签: only an allowed participant in turn may refuse; the contract is 已作废（拒签）, everyone is notified, later requests are refused', async () => {
    const fake = fakeDb(routing(['b']));
    await withWorkflowWorker({ activities: fake.activities }, async ({ client, taskQueue }) => {
      const handle = await start(client, taskQueue, 60_000);
      await inProgress(handle);
      const refuse = (participantId: string, reason = '金额不对') => handle.executeUpdate(refuseUpdate, { args: [{ participantId, actorUserId: `user-${participantId}`, reason }] });
      expect(await updateFailure(refuse('a'))).toBe('REFUSAL_NOT_ALLOWED');
      expect(await updateFailure(refuse('b'))).toBe('NOT_YOUR_TURN');
      await sign(handle, 'a');
      expect(await updateFailure(refuse('b', '   '))).toBe('INVALID_REQUEST');
      expect(await refuse('b')).toEqual({ status: 'voided', voidReason: 'refused' });
      expect(fake.calls.refuse).toEqual(['b']);
      expect(['CONTRACT_NOT_IN_PROGRESS', 'PROCESS_NOT_RUNNING']).toContain(await afterTheEnd(sign(handle, 'c')));
      expect(await handle.result()).toMatchObject({ status: 'voided', voidReason: 'refused' });
      expect(fake.calls.close).toEqual([]);
      expect(fake.calls.notices.at(-1)).toMatchObject({ event: 'voided' });
      expect(await statusAttribute(handle)).toEqual(['voided']);
      await recordHistory(handle, 'contract-lifecycle-refused');
    });
  });

  it('撤销: only whom the activity allows (the initiator here), with a reason; the contract is 已作废（撤销）', async () => {
    const fake = fakeDb(routing());
    await withWorkflowWorker({ activities: fake.activities }, async ({ client, taskQueue }) => {
      const handle = await start(client, taskQueue, 60_000);
      await inProgress(handle);
      const revoke = (actorUserId: string, reason = '条款需修改') => handle.executeUpdate(revokeUpdate, { args: [{ actorUserId, reason }] });
      expect(await updateFailure(revoke('user-a'))).toBe('NOT_INITIATOR');
      expect(await updateFailure(revoke(INITIATOR, 'x'.repeat(501)))).toBe('INVALID_REQUEST');
      expect(await revoke(INITIATOR)).toEqual({ status: 'voided', voidReason: 'revoked' });
      expect(['CONTRACT_NOT_IN_PROGRESS', 'PROCESS_NOT_RUNNING']).toContain(await afterTheEnd(revoke(INITIATOR)));
      expect(await handle.result()).toMatchObject({ status: 'voided', voidReason: 'revoked' });
      expect(fake.calls.revoke).toEqual(['user-a', INITIATOR]);
      expect(await statusAttribute(handle)).toEqual(['voided']);
      await recordHistory(handle, 'contract-lifecycle-revoked');
    });
  });

  it('过期: the timer voids the contract as expired after a first signature (no request needed)', async () => {
    const fake = fakeDb(routing());
    await withWorkflowWorker({ activities: fake.activities }, async ({ client, taskQueue }) => {
      const handle = await start(client, taskQueue, 2_000);
      await inProgress(handle);
      await sign(handle, 'a');
      expect(await handle.result()).toMatchObject({ status: 'voided', voidReason: 'expired' });
      expect(fake.calls.close).toEqual([{ contractId: expect.any(String), voidReason: 'expired' }]);
      expect(await statusAttribute(handle)).toEqual(['voided']);
      await recordHistory(handle, 'contract-lifecycle-expired');
    });
  });

  it('催办: urges through the activity without waiting for the signing lock; the validator refuses a malformed list', async () => {
    const hold = gate();
    const fake = fakeDb(routing(), { sign: () => hold.promise });
    await withWorkflowWorker({ activities: fake.activities }, async ({ client, taskQueue }) => {
      const handle = await start(client, taskQueue, 60_000, HELD);
      await inProgress(handle);
      const urge = (participantIds?: unknown) => handle.executeUpdate(urgeUpdate, { args: [{ actorUserId: INITIATOR, ...(participantIds ? { participantIds: participantIds as string[] } : {}) }] });
      const signing = sign(handle, 'a');
      await eventually(async () => (await handle.query(lifecycleProgressQuery)).signing === 'a', 10_000, 'signature of a in flight');
      // Urging does not wait for the signing lock: answered while a's signature still runs (a local
      // signature lets it through at the workflow task heartbeat, signing-timing.ts).
      expect(await urge()).toEqual({ urged: ['a'], skipped: [] });
      expect(await urge(['a'])).toEqual({ urged: ['a'], skipped: [] });
      expect((await handle.query(lifecycleProgressQuery)).signing).toBe('a');
      expect(await updateFailure(urge([1, 2]))).toBe('INVALID_REQUEST');
      expect(fake.calls.urge).toEqual([undefined, ['a']]);
      expect(fake.calls.running).toBe(1);
      hold.open();
      expect(await signing).toMatchObject({ stepAdvanced: 2 });
      expect(await handle.executeUpdate(revokeUpdate, { args: [{ actorUserId: INITIATOR, reason: '不签了' }] })).toMatchObject({ voidReason: 'revoked' });
      await handle.result();
      await recordHistory(handle, 'contract-lifecycle-urged');
    });
  }, 120_000); // a held local signature: requests go through at workflow task heartbeats (2.4 s each)

  it('cancel in Temporal UI: voided as 平台撤销 (workflow_cancelled), ContractStatus voided, the run ends as cancelled', async () => {
    const fake = fakeDb(routing());
    await withWorkflowWorker({ activities: fake.activities }, async ({ client, taskQueue }) => {
      const handle = await start(client, taskQueue, 60_000);
      await inProgress(handle);
      await sign(handle, 'a');
      await handle.cancel();
      const err = await handle.result().then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(WorkflowFailedError);
      expect(fake.calls.close).toEqual([{ contractId: expect.any(String), voidReason: 'revoked_by_platform', cause: 'workflow_cancelled' }]);
      expect(fake.db).toMatchObject({ status: 'voided', voidReason: 'revoked_by_platform' });
      expect(await statusAttribute(handle)).toEqual(['voided']);
      expect(fake.calls.notices.at(-1)).toMatchObject({ event: 'voided' });
      await recordHistory(handle, 'contract-lifecycle-cancelled');
    });
  });

  it('expiry during a running signature: expiry wins within the grace bound, the attempt is cancelled, the signer hears 已过期', async () => {
    const fake = fakeDb(routing(), { sign: () => blockUntilCancelled() });
    await withWorkflowWorker({ activities: fake.activities }, async ({ client, taskQueue }) => {
      const handle = await start(client, taskQueue, 2_000);
      await inProgress(handle);
      const t0 = Date.now();
      expect(await updateFailure(sign(handle, 'a'))).toBe('CONTRACT_EXPIRED');
      expect(Date.now() - t0).toBeLessThan(2_000 + 500 + 3_000);
      expect(await handle.result()).toMatchObject({ status: 'voided', voidReason: 'expired' });
      await eventually(async () => fake.calls.cancelledAttempts > 0, 10_000, 'the attempt saw its cancellation');
      expect(fake.calls.close).toEqual([{ contractId: expect.any(String), voidReason: 'expired' }]);
      expect(fake.calls.signedLocally).toEqual([true]);
      await recordHistory(handle, 'contract-lifecycle-expiry-during-signature');
      await recordHistory(handle, 'contract-lifecycle-local-signature-expiry');
    });
  });

  it('validators refuse malformed requests before they reach history; a refusal while a signature runs waits for the lock', async () => {
    const hold = gate();
    const fake = fakeDb(routing(['a', 'b']), { sign: () => hold.promise });
    await withWorkflowWorker({ activities: fake.activities }, async ({ client, taskQueue }) => {
      const handle = await start(client, taskQueue, 60_000, HELD);
      await inProgress(handle);
      const bad = (args: unknown) => handle.executeUpdate(lifecycleSignUpdate, { args: [args as never] });
      expect(await updateFailure(bad({ actorUserId: 'u', confirmationId: 'c' }))).toBe('INVALID_REQUEST');
      expect(await updateFailure(bad({ participantId: 'a', actorUserId: 'u' }))).toBe('INVALID_REQUEST');
      expect(await updateFailure(bad({ participantId: 'a', actorUserId: 'u', confirmationId: 'c', marks: 'x' }))).toBe('INVALID_REQUEST');
      expect(await updateFailure(bad({ participantId: 'zz', actorUserId: 'u', confirmationId: 'c' }))).toBe('NOT_A_PARTICIPANT');
      expect(fake.calls.sign).toEqual([]);
      // a signs; b (next step) refuses meanwhile: accepted by the validator, applied after a's signature.
      const aSigns = sign(handle, 'a');
      await eventually(async () => (await handle.query(lifecycleProgressQuery)).signing === 'a', 10_000, 'signature of a in flight');
      expect(await updateFailure(sign(handle, 'a'))).toBe('SIGNING_IN_PROGRESS');
      const bRefuses = await handle.startUpdate(refuseUpdate, { args: [{ participantId: 'b', actorUserId: 'user-b', reason: '不同意' }], waitForStage: WorkflowUpdateStage.ACCEPTED });
      expect(fake.calls.running).toBe(1); // accepted while a's signature still runs
      hold.open();
      expect(await aSigns).toMatchObject({ stepAdvanced: 2 });
      expect(await bRefuses.result()).toEqual({ status: 'voided', voidReason: 'refused' });
      expect(await handle.result()).toMatchObject({ status: 'voided', voidReason: 'refused' });
      await recordHistory(handle, 'contract-lifecycle-validators');
    });
  }, 120_000); // a held local signature: requests go through at workflow task heartbeats (2.4 s each)
  it('a refusal waits for the lock while a signature runs whose next-step notice could not be sent (the outbox has it) (fixture recorded with the code from before stale routing)', async () => {
    const hold = gate();
    const participants = routing(['b']);
    const fake = fakeDb(participants, { sign: (id) => (id === 'a' ? hold.promise : Promise.resolve()), activityNotices: 'step2-fails' });
    await withWorkflowWorker({ activities: fake.activities }, async ({ client, taskQueue }) => {
      const handle = await startRouted(client, taskQueue, 60_000, participants, true, HELD);
      await inProgress(handle);
      const aSigns = sign(handle, 'a');
      await eventually(async () => (await handle.query(lifecycleProgressQuery)).signing === 'a', 10_000, 'signature of a in flight');
      const bRefuses = await handle.startUpdate(refuseUpdate, { args: [{ participantId: 'b', actorUserId: 'user-b', reason: '不同意' }], waitForStage: WorkflowUpdateStage.ACCEPTED });
      hold.open();
      expect(await aSigns).toMatchObject({ stepAdvanced: 2 });
      expect(await bRefuses.result()).toEqual({ status: 'voided', voidReason: 'refused' });
      expect(await handle.result()).toMatchObject({ status: 'voided', voidReason: 'refused' });
      expect(fake.calls.notices.map((n) => n.event)).toContain('voided');
      await recordHistory(handle, 'contract-lifecycle-refusal-during-signature-outbox');
    });
  }, 60_000);

  it('a sign accepted while a 继续签署 round runs is refused by the handler once the round leaves the step open (fixture recorded with the code from before stale routing)', async () => {
    const hold = gate();
    const participants = routing().filter((p) => p.participantId === 'a' || p.participantId === 'b');
    const fake = fakeDb(participants, { sign: (id) => (id === 'a' ? hold.promise : Promise.resolve()) });
    await withWorkflowWorker({ activities: fake.activities }, async ({ client, taskQueue }) => {
      const handle = await startRouted(client, taskQueue, 60_000, participants, true, HELD);
      await inProgress(handle);
      const roundId = randomUUID();
      const round = handle.executeUpdate(lifecycleSignUpdate, { args: [{ participantId: 'a', actorUserId: 'user-a', confirmationId: roundId, finish: false }], updateId: `sign:${roundId}` });
      await eventually(async () => (await handle.query(lifecycleProgressQuery)).signing === 'a', 10_000, 'round of a in flight');
      // Judged as if a's signature finished the step: accepted; the round leaves it open, so the handler refuses.
      const bSigns = await handle.startUpdate(lifecycleSignUpdate, { args: [{ participantId: 'b', actorUserId: 'user-b', confirmationId: randomUUID() }], waitForStage: WorkflowUpdateStage.ACCEPTED });
      hold.open();
      expect(await round).toMatchObject({ finished: false });
      expect(await updateFailure(bSigns.result())).toBe('NOT_YOUR_TURN');
      const endId = randomUUID();
      expect(await handle.executeUpdate(lifecycleSignUpdate, { args: [{ participantId: 'a', actorUserId: 'user-a', confirmationId: endId, finish: true }], updateId: `sign:${endId}` })).toMatchObject({ stepAdvanced: 2 });
      expect(await sign(handle, 'b')).toMatchObject({ completed: true });
      expect(await handle.result()).toMatchObject({ status: 'completed' });
      await recordHistory(handle, 'contract-lifecycle-handler-refusal-after-round');
    });
  }, 60_000);

  describe('stale routing (an operator Reset that did not reapply the Updates: the workflow\'s routing is behind the database)', () => {
    const P = (participantId: string, step: number, status: RoutingParticipant['status']): RoutingParticipant => ({ participantId, step, status, canRefuse: participantId === 'b' });
    /** The run's view (its input): a to sign, then b. */
    const behind = () => [P('a', 1, 'pending'), P('b', 2, 'waiting')];

    it('a request the workflow would refuse as not yet that participant\'s turn is judged on the database, whose routing it adopts (its step notified again: the database\'s claim sends a notice once per contract)', async () => {
      const fake = fakeDb([P('a', 1, 'signed'), P('b', 2, 'pending')]);
      await withWorkflowWorker({ activities: fake.activities }, async ({ client, taskQueue }) => {
        const handle = await startRouted(client, taskQueue, 60_000, behind(), true);
        await inProgress(handle);
        expect(await sign(handle, 'b')).toMatchObject({ participantId: 'b', completed: true });
        expect(fake.calls.sign.map((c) => c.participantId)).toEqual(['b']);
        expect(fake.calls.states).toBe(1);
        expect(await handle.result()).toMatchObject({ status: 'completed', currentStep: null });
        expect(fake.calls.notices.map((n) => (n.event === 'step_started' ? `step${n.step}` : n.event))).toEqual(['step2', 'completed']);
        await recordHistory(handle, 'contract-lifecycle-stale-routing');
      });
    });

    it('one the database refuses too stays refused, and the database is asked once per routing the workflow holds: the next such request is refused by the validator (nothing in history)', async () => {
      const fake = fakeDb(behind());
      await withWorkflowWorker({ activities: fake.activities }, async ({ client, taskQueue }) => {
        const handle = await startRouted(client, taskQueue, 60_000, behind(), true);
        await inProgress(handle);
        expect(await updateFailure(sign(handle, 'b'))).toBe('NOT_YOUR_TURN');
        const events = (await handle.fetchHistory()).events!.length;
        expect(await updateFailure(sign(handle, 'b'))).toBe('NOT_YOUR_TURN');
        expect(await updateFailure(handle.executeUpdate(refuseUpdate, { args: [{ participantId: 'b', actorUserId: 'user-b', reason: '不同意' }] }))).toBe('NOT_YOUR_TURN');
        expect((await handle.fetchHistory()).events!.length).toBe(events);
        expect([fake.calls.states, fake.calls.sign, fake.calls.refuse]).toEqual([1, [], []]);
        // Once the routing changes (a signs), the database may be asked again.
        expect(await sign(handle, 'a')).toMatchObject({ stepAdvanced: 2 });
        expect(await sign(handle, 'b')).toMatchObject({ completed: true });
        expect(await handle.result()).toMatchObject({ status: 'completed' });
      });
    });

    it('the database cannot be asked: the request is answered as SIGNING_UNAVAILABLE (which the API answers by keeping the code usable), not as not your turn', async () => {
      const fake = fakeDb([P('a', 1, 'signed'), P('b', 2, 'pending')], { states: async () => Promise.reject(new Error('database down')) });
      await withWorkflowWorker({ activities: fake.activities }, async ({ client, taskQueue }) => {
        const handle = await startRouted(client, taskQueue, 60_000, behind(), true);
        await inProgress(handle);
        expect(await updateFailure(sign(handle, 'b'))).toBe(SIGNING_UNAVAILABLE.code);
        expect(fake.calls.sign).toEqual([]);
        expect((await handle.query(lifecycleProgressQuery)).signing).toBeNull();
        await handle.cancel();
      });
    }, 60_000);

    it('cancelled from Temporal UI while the database is asked: answered as revoked by the platform, the contract voided', async () => {
      const fake = fakeDb([P('a', 1, 'signed'), P('b', 2, 'pending')], { states: blockUntilCancelled });
      await withWorkflowWorker({ activities: fake.activities }, async ({ client, taskQueue }) => {
        const handle = await startRouted(client, taskQueue, 60_000, behind(), true);
        await inProgress(handle);
        const refused = updateFailure(sign(handle, 'b'));
        await eventually(async () => fake.calls.states > 0, 10_000, 'participantStates running');
        await handle.cancel();
        expect(await refused).toBe('CONTRACT_REVOKED');
        await expect(handle.result()).rejects.toBeInstanceOf(WorkflowFailedError);
        expect(fake.calls.sign).toEqual([]);
        expect(fake.calls.close).toEqual([{ contractId: expect.any(String), voidReason: 'revoked_by_platform', cause: 'workflow_cancelled' }]);
      });
    });

    it('a signature whose outcome stayed unknown clears the confirmation: the next signer is judged on the database again, not refused until expiry', async () => {
      let down = false;
      const fake = fakeDb([P('a', 1, 'signed'), P('b', 2, 'pending'), P('c', 3, 'waiting')], {
        afterCommit: async (id) => {
          if (id !== 'b') return;
          down = true; // the answer is lost and the database cannot be read: the outcome is unknown
          throw new Error('connection lost after the commit');
        },
        states: async () => {
          if (down) throw new Error('database down');
        },
      });
      await withWorkflowWorker({ activities: fake.activities }, async ({ client, taskQueue }) => {
        const handle = await startRouted(client, taskQueue, 60_000, [P('a', 1, 'pending'), P('b', 2, 'waiting'), P('c', 3, 'waiting')], true);
        await inProgress(handle);
        expect(await updateFailure(sign(handle, 'b'))).toBe(SIGNING_UNAVAILABLE.code);
        expect(fake.db.participants.map((p) => p.status)).toEqual(['signed', 'signed', 'pending']);
        down = false;
        const reads = fake.calls.states;
        expect(await sign(handle, 'c')).toMatchObject({ participantId: 'c', completed: true });
        expect(fake.calls.states).toBeGreaterThan(reads);
        expect(await handle.result()).toMatchObject({ status: 'completed' });
      });
    }, 60_000);

    it('not in ordinary contracts: a commit that reports less than the workflow\'s view (an answer read back after a retry) changes nothing, no read, no patch marker', async () => {
      const fake = fakeDb(routing().filter((p) => p.participantId === 'a' || p.participantId === 'b'), { answer: (id, told) => (id === 'a' ? { ...told, stepAdvanced: null } : told) });
      await withWorkflowWorker({ activities: fake.activities }, async ({ client, taskQueue }) => {
        const handle = await startRouted(client, taskQueue, 60_000, routing().filter((p) => p.participantId === 'a' || p.participantId === 'b'), true);
        await inProgress(handle);
        expect(await sign(handle, 'a')).toMatchObject({ stepAdvanced: 2 });
        expect(await sign(handle, 'b')).toMatchObject({ completed: true });
        expect(await handle.result()).toMatchObject({ status: 'completed' });
        expect(fake.calls.states).toBe(0);
        expect(JSON.stringify(await handle.fetchHistory())).not.toContain(STALE_ROUTING_PATCH);
      });
    });

    it('a parallel step: the signature\'s commit says the step ended where the workflow\'s view did not, and the workflow adopts the database\'s routing', async () => {
      const parallelBehind = () => [P('a', 1, 'pending'), P('b', 1, 'pending'), P('c', 2, 'waiting')];
      const fake = fakeDb([P('a', 1, 'signed'), P('b', 1, 'pending'), P('c', 2, 'waiting')], { activityNotices: 'step2-fails' });
      await withWorkflowWorker({ activities: fake.activities }, async ({ client, taskQueue }) => {
        const handle = await startRouted(client, taskQueue, 60_000, parallelBehind(), true);
        await inProgress(handle);
        expect(await sign(handle, 'b')).toMatchObject({ participantId: 'b', stepAdvanced: 2, completed: false });
        // Its commit could not send step 2's notice: the workflow sends it.
        await eventually(async () => fake.calls.notices.some((n) => n.event === 'step_started' && n.step === 2), 10_000, 'step 2 notified');
        expect((await handle.query(lifecycleProgressQuery)).currentStep).toBe(2);
        expect(await sign(handle, 'c')).toMatchObject({ completed: true });
        expect(await handle.result()).toMatchObject({ status: 'completed' });
      });
    });
  });

  it('继续签署: a round with finish false keeps the participant pending and the step open; 结束签署 moves on; a bad finish flag is refused', async () => {
    const fake = fakeDb(routing());
    await withWorkflowWorker({ activities: fake.activities }, async ({ client, taskQueue }) => {
      const handle = await start(client, taskQueue, 60_000);
      await inProgress(handle);
      const signRound = (participantId: string, finish: unknown, confirmationId = randomUUID()) =>
        handle.executeUpdate(lifecycleSignUpdate, { args: [{ participantId, actorUserId: `user-${participantId}`, confirmationId, finish: finish as boolean }], updateId: `sign:${confirmationId}` });
      expect(await updateFailure(signRound('a', 'yes'))).toBe('INVALID_REQUEST');
      expect(await signRound('a', false)).toEqual({ participantId: 'a', documentVersion: 1, stepAdvanced: null, completed: false, round: 1, finished: false });
      const between = await handle.query(lifecycleProgressQuery);
      expect(between.currentStep).toBe(1);
      expect(between.participants.find((p) => p.participantId === 'a')!.status).toBe('pending');
      expect(await updateFailure(sign(handle, 'b'))).toBe('NOT_YOUR_TURN');
      expect(await signRound('a', false)).toMatchObject({ round: 2, finished: false, stepAdvanced: null });
      expect(await signRound('a', true)).toMatchObject({ participantId: 'a', round: 3, finished: true, stepAdvanced: 2, completed: false });
      expect(fake.calls.sign.map((c) => c.participantId)).toEqual(['a', 'a', 'a']);
      const steps = () => fake.calls.notices.map((n) => (n.event === 'step_started' ? `step${n.step}` : n.event)).join(',');
      await eventually(async () => steps() === 'step1,step2', 10_000, 'step 2 notified once (not after the 继续签署 rounds)');
      await handle.executeUpdate(revokeUpdate, { args: [{ actorUserId: INITIATOR, reason: '测试结束' }] });
      await handle.result();
      await recordHistory(handle, 'contract-lifecycle-rounds');
    });
  });

  it('local signature (LOCAL_SIGNATURE_PATCH): a 2-signer contract signs in local activities — no activity task, one core_local_activity marker each, every sign Update accepted and answered by one workflow task', async () => {
    const fake = fakeDb(routing().filter((p) => p.participantId === 'a' || p.participantId === 'b'), { closesOnLastSignature: true, activityNotices: 'all' });
    await withWorkflowWorker({ activities: fake.activities }, async ({ client, taskQueue }) => {
      const handle = await signedInTwoSteps(client, taskQueue);
      expect(fake.calls.signedLocally).toEqual([true, true]);
      const history = await handle.fetchHistory();
      const scheduled = (history.events ?? []).flatMap((e) => (e.activityTaskScheduledEventAttributes ? [e.activityTaskScheduledEventAttributes.activityType?.name] : []));
      expect(scheduled).toEqual([]);
      const markers = (history.events ?? []).flatMap((e) => (e.markerRecordedEventAttributes ? [e.markerRecordedEventAttributes.markerName] : []));
      expect(markers.filter((m) => m === 'core_local_activity')).toHaveLength(3); // the activation and the two signatures
      const types = await eventTypes(handle);
      const accepted = types.flatMap((t, i) => (t === 'WORKFLOW_EXECUTION_UPDATE_ACCEPTED' ? [i] : []));
      expect(accepted).toHaveLength(2);
      for (const i of accepted) {
        const answered = types.indexOf('WORKFLOW_EXECUTION_UPDATE_COMPLETED', i);
        expect(answered).toBeGreaterThan(i);
        expect(types.slice(i, answered)).not.toContain('WORKFLOW_TASK_STARTED');
      }
      const count = (t: string) => types.filter((x) => x === t).length;
      console.info(`2-signer contract, local signatures: ${types.length} events, ${count('WORKFLOW_TASK_COMPLETED')} workflow tasks, ${count('ACTIVITY_TASK_SCHEDULED')} activity tasks`);
      await recordHistory(handle, 'contract-lifecycle-local-signature');
    });
  });

  it('current version (CURRENT_VERSION_PATCH): one patch marker and one TemporalChangeVersion upsert per execution, standing for the three changes before it (local activities, notices in activities, closed by the last signature)', async () => {
    const fake = fakeDb(routing().filter((p) => p.participantId === 'a' || p.participantId === 'b'), { closesOnLastSignature: true, activityNotices: 'all' });
    await withWorkflowWorker({ activities: fake.activities }, async ({ client, taskQueue }) => {
      const handle = await signedInTwoSteps(client, taskQueue);
      // The three changes are in force: signatures and activation local, no notify or close activity.
      expect(fake.calls.signedLocally).toEqual([true, true]);
      const events = (await handle.fetchHistory()).events ?? [];
      expect(events.flatMap((e) => (e.activityTaskScheduledEventAttributes ? [e.activityTaskScheduledEventAttributes.activityType?.name] : []))).toEqual([]);
      const markers = events.flatMap((e) => (e.markerRecordedEventAttributes ? [e.markerRecordedEventAttributes.markerName] : []));
      expect(markers.filter((m) => m === 'core_patch')).toHaveLength(1);
      const versionUpserts = events.filter((e) => e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields?.TemporalChangeVersion);
      expect(versionUpserts).toHaveLength(1);
      expect(String(versionUpserts[0]!.upsertWorkflowSearchAttributesEventAttributes!.searchAttributes!.indexedFields!.TemporalChangeVersion!.data)).toContain(CURRENT_VERSION_PATCH);
      console.info(`2-signer contract, current version: ${events.length} events`);
      await recordHistory(handle, 'contract-lifecycle-current-version');
    });
  });

  it('local signature: a sign Update delivered with the start runs in a later workflow task than the activation (the activation is recorded first: a lost task cannot re-read a signature it did not record)', async () => {
    const fake = fakeDb(routing().filter((p) => p.participantId === 'a' || p.participantId === 'b'), { closesOnLastSignature: true, activityNotices: 'all' });
    await withWorkflowWorker({ activities: fake.activities }, async ({ client, taskQueue }) => {
      // Update-with-start: the Update reaches the workflow in its very first workflow task, beside the activation.
      const { handle } = await signAWithStart(client, taskQueue, {});
      await sign(handle, 'b');
      await handle.result();
      const types = await eventTypes(handle);
      const history = await handle.fetchHistory();
      const localMarkers = (history.events ?? []).flatMap((e, i) => (e.markerRecordedEventAttributes?.markerName === 'core_local_activity' ? [i] : []));
      expect(localMarkers).toHaveLength(3); // the activation, then the two signatures
      const [activation, firstSignature] = localMarkers as [number, number];
      // A workflow task completed between the activation's marker and the first signature's: they are not in one task.
      expect(types.slice(activation, firstSignature)).toContain('WORKFLOW_TASK_COMPLETED');
    });
  });

  it('local signature: a Temporal-UI cancel during a running signature cancels the attempt (it does not commit), the signer hears 平台撤销, the contract is voided as 平台撤销', async () => {
    const fake = fakeDb(routing(), { sign: () => blockUntilCancelled() });
    await withWorkflowWorker({ activities: fake.activities }, async ({ client, taskQueue }) => {
      const handle = await start(client, taskQueue, 60_000);
      await inProgress(handle);
      const signing = sign(handle, 'a');
      await eventually(async () => fake.calls.running === 1, 10_000, 'signature of a running');
      await handle.cancel();
      expect(await updateFailure(signing)).toBe('CONTRACT_REVOKED');
      const err = await handle.result().then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(WorkflowFailedError);
      await eventually(async () => fake.calls.cancelledAttempts > 0, 10_000, 'the attempt saw its cancellation');
      expect(fake.calls.signedLocally).toEqual([true]);
      expect(fake.calls.close).toEqual([{ contractId: expect.any(String), voidReason: 'revoked_by_platform', cause: 'workflow_cancelled' }]);
      expect(fake.db).toMatchObject({ status: 'voided', voidReason: 'revoked_by_platform' });
      expect(fake.db.participants.find((p) => p.participantId === 'a')!.status).toBe('pending');
      expect(await statusAttribute(handle)).toEqual(['voided']);
      await recordHistory(handle, 'contract-lifecycle-local-signature-cancelled');
    });
  });

  it('local signature failures: an infrastructure failure is retried within maxSignAttempts, a permanent one answers at once, exhausted retries ask the database (committed → signed, not committed → SIGNING_UNAVAILABLE and the lock is free)', async () => {
    let bFails: 'permanent' | 'down' | null = 'permanent';
    const fake = fakeDb(routing(), {
      sign: async (participantId, attempt) => {
        if (participantId === 'a' && attempt <= 2) throw new Error('connect ECONNREFUSED (database unreachable)');
        if (participantId === 'b' && bFails === 'permanent') {
          throw ApplicationFailure.create({ type: 'INVALID_SEAL_TEXT', message: '签章文字无法绘制', nonRetryable: true, details: [{ code: 'INVALID_SEAL_TEXT', message: '签章文字无法绘制', messageEn: 'The seal text cannot be drawn' }] });
        }
        if (participantId === 'b' && bFails === 'down') throw new Error('connect ECONNREFUSED (database unreachable)');
      },
      afterCommit: async (participantId) => {
        if (participantId === 'c') throw new Error('connection lost after COMMIT');
      },
    });
    await withWorkflowWorker({ activities: fake.activities }, async ({ client, taskQueue }) => {
      const handle = await start(client, taskQueue, 60_000);
      await inProgress(handle);
      const attempts = (participantId: string) => fake.calls.sign.filter((c) => c.participantId === participantId).map((c) => c.attempt);
      expect(await sign(handle, 'a')).toMatchObject({ participantId: 'a', stepAdvanced: 2 });
      expect(attempts('a')).toEqual([1, 2, 3]);
      expect(await updateFailure(sign(handle, 'b'))).toBe('INVALID_SEAL_TEXT');
      expect(attempts('b')).toEqual([1]);
      bFails = 'down';
      expect(await updateFailure(sign(handle, 'b'))).toBe('SIGNING_UNAVAILABLE');
      expect(attempts('b')).toEqual([1, 1, 2, 3]); // FAST: maxSignAttempts 3
      expect((await handle.query(lifecycleProgressQuery)).signing).toBeNull();
      // c's signature commits, then every attempt fails: the database says it committed.
      expect(await sign(handle, 'c')).toMatchObject({ participantId: 'c', documentVersion: fake.db.versions.c, stepAdvanced: null, completed: false });
      expect(attempts('c')).toEqual([1, 2, 3]);
      bFails = null;
      expect(await sign(handle, 'b')).toMatchObject({ participantId: 'b', stepAdvanced: 3 });
      expect(fake.calls.signedLocally.every(Boolean)).toBe(true);
      await handle.executeUpdate(revokeUpdate, { args: [{ actorUserId: INITIATOR, reason: '测试结束' }] });
      await handle.result();
      await recordHistory(handle, 'contract-lifecycle-local-signature-failures');
    });
  });
  it('routed start: the input carries the routing — no activation, no patch marker, only the two signatures as local activities; the first step\'s notice is the activation\'s (none sent by the workflow)', async () => {
    const fake = fakeDb(routing().filter((p) => p.participantId === 'a' || p.participantId === 'b'), { closesOnLastSignature: true, activityNotices: 'all' });
    await withWorkflowWorker({ activities: fake.activities }, async ({ client, taskQueue }) => {
      const handle = await startRouted(client, taskQueue, 60_000, fake.db.participants, true);
      await inProgress(handle);
      expect(await sign(handle, 'a')).toMatchObject({ participantId: 'a', stepAdvanced: 2, completed: false });
      expect(await sign(handle, 'b')).toMatchObject({ participantId: 'b', completed: true });
      expect(await handle.result()).toMatchObject({ status: 'completed' });
      expect(fake.calls.activations).toBe(0);
      expect(fake.calls.notices).toEqual([]);
      expect(fake.calls.activityNotices).toEqual(['step2', 'completed']);
      expect(fake.calls.signedLocally).toEqual([true, true]);
      const events = (await handle.fetchHistory()).events ?? [];
      expect(events.flatMap((e) => (e.activityTaskScheduledEventAttributes ? [e.activityTaskScheduledEventAttributes.activityType?.name] : []))).toEqual([]);
      const markers = events.flatMap((e) => (e.markerRecordedEventAttributes ? [e.markerRecordedEventAttributes.markerName] : []));
      expect(markers).toEqual(['core_local_activity', 'core_local_activity']);
      expect(events.filter((e) => e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields?.TemporalChangeVersion)).toHaveLength(0);
      const types = await eventTypes(handle);
      console.info(`2-signer contract, routed start: ${types.length} events, ${types.filter((t) => t === 'WORKFLOW_TASK_COMPLETED').length} workflow tasks`);
      await recordHistory(handle, 'contract-lifecycle-routed-start');
    });
  });

  it('routed start with a gateway SMS sender (notice not in the activation): the workflow confirms the row (one local activation), then sends the first step\'s notice; a sign Update delivered with the start signs in the first workflow task', async () => {
    const fake = fakeDb(routing().filter((p) => p.participantId === 'a' || p.participantId === 'b'), { closesOnLastSignature: true, activityNotices: 'all' });
    await withWorkflowWorker({ activities: fake.activities }, async ({ client, taskQueue }) => {
      const { contractId, handle } = await signAWithStart(client, taskQueue, { routing: { initiatorId: INITIATOR, participants: fake.db.participants.map((p) => ({ ...p })), firstStepNoticeInActivation: false } });
      await sign(handle, 'b');
      await handle.result();
      expect(fake.calls.sequence).toEqual(['activate (local)', 'step_started 1']);
      expect(fake.calls.notices).toEqual([{ contractId, event: 'step_started', step: 1 }]);
      const events = (await handle.fetchHistory()).events ?? [];
      expect(events.flatMap((e) => (e.activityTaskScheduledEventAttributes ? [e.activityTaskScheduledEventAttributes.activityType?.name] : []))).toEqual(['notifyContract']);
      const types = await eventTypes(handle);
      // The first signature's marker is in the first workflow task: no timer, no task between start and signature.
      expect(types.indexOf('MARKER_RECORDED')).toBeLessThan(types.indexOf('WORKFLOW_TASK_COMPLETED', types.indexOf('WORKFLOW_TASK_COMPLETED') + 1));
      expect(types).not.toContain('TIMER_FIRED');
      await recordHistory(handle, 'contract-lifecycle-routed-start-gateway-confirmed');
    });
  });

  it('routed start with a gateway SMS sender whose start was abandoned (rows removed): no notice, the workflow ends as abandoned at once (not at expiry)', async () => {
    const abandoned = fakeDb(routing(), { missing: true });
    await withWorkflowWorker({ activities: abandoned.activities }, async ({ client, taskQueue }) => {
      const handle = await startRouted(client, taskQueue, 3_600_000, abandoned.db.participants, false);
      expect(await handle.result()).toMatchObject({ status: 'voided' });
      expect(abandoned.calls.sequence).toEqual(['activate (local)']);
      expect(abandoned.calls.close).toEqual([]);
      expect(await statusAttribute(handle)).toEqual(['abandoned']);
      expect(await eventTypes(handle)).not.toContain('TIMER_FIRED');
      await recordHistory(handle, 'contract-lifecycle-routed-start-gateway-abandoned');
    });
  });

  it('routed start with a gateway SMS sender whose confirmation fails permanently: the notice goes out unconfirmed (never lost) and the contract signs to the end', async () => {
    const fake = fakeDb(routing().filter((p) => p.participantId === 'a' || p.participantId === 'b'), {
      closesOnLastSignature: true,
      activityNotices: 'all',
      localActivation: async () => {
        throw ApplicationFailure.create({ type: 'CONTRACT_NOT_FOUND', message: '合同不存在', nonRetryable: true });
      },
    });
    await withWorkflowWorker({ activities: fake.activities }, async ({ client, taskQueue }) => {
      const handle = await startRouted(client, taskQueue, 60_000, fake.db.participants, false);
      await eventually(async () => fake.calls.notices.length === 1, 10_000, 'step 1 notice');
      expect(fake.calls.sequence).toEqual(['activate (local)', 'step_started 1']);
      await sign(handle, 'a');
      await sign(handle, 'b');
      expect(await handle.result()).toMatchObject({ status: 'completed' });
    });
  });

  it('routed start with a gateway SMS sender cancelled in Temporal UI while its confirmation runs: the confirmation is cancelled, the contract is voided as 平台撤销, no one is asked to sign', async () => {
    const fake = fakeDb(routing(), { localActivation: () => blockUntilCancelled() });
    await withWorkflowWorker({ activities: fake.activities }, async ({ client, taskQueue }) => {
      const handle = await startRouted(client, taskQueue, 60_000, fake.db.participants, false);
      await eventually(async () => fake.calls.sequence.length === 1, 10_000, 'confirmation running');
      await handle.cancel();
      const err = await handle.result().then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(WorkflowFailedError);
      expect(fake.calls.close).toEqual([{ contractId: expect.any(String), voidReason: 'revoked_by_platform', cause: 'workflow_cancelled' }]);
      expect(fake.db).toMatchObject({ status: 'voided', voidReason: 'revoked_by_platform' });
      expect(fake.calls.notices.map((n) => n.event)).toEqual(['voided']);
      expect(await statusAttribute(handle)).toEqual(['voided']);
    });
  });

  it('routed start ended by the workflow itself: expiry asks the database once — an abandoned start (rows removed) ends as abandoned without a close; a start that died before its activation is activated, then voided as 过期', async () => {
    const abandoned = fakeDb(routing(), { missing: true });
    const late = fakeDb(routing());
    await withWorkflowWorker({ activities: abandoned.activities }, async ({ client, taskQueue }) => {
      const handle = await startRouted(client, taskQueue, 1_500, abandoned.db.participants, true);
      expect(await handle.result()).toMatchObject({ status: 'voided' });
      expect(abandoned.calls.activations).toBe(1);
      expect(abandoned.calls.close).toEqual([]);
      expect(await statusAttribute(handle)).toEqual(['abandoned']);
      await recordHistory(handle, 'contract-lifecycle-routed-start-abandoned');
    });
    await withWorkflowWorker({ activities: late.activities }, async ({ client, taskQueue }) => {
      const handle = await startRouted(client, taskQueue, 1_500, late.db.participants, true);
      expect(await handle.result()).toMatchObject({ status: 'voided', voidReason: 'expired' });
      expect(late.calls.activations).toBe(1);
      expect(late.calls.close).toEqual([{ contractId: expect.any(String), voidReason: 'expired' }]);
    });
  });
});
