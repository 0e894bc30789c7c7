/**
 * ContractSigningWorkflow, path by path, with FAKE activities against the suite's Temporal dev
 * server (no time skipping offline: durations are inputs of 0.1–2 s). Each path records a replay
 * fixture with RECORD_HISTORY=1 (workflows/fixtures/contract-signing.<path>.history.json), replayed
 * by workflows/contract-signing.replay.test.ts.
 */
import { randomUUID } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { WorkflowFailedError, WorkflowUpdateFailedError, WorkflowUpdateStage, type Client, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { classifyActivityError } from '../../activities/activity-errors';
import type { ContractActivities } from '../../activities/contract-activities';
import type { ApplySignatureV1Input } from '../../domain/contracts/apply-signature';
import { DocumentError } from '../../documents/errors';
import type { Contract } from '../../domain/contracts/contract.entity';
import type { CloseOutcome, CloseRequest } from '../../domain/contracts/finish-contract';
import type { SigningTiming } from '../../domain/contracts/signing-timing';
import { startContractWorkflow } from '../../workflows/clients/start-contract-workflow';
import { progressQuery, signUpdate, type contractSigningWorkflow } from '../../workflows/contract-signing';
import { eventually, recordHistory, withWorkflowWorker } from '../harness/workflow-env';

type Handle = WorkflowHandle<typeof contractSigningWorkflow>;
/** The v1 workflow sends the v1 input (applySignature also takes the v2 participant input). */
type ApplyInput = ApplySignatureV1Input;

const FAST: Partial<SigningTiming> = { heartbeatTimeoutMs: 1_000, signAttemptTimeoutMs: 5_000, retryInitialMs: 100, retryMaxMs: 200, maxSignAttempts: 3, expiryGraceMs: 500 };

/** Fake contract activities: an in-memory "database" of committed signatures, with hooks per test. */
function fakeDb(signerIds: string[], applyHook?: (input: ApplyInput, attempt: number) => Promise<void>, activateHook?: () => Promise<void>) {
  const committed = new Map<string, number>();
  const calls = { activate: 0, apply: [] as { signerId: string; attempt: number }[], close: [] as CloseRequest[], signedSigners: 0, running: 0, maxRunning: 0, cancelledAttempts: 0 };
  const activities: Partial<ContractActivities> = {
    async activateContract() {
      calls.activate++;
      await activateHook?.();
      return 'activated';
    },
    async applySignature(v1Input) {
      const input = v1Input as ApplyInput;
      const attempt = Context.current().info.attempt;
      calls.apply.push({ signerId: input.signerId, attempt });
      calls.running++;
      calls.maxRunning = Math.max(calls.maxRunning, calls.running);
      try {
        // The real activity's classification (activities/activity-errors.ts) applies to what the hook throws.
        await applyHook?.(input, attempt).catch((err: unknown) => {
          if (err instanceof CancelledFailure) calls.cancelledAttempts++;
          throw classifyActivityError(err);
        });
        if (!committed.has(input.signerId)) committed.set(input.signerId, committed.size + 1);
        return { documentVersion: committed.get(input.signerId)! };
      } finally {
        calls.running--;
      }
    },
    async closeContract(request): Promise<CloseOutcome> {
      calls.close.push(request);
      const all = signerIds.every((id) => committed.has(id));
      return { status: all ? 'completed' : 'voided', voidReason: all ? null : request.voidReason, signedSignerIds: [...committed.keys()] };
    },
    async signedSigners() {
      calls.signedSigners++;
      return [...committed].map(([signerId, documentVersion]) => ({ signerId, documentVersion }));
    },
  };
  return { activities, calls, committed };
}

/** Waits until the activity is cancelled (it heartbeats, so the cancellation reaches it). */
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

const users = (n: number) => Array.from({ length: n }, (_, i) => ({ signerId: `s${i + 1}-${randomUUID()}`, userId: `u${i + 1}-${randomUUID()}`, order: i + 1 }));

async function start(client: Client, taskQueue: string, signers: ReturnType<typeof users>, expiresInMs: number, timing: Partial<SigningTiming> = FAST): Promise<Handle> {
  const contract = { id: randomUUID(), initiatorId: signers[0]!.userId, expiresAt: new Date(Date.now() + expiresInMs) } as Contract;
  await startContractWorkflow(client, taskQueue, contract, signers, { timing });
  return client.workflow.getHandle(`contract:${contract.id}`);
}

const sign = (handle: Handle, userId: string, confirmationId = randomUUID()) => handle.executeUpdate(signUpdate, { args: [{ userId, confirmationId }], updateId: `sign:${confirmationId}` });

async function updateFailure(p: Promise<unknown>) {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
  const cause = (err as WorkflowUpdateFailedError).cause;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  return { type: (cause as ApplicationFailure).type, detail: (cause as ApplicationFailure).details?.[0] as { code: string; message: string; messageEn: string; retryable?: boolean } };
}

const statusAttribute = async (handle: Handle) => (await handle.describe()).searchAttributes.ContractStatus;

describe('ContractSigningWorkflow paths (fake activities)', () => {
  it('last signer completes: both sign in order, the contract is closed as 已完成 and ContractStatus follows every transition', async () => {
    const signers = users(2);
    const db = fakeDb(signers.map((s) => s.signerId));
    await withWorkflowWorker({ activities: db.activities }, async ({ client, taskQueue }) => {
      const handle = await start(client, taskQueue, signers, 60_000);
      await eventually(async () => (await statusAttribute(handle))?.[0] === 'in_progress', 10_000, 'ContractStatus in_progress after activation');
      expect(await sign(handle, signers[0]!.userId)).toMatchObject({ signerId: signers[0]!.signerId, completed: false });
      expect(await sign(handle, signers[1]!.userId)).toMatchObject({ signerId: signers[1]!.signerId, completed: true });
      expect((await handle.result()).status).toBe('completed');
      expect(db.calls.close).toEqual([{ contractId: expect.any(String), voidReason: null }]);
      expect(await statusAttribute(handle)).toEqual(['completed']);
      await recordHistory(handle, 'contract-signing.completed');
    });
  });

  it('permanent failure: the Update answers the document error at once, without retries, and the lock is released for the next request', async () => {
    const signers = users(2);
    let failNext = true;
    const db = fakeDb(signers.map((s) => s.signerId), async () => {
      if (failNext) {
        failNext = false;
        throw new DocumentError('INVALID_SEAL_TEXT', 'name contains U+200B');
      }
    });
    await withWorkflowWorker({ activities: db.activities }, async ({ client, taskQueue }) => {
      const handle = await start(client, taskQueue, signers, 60_000);
      const t0 = Date.now();
      const failure = await updateFailure(sign(handle, signers[0]!.userId));
      const elapsed = Date.now() - t0;
      expect(failure.type).toBe('INVALID_SEAL_TEXT');
      expect(failure.detail.message).toMatch(/签章/);
      expect(failure.detail.messageEn).toBeTruthy();
      expect(elapsed).toBeLessThan(3_000);
      expect(db.calls.apply).toHaveLength(1); // no retry storm
      expect((await handle.query(progressQuery)).signing).toBeNull();
      // The lock is free: the next request goes through at once.
      expect(await sign(handle, signers[0]!.userId)).toMatchObject({ completed: false });
      expect(await sign(handle, signers[1]!.userId)).toMatchObject({ completed: true });
      expect((await handle.result()).status).toBe('completed');
      await recordHistory(handle, 'contract-signing.permanent-failure');
    });
  });

  it('infrastructure failure: retried with a bound, then answered as retryable SIGNING_UNAVAILABLE; the next request works', async () => {
    const signers = users(1);
    let broken = true;
    const db = fakeDb(signers.map((s) => s.signerId), async () => {
      if (broken) throw new Error('connect ECONNREFUSED 127.0.0.1:3306');
    });
    await withWorkflowWorker({ activities: db.activities }, async ({ client, taskQueue }) => {
      const handle = await start(client, taskQueue, signers, 60_000);
      const failure = await updateFailure(sign(handle, signers[0]!.userId));
      expect(failure.type).toBe('SIGNING_UNAVAILABLE');
      expect(failure.detail.retryable).toBe(true);
      expect(db.calls.apply.map((a) => a.attempt)).toEqual([1, 2, 3]); // maxSignAttempts, not forever
      expect(db.calls.signedSigners).toBe(1); // it asked the database whether the last attempt committed
      broken = false;
      expect(await sign(handle, signers[0]!.userId)).toMatchObject({ completed: true });
      expect((await handle.result()).status).toBe('completed');
      await recordHistory(handle, 'contract-signing.infrastructure-failure');
    });
  });

  it('a worker that dies mid-signature (its heartbeats stop) is noticed within the heartbeat timeout and the signature retried in seconds (was: after the 2-minute timeout)', async () => {
    const signers = users(1);
    const db = fakeDb(signers.map((s) => s.signerId), async (_input, attempt) => {
      if (attempt === 1) await Context.current().cancelled.catch(() => undefined); // a dead worker: no heartbeat, no answer
    });
    await withWorkflowWorker({ activities: db.activities }, async ({ client, taskQueue }) => {
      const handle = await start(client, taskQueue, signers, 60_000, { ...FAST, heartbeatTimeoutMs: 1_000, signAttemptTimeoutMs: 60_000 });
      const t0 = Date.now();
      expect(await sign(handle, signers[0]!.userId)).toMatchObject({ completed: true });
      const ms = Date.now() - t0;
      expect(db.calls.apply.map((a) => a.attempt)).toEqual([1, 2]);
      expect(ms).toBeLessThan(5_000); // heartbeat timeout (1 s here, 5 s by default) + backoff, not signAttemptTimeoutMs
      await handle.result();
      await recordHistory(handle, 'contract-signing.worker-lost');
    });
  });

  it('an attempt that committed but could not report it is settled from the database: the signer is signed, not refused', async () => {
    const signers = users(2);
    const db = fakeDb(signers.map((s) => s.signerId));
    const committing = db.activities.applySignature!;
    db.activities.applySignature = async (input) => {
      await committing(input); // the commit happens...
      throw new Error('worker lost its database connection before answering'); // ...but the answer is lost
    };
    await withWorkflowWorker({ activities: db.activities }, async ({ client, taskQueue }) => {
      const handle = await start(client, taskQueue, signers, 60_000);
      expect(await sign(handle, signers[0]!.userId)).toMatchObject({ signerId: signers[0]!.signerId, documentVersion: 1 });
      const progress = await handle.query(progressQuery);
      expect(progress.signers.map((s) => s.signed)).toEqual([true, false]);
      await handle.terminate('test done');
    });
  });

  it('expiry during a running signature: expiry wins within the grace bound, the attempt is cancelled, late requests hear 已过期', async () => {
    const signers = users(2);
    const db = fakeDb(signers.map((s) => s.signerId), () => blockUntilCancelled());
    await withWorkflowWorker({ activities: db.activities }, async ({ client, taskQueue }) => {
      const expiresInMs = 2_000;
      const handle = await start(client, taskQueue, signers, expiresInMs);
      const expiresAt = Date.now() + expiresInMs;
      const running = sign(handle, signers[0]!.userId);
      await eventually(async () => (await handle.query(progressQuery)).signing === signers[0]!.signerId, 10_000, 'signature in flight');
      const failure = await updateFailure(running);
      expect(failure.type).toBe('CONTRACT_EXPIRED');
      expect(failure.detail.message).toContain('已过期');
      const result = await handle.result();
      const settledAfterExpiryMs = Date.now() - expiresAt;
      expect(result).toMatchObject({ status: 'voided', voidReason: 'expired' });
      expect(settledAfterExpiryMs).toBeLessThan(FAST.expiryGraceMs! + 3_000); // bounded, not "until the activity gives up"
      expect(db.calls.close).toEqual([{ contractId: expect.any(String), voidReason: 'expired' }]);
      await eventually(async () => db.calls.cancelledAttempts > 0 || null, 5_000, 'the running attempt saw the cancellation');
      expect(await statusAttribute(handle)).toEqual(['voided']);
      await recordHistory(handle, 'contract-signing.expiry-during-signature');
    });
  });

  it('a request after expiry is refused 已过期 by the validator while a signature is still settling', async () => {
    const signers = users(2);
    let releaseFirst: () => void = () => {};
    const firstDone = new Promise<void>((r) => (releaseFirst = r));
    const db = fakeDb(signers.map((s) => s.signerId), () => firstDone);
    await withWorkflowWorker({ activities: db.activities }, async ({ client, taskQueue }) => {
      const handle = await start(client, taskQueue, signers, 1_500, { ...FAST, expiryGraceMs: 20_000 });
      const first = sign(handle, signers[0]!.userId);
      await eventually(async () => (await handle.query(progressQuery)).signing === signers[0]!.signerId, 10_000, 'signature in flight');
      await eventually(async () => Date.now() > Date.parse((await handle.describe()).startTime.toISOString()) + 2_000 || null, 10_000, 'past expiry');
      // The second signer would be next once the first commits, but the contract has expired.
      const late = await updateFailure(sign(handle, signers[1]!.userId));
      expect(late.type).toBe('CONTRACT_EXPIRED');
      releaseFirst();
      // The first signature committed before the contract was settled: it counts, and the contract is voided (not all signed).
      expect(await first).toMatchObject({ signerId: signers[0]!.signerId });
      expect(await handle.result()).toMatchObject({ status: 'voided', voidReason: 'expired' });
    });
  });

  it('cancel from Temporal UI: the contract is voided as 平台撤销, a running signature is answered, the workflow ends cancelled', async () => {
    const signers = users(2);
    let hold = false;
    const db = fakeDb(signers.map((s) => s.signerId), () => (hold ? blockUntilCancelled() : Promise.resolve()));
    await withWorkflowWorker({ activities: db.activities }, async ({ client, taskQueue }) => {
      const handle = await start(client, taskQueue, signers, 60_000);
      await sign(handle, signers[0]!.userId);
      hold = true;
      const running = sign(handle, signers[1]!.userId);
      await eventually(async () => (await handle.query(progressQuery)).signing === signers[1]!.signerId, 10_000, 'signature in flight');
      await handle.cancel();
      const failure = await updateFailure(running);
      expect(failure.type).toBe('CONTRACT_REVOKED');
      const err = await handle.result().then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(WorkflowFailedError);
      expect((err as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
      expect(db.calls.close).toEqual([{ contractId: expect.any(String), voidReason: 'revoked_by_platform', cause: 'workflow_cancelled' }]);
      expect(await statusAttribute(handle)).toEqual(['voided']);
      await recordHistory(handle, 'contract-signing.cancelled');
    });
  });

  it('cancel while activation is still running: activation is settled, then the contract is voided as 平台撤销', async () => {
    const signers = users(2);
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const db = fakeDb(signers.map((s) => s.signerId), undefined, () => (db.calls.activate === 1 ? gate : Promise.resolve()));
    await withWorkflowWorker({ activities: db.activities }, async ({ client, taskQueue }) => {
      const handle = await start(client, taskQueue, signers, 60_000);
      await eventually(async () => db.calls.activate === 1 || null, 10_000, 'activation in flight');
      await handle.cancel();
      const err = await handle.result().then(() => null, (e: unknown) => e);
      release();
      expect((err as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
      // Before: the cancelled activation skipped the close, leaving a 签署中 row behind a cancelled workflow.
      expect(db.calls.activate).toBe(2);
      expect(db.calls.close).toEqual([{ contractId: expect.any(String), voidReason: 'revoked_by_platform', cause: 'workflow_cancelled' }]);
      expect(await statusAttribute(handle)).toEqual(['voided']);
    });
  });

  it('two signers racing: the next signer is accepted while the previous signature runs, signatures never overlap, order holds', async () => {
    const signers = users(3);
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const db = fakeDb(signers.map((s) => s.signerId), (input) => (input.signerId === signers[0]!.signerId ? gate : Promise.resolve()));
    await withWorkflowWorker({ activities: db.activities }, async ({ client, taskQueue }) => {
      const handle = await start(client, taskQueue, signers, 60_000);
      const first = sign(handle, signers[0]!.userId);
      await eventually(async () => (await handle.query(progressQuery)).signing === signers[0]!.signerId, 10_000, 'first signature in flight');
      // Signer 2 is next once signer 1 commits (the database may already say so): accepted, not NOT_YOUR_TURN.
      const c2 = randomUUID();
      const second = await handle.startUpdate(signUpdate, { args: [{ userId: signers[1]!.userId, confirmationId: c2 }], updateId: `sign:${c2}`, waitForStage: WorkflowUpdateStage.ACCEPTED });
      // Signer 1 again with another confirmation: told to wait; signer 3: not their turn.
      expect((await updateFailure(sign(handle, signers[0]!.userId))).type).toBe('SIGNING_IN_PROGRESS');
      expect((await updateFailure(sign(handle, signers[2]!.userId))).type).toBe('NOT_YOUR_TURN');
      release();
      expect(await first).toMatchObject({ signerId: signers[0]!.signerId, completed: false });
      expect(await second.result()).toMatchObject({ signerId: signers[1]!.signerId, completed: false });
      expect(db.calls.maxRunning).toBe(1);
      expect(db.calls.apply.map((a) => a.signerId)).toEqual([signers[0]!.signerId, signers[1]!.signerId]);
      expect(await sign(handle, signers[2]!.userId)).toMatchObject({ completed: true });
      expect((await handle.result()).status).toBe('completed');
      await recordHistory(handle, 'contract-signing.signers-racing');
    });
  });
});
