/**
 * 转让管理员 cancelled or terminated from Temporal UI, on the real Temporal dev server with the real activities: a
 * Cancel while the workflow waits ends the row at once (cancelled, PROCESS_ENDED, audited) and frees the enterprise
 * for a new transfer, instead of holding it until the reconciler; the new administrator's accepted confirm whose
 * workflow is cancelled or terminated while the completion runs is answered with a 409, never a 500. Also what else
 * an operator does there: a signal sent without its payload changes nothing (the administrator can still cancel), and
 * a Reset of a completed transfer's run ends the new run at once as completed, writing nothing.
 */
import { randomUUID } from 'node:crypto';
import proto from '@temporalio/proto';
import { CancelledFailure } from '@temporalio/common';
import { WorkflowFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEventSchema } from '../../domain/audit/audit-event.entity';
import { AdminTransferSchema } from '../../domain/enterprises/admin-change.entities';
import { EnterpriseSchema } from '../../domain/enterprises/enterprise.entity';
import { adminTransferWorkflowId } from '../../workflows/clients/admin-transfer-client';
import { latestSmsCode } from '../harness/fixtures';
import { startTestPlatform, type TestPlatform } from '../harness/platform';
import { setUpTransferParties } from '../harness/transfer-fixtures';

/** A completion held until the test opens it (per transfer); promises that say it has started and has finished. */
function gate() {
  let open!: () => void;
  let entered!: () => void;
  let ended!: (outcome: unknown) => void;
  const opened = new Promise<void>((r) => (open = r));
  const started = new Promise<void>((r) => (entered = r));
  const finished = new Promise<unknown>((r) => (ended = r));
  return { open, started, finished, ended, wait: async () => (entered(), opened) };
}
const completionGates = new Map<string, ReturnType<typeof gate>>();

let platform: TestPlatform;

beforeAll(async () => {
  platform = await startTestPlatform(
    {},
    {
      overrideActivities: (real) => ({
        async completeTransfer(input: Parameters<typeof real.completeTransfer>[0]) {
          const g = completionGates.get(input.transferId);
          if (!g) return real.completeTransfer(input);
          await g.wait();
          const outcome = real.completeTransfer(input);
          g.ended(await outcome.catch((err: unknown) => err));
          return outcome;
        },
      }),
    },
  );
});
afterAll(async () => {
  for (const g of completionGates.values()) g.open();
  await platform?.stop();
});

const setUp = (name: string) => setUpTransferParties(platform, name);
const { temporal } = proto;

/** Codes are sent by an activity, shortly after the Update or start returns. */
async function codeFor(mobile: string, after: Date) {
  await expect.poll(async () => (await platform.services.orm.em.fork().count('SmsOutboxMessage', { mobile, purpose: 'admin_transfer', createdAt: { $gte: after } })) > 0, { timeout: 10_000 }).toBe(true);
  return latestSmsCode(platform.services, mobile);
}

const rowOf = (id: string) => platform.services.orm.em.fork().findOneOrFail(AdminTransferSchema, { id });

/** Both parties confirm; the new administrator's confirm (accepted, its completion held at the gate) is returned unanswered. */
async function acceptedWithCompletionHeld(name: string) {
  const parties = await setUp(name);
  const before = new Date(Date.now() - 1000);
  const id = (await parties.adminC.post('/console/admin-transfer', { memberId: parties.membership.id })).json.transfer.id as string;
  const g = gate();
  completionGates.set(id, g);
  const beforeTarget = new Date();
  expect((await parties.adminC.post(`/admin-transfers/${id}/confirm`, { code: await codeFor(parties.admin.mobile, before) })).json).toEqual({ step: 'awaiting_target_code' });
  const targetCode = await codeFor(parties.target.mobile, beforeTarget);
  const accepting = parties.targetC.post(`/admin-transfers/${id}/confirm`, { code: targetCode });
  await g.started;
  return { ...parties, id, gate: g, accepting, handle: platform.temporal.workflow.getHandle(adminTransferWorkflowId(id)) };
}

describe('转让管理员 cancelled or terminated from Temporal UI', () => {
  it('a Cancel while it waits ends the row at once as cancelled (PROCESS_ENDED), audited; a new transfer can start at once', async () => {
    const { admin, enterprise, membership, adminC } = await setUp('平台取消');
    const before = new Date(Date.now() - 1000);
    const started = await adminC.post('/console/admin-transfer', { memberId: membership.id });
    expect(started.status, JSON.stringify(started.json)).toBe(201);
    const id = started.json.transfer.id as string;
    await codeFor(admin.mobile, before); // the workflow waits for the administrator's confirmation

    const handle = platform.temporal.workflow.getHandle(adminTransferWorkflowId(id));
    await handle.cancel();
    const failure = await handle.result().then(() => undefined, (err: unknown) => err);
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    expect((failure as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);

    // Ended by the workflow itself before it closed, not minutes later by the reconciler.
    const row = await rowOf(id);
    expect([row.status, row.endReason, row.liveKey]).toEqual(['cancelled', 'PROCESS_ENDED', null]);
    const trail = await platform.services.orm.em.fork().find(AuditEventSchema, { targetId: id, action: 'admin.transfer_cancelled' });
    expect(trail.map((e) => JSON.parse(e.detail ?? 'null') as unknown)).toEqual([{ reason: 'PROCESS_ENDED' }]);
    expect((await adminC.get('/console/admin-transfer')).json.transfer).toMatchObject({ id, status: 'cancelled', endReasonLabel: '转让流程已被终止' });
    expect((await platform.services.orm.em.fork().findOneOrFail(EnterpriseSchema, { id: enterprise.id })).adminUserId).toBe(admin.id);

    const again = await adminC.post('/console/admin-transfer', { memberId: membership.id });
    expect(again.status, JSON.stringify(again.json)).toBe(201);
    expect(again.json.transfer.id).not.toBe(id);
    expect((await adminC.post('/console/admin-transfer/cancel')).status).toBe(200);
  });

  it('a Cancel while the completion runs: the accepted confirm answers 409 with the reason (not 500), the row ends cancelled, nothing changes hands', async () => {
    const { admin, enterprise, id, gate: g, accepting, handle } = await acceptedWithCompletionHeld('完成中取消');
    await handle.cancel();
    const answer = await accepting;
    expect(answer.status, JSON.stringify(answer.json)).toBe(409);
    expect(answer.json.error).toMatchObject({ code: 'TRANSFER_FAILED', message: '转让未能完成：转让流程已被终止' });
    const row = await rowOf(id);
    expect([row.status, row.endReason, row.liveKey]).toEqual(['cancelled', 'PROCESS_ENDED', null]);
    expect(await platform.services.orm.em.fork().count(AuditEventSchema, { action: 'admin.transfer_cancelled', targetId: id })).toBe(1);

    // The abandoned completion (it does not heartbeat, so it runs on) finds the row ended and changes nothing.
    g.open();
    expect(await g.finished).toEqual({ ok: false, reason: 'PROCESS_ENDED' });
    expect((await rowOf(id)).status).toBe('cancelled');
    expect(await platform.services.orm.em.fork().count(AuditEventSchema, { targetId: id, action: { $in: ['admin.transfer_completed', 'admin.transfer_failed'] } })).toBe(0);
    expect((await platform.services.orm.em.fork().findOneOrFail(EnterpriseSchema, { id: enterprise.id })).adminUserId).toBe(admin.id);
  });

  it('a targetRemoved signal sent from Temporal UI without its payload is ignored: the administrator cancels through the API (200, row cancelled)', async () => {
    const { admin, membership, adminC } = await setUp('空信号');
    const before = new Date(Date.now() - 1000);
    const id = (await adminC.post('/console/admin-transfer', { memberId: membership.id })).json.transfer.id as string;
    await codeFor(admin.mobile, before); // the workflow waits for the administrator's confirmation
    const handle = platform.temporal.workflow.getHandle(adminTransferWorkflowId(id));
    await handle.signal('targetRemoved');
    await handle.signal('targetRemoved', { user: 'someone' });

    const cancelled = await adminC.post('/console/admin-transfer/cancel');
    expect(cancelled.status, JSON.stringify(cancelled.json)).toBe(200);
    expect(await handle.result()).toEqual({ step: 'cancelled', reason: null });
    const row = await rowOf(id);
    expect([row.status, row.endReason, row.liveKey]).toEqual(['cancelled', null, null]);
    expect((await handle.fetchHistory()).events!.filter((e) => e.workflowTaskFailedEventAttributes)).toEqual([]);
  });

  it('a Reset (reapplying nothing) of a completed transfer\'s run: the new run ends at once as completed (ProcessStatus too), the row unchanged, nothing audited', async () => {
    const { admin, target, enterprise, membership, adminC, targetC } = await setUp('完成后重置');
    const before = new Date(Date.now() - 1000);
    const id = (await adminC.post('/console/admin-transfer', { memberId: membership.id })).json.transfer.id as string;
    const beforeTarget = new Date();
    expect((await adminC.post(`/admin-transfers/${id}/confirm`, { code: await codeFor(admin.mobile, before) })).json).toEqual({ step: 'awaiting_target_code' });
    expect((await targetC.post(`/admin-transfers/${id}/confirm`, { code: await codeFor(target.mobile, beforeTarget) })).json).toEqual({ step: 'completed' });
    const handle = platform.temporal.workflow.getHandle(adminTransferWorkflowId(id));
    expect(await handle.result()).toEqual({ step: 'completed', reason: null });
    const rowBefore = await rowOf(id);
    const audited = await platform.services.orm.em.fork().count(AuditEventSchema, { targetId: id });

    // What Temporal UI's Reset does: a new run from the end of the first workflow task; "none" reapplies no signal or Update.
    const firstTask = (await handle.fetchHistory()).events!.find((e) => e.workflowTaskCompletedEventAttributes)!;
    const { runId: oldRunId } = await handle.describe();
    await platform.temporal.workflowService.resetWorkflowExecution({
      namespace: platform.config.temporal.namespace,
      workflowExecution: { workflowId: handle.workflowId, runId: oldRunId },
      workflowTaskFinishEventId: firstTask.eventId,
      requestId: randomUUID(),
      reason: 'operator reset in Temporal UI',
      resetReapplyType: temporal.api.enums.v1.ResetReapplyType.RESET_REAPPLY_TYPE_NONE,
    });
    const latest = platform.temporal.workflow.getHandle(handle.workflowId);
    expect((await latest.describe()).runId).not.toBe(oldRunId);
    await expect.poll(async () => (await latest.describe()).status.name, { timeout: 15_000 }).toBe('COMPLETED');
    expect(await latest.result()).toEqual({ step: 'completed', reason: null });
    expect((await latest.describe()).searchAttributes.ProcessStatus).toEqual(['completed']);

    expect(await rowOf(id)).toEqual(rowBefore);
    expect(await platform.services.orm.em.fork().count(AuditEventSchema, { targetId: id })).toBe(audited);
    expect((await platform.services.orm.em.fork().findOneOrFail(EnterpriseSchema, { id: enterprise.id })).adminUserId).toBe(target.id);
  });

  it('a Terminate while the completion runs (no workflow code runs): the accepted confirm answers 409 PROCESS_NOT_RUNNING, not 500', async () => {
    const { gate: g, accepting, handle } = await acceptedWithCompletionHeld('完成中终止');
    await handle.terminate('operator terminate in Temporal UI');
    const answer = await accepting;
    expect(answer.status, JSON.stringify(answer.json)).toBe(409);
    expect(answer.json.error).toMatchObject({ code: 'PROCESS_NOT_RUNNING' });
    g.open();
    await g.finished; // the abandoned completion runs on (and commits: terminating runs no workflow code); not left running into other files
  });
});
