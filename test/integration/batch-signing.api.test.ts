// @sqlite-too: parallel submissions of the same batch sign once.
/**
 * 批量签署 (M30) end to end (real API, database, Temporal dev server, worker, activities):
 * eligibility with reasons, one code signs five contracts through their own workflows, a failing
 * contract does not stop the others, the code is bound to its batch and used once, and two parallel
 * submissions of the same batch sign once (on both dialects in CI).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { MockActivityEnvironment } from '@temporalio/testing';
import { permanentFailure } from '../../activities/activity-errors';
import { createBatchSignActivities } from '../../activities/batch-sign-activities';
import type { SignForParticipantInput } from '../../activities/contract-lifecycle-activities';
import { recordBatchItemFailure, recordBatchItemOutcome } from '../../domain/contracts/batch/batch-items';
import { BATCH_ABORTED } from '../../domain/contracts/batch/reconcile-batches';
import { BatchSigningItemSchema, BatchSigningSchema } from '../../domain/contracts/batch/batch-signing.entity';
import { ContractSignerSchema } from '../../domain/contracts/contract-signer.entity';
import { ContractSchema } from '../../domain/contracts/contract.entity';
import { DocumentVersionSchema } from '../../domain/contracts/document-version.entity';
import { ContractEventSchema } from '../../domain/contracts/trail/contract-event.entity';
import { WillingnessConfirmationSchema } from '../../domain/contracts/willingness-confirmation.entity';
import { batchSignWorkflowId, SIGNING_TIMED_OUT } from '../../workflows/batch-sign-api';
import { AuditEventSchema } from '../../domain/audit/audit-event.entity';
import { rejectAuditAction } from '../harness/audit-failure';
import { contractForm, latestSmsCode, makePdf, TEST_PASSWORD } from '../harness/fixtures';
import { ApiClient } from '../harness/http-client';
import { startTestPlatform, type TestPlatform } from '../harness/platform';
import { signedInUsers, type TestUser } from '../harness/signed-in-users';
import { startApiWithoutTemporal } from '../harness/unreachable-temporal';
import { eventually } from '../harness/workflow-env';

type U = TestUser;
let platform: TestPlatform;
/** Contracts whose signature the worker refuses (a permanent failure of the signing activity). */
const failing = new Set<string>();

beforeAll(async () => {
  platform = await startTestPlatform(
    {},
    {
      overrideActivities: (real) => ({
        async signForParticipant(input: SignForParticipantInput) {
          if (failing.has(input.contractId)) throw permanentFailure({ code: 'TEST_SIGNING_REFUSED', message: '测试：签署被拒绝', messageEn: 'Test: signing refused' });
          return real.signForParticipant(input);
        },
      }),
    },
  );
});
afterAll(async () => platform?.stop());

const em = () => platform.services.orm.em.fork();
const users = signedInUsers(() => platform);
const user = users.create;
const as = users.as;

/** `initiator` starts a contract; each participant is a person with a preset 人名章 (or free placement), by step. */
async function startContract(initiator: U, title: string, participants: { u: U; step: number; free?: boolean }[]) {
  const spec = participants.map((p, i) =>
    p.free ? { kind: 'person', step: p.step, mobile: p.u.mobile, name: p.u.name, placement: 'free', marks: [] } : { kind: 'person', step: p.step, mobile: p.u.mobile, name: p.u.name, marks: [{ kind: 'name_seal', page: 1, x: 80 + i * 150, y: 600 }] },
  );
  const r = await as(initiator).post('/contracts', contractForm(await makePdf(1), { title, spec: { participants: spec } }));
  expect(r.status, JSON.stringify(r.json)).toBe(201);
  const id = r.json.id as string;
  await eventually(async () => (await em().findOne(ContractSchema, { id }))?.status === 'in_progress', 15_000, 'contract in progress');
  return id;
}

async function progressUntilDone(u: U, batchId: string) {
  return eventually(
    async () => {
      const r = await as(u).get(`/contracts/batch-sign/${batchId}`);
      expect(r.status, JSON.stringify(r.json)).toBe(200);
      return r.json.status === 'done' ? r.json : null;
    },
    90_000,
    'batch done',
  );
}

// Each test starts several real contracts and signs them: minutes on a loaded 2-core machine.
describe('批量签署', { timeout: 240_000 }, () => {
  it('check: eligible preset contracts; not eligible ones with why (not my turn, free placement, not mine, not in progress)', async () => {
    const [alice, bob, carol] = [await user('钱多多'), await user('孙悟空'), await user('猪八戒')];
    const ok = await startContract(alice, '可批量', [{ u: bob, step: 1 }]);
    const later = await startContract(alice, '尚未轮到', [{ u: carol, step: 1 }, { u: bob, step: 2 }]);
    const free = await startContract(alice, '自由签章', [{ u: bob, step: 1, free: true }]);
    const others = await startContract(alice, '与我无关', [{ u: carol, step: 1 }]);
    const revoked = await startContract(alice, '已撤销', [{ u: bob, step: 1 }]);
    expect((await as(alice).post(`/contracts/${revoked}/revoke`, { reason: '重新起草' })).status).toBe(200);

    const r = await as(bob).post('/contracts/batch-sign/check', { ids: [ok, later, free, others, revoked, ok] });
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    const byId = new Map((r.json.items as { id: string }[]).map((i) => [i.id, i]));
    expect(r.json.items).toHaveLength(5); // the duplicate is dropped
    expect(byId.get(ok)).toMatchObject({ eligible: true, title: '可批量', participantId: expect.any(String) });
    expect(byId.get(later)).toMatchObject({ eligible: false, reason: 'NOT_YOUR_TURN', message: expect.stringMatching(/尚未轮到/), messageEn: expect.any(String) });
    expect(byId.get(free)).toMatchObject({ eligible: false, reason: 'FREE_PLACEMENT', message: expect.stringMatching(/自行放置/) });
    expect(byId.get(others)).toMatchObject({ eligible: false, reason: 'CONTRACT_NOT_FOUND', title: null });
    expect(byId.get(revoked)).toMatchObject({ eligible: false, reason: 'CONTRACT_NOT_IN_PROGRESS' });

    // Bad input: 400 with zh + en; nothing eligible: no code is sent.
    const empty = await as(bob).post('/contracts/batch-sign/check', { ids: [] });
    expect(empty.status).toBe(400);
    expect(empty.json.error).toMatchObject({ message: expect.any(String), messageEn: expect.any(String) });
    const none = await as(bob).post('/contracts/batch-sign/sms-code', { ids: [later, free] });
    expect(none.status).toBe(422);
    expect(none.json.error).toMatchObject({ code: 'NO_ELIGIBLE_CONTRACTS', message: expect.any(String), messageEn: expect.any(String) });

    // Checks (of up to 1,000 contracts each) are throttled per user, counted by request: past 30 a minute, 429 with
    // Retry-After (this test's four checks above count too); others are not affected.
    const answers: number[] = [];
    for (let i = 0; i < 30; i++) answers.push((await as(bob).post('/contracts/batch-sign/check', { ids: [ok, later] })).status);
    expect(answers.filter((s) => s === 429).length).toBeGreaterThan(0);
    const limited = await as(bob).post('/contracts/batch-sign/check', { ids: [ok] });
    expect([limited.status, limited.json.error.code]).toEqual([429, 'BATCH_CHECK_RATE_LIMITED']);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await as(carol).post('/contracts/batch-sign/check', { ids: [others] })).status).toBe(200);
  });

  it('one code signs five contracts, each through its own workflow (one signature each, trail events); the code cannot be used again', async () => {
    const [alice, bob] = [await user('钱多多'), await user('孙悟空')];
    const ids: string[] = [];
    for (let i = 1; i <= 5; i++) ids.push(await startContract(alice, `批量合同 ${i}`, [{ u: bob, step: 1 }]));

    const sent = await as(bob).post('/contracts/batch-sign/sms-code', { ids });
    expect(sent.status, JSON.stringify(sent.json)).toBe(200);
    expect(sent.json).toMatchObject({ batchId: expect.any(String), sentTo: expect.stringContaining('****') });
    expect((sent.json.items as { eligible: boolean }[]).every((i) => i.eligible)).toBe(true);
    const batchId = sent.json.batchId as string;
    const code = await latestSmsCode(platform.services, bob.mobile);

    // Someone else cannot submit bob's batch, even with the code.
    const byAlice = await as(alice).post('/contracts/batch-sign', { batchId, code });
    expect(byAlice.status).toBe(404);

    const submitted = await as(bob).post('/contracts/batch-sign', { batchId, code });
    expect(submitted.status, JSON.stringify(submitted.json)).toBe(202);
    expect(submitted.json.items.map((i: { id: string }) => i.id)).toEqual(ids);
    const done = await progressUntilDone(bob, batchId);
    expect(done.items.map((i: { state: string }) => i.state)).toEqual(['signed', 'signed', 'signed', 'signed', 'signed']);
    expect(done).toMatchObject({ complete: true, cursor: expect.any(String) });
    // Polling with the cursor answers the counts and only what changed at or after it.
    const lastChange = await as(bob).get(`/contracts/batch-sign/${batchId}?since=${encodeURIComponent(done.cursor)}`);
    expect(lastChange.status).toBe(200);
    expect(lastChange.json).toMatchObject({ complete: false, counts: { signed: 5, queued: 0, signing: 0, failed: 0 }, cursor: done.cursor });
    expect(lastChange.json.items.length).toBeGreaterThanOrEqual(1);
    const later = new Date(Date.parse(done.cursor) + 60_000).toISOString();
    expect((await as(bob).get(`/contracts/batch-sign/${batchId}?since=${encodeURIComponent(later)}`)).json).toMatchObject({ complete: false, items: [], counts: { signed: 5 } });
    const badCursor = await as(bob).get(`/contracts/batch-sign/${batchId}?since=yesterday`);
    expect(badCursor.status).toBe(400);
    expect(done.counts).toMatchObject({ signed: 5, failed: 0 });

    for (const id of ids) {
      expect(await em().findOneOrFail(ContractSignerSchema, { contractId: id, userId: bob.id })).toMatchObject({ status: 'signed', signedByUserId: bob.id });
      expect(await em().count(DocumentVersionSchema, { contractId: id, signerId: { $ne: null } })).toBe(1);
      const events = (await em().find(ContractEventSchema, { contractId: id }, { orderBy: { seq: 'asc' } })).map((e) => e.type);
      expect(events).toEqual(expect.arrayContaining(['willingness_confirmed', 'signed', 'completed']));
      expect(await em().count(WillingnessConfirmationSchema, { contractId: id, userId: bob.id, usedAt: { $ne: null } })).toBe(1);
    }
    await eventually(async () => (await em().find(ContractSchema, { id: { $in: ids } })).every((c) => c.status === 'completed'), 15_000, 'contracts completed');

    // Reuse: refused, nothing signed again.
    const again = await as(bob).post('/contracts/batch-sign', { batchId, code });
    expect(again.status).toBe(409);
    expect(again.json.error).toMatchObject({ code: 'BATCH_ALREADY_SUBMITTED', message: expect.any(String), messageEn: expect.any(String) });
  });

  it('Temporal unreachable at the submission: 503 saying the batch was submitted (not that the code stays valid); a resubmission is 409; a poll starts it', async () => {
    const [alice, bob] = [await user('钱多多'), await user('孙悟空')];
    const id = await startContract(alice, '启动受阻', [{ u: bob, step: 1 }]);
    const sent = await as(bob).post('/contracts/batch-sign/sms-code', { ids: [id] });
    expect(sent.status, JSON.stringify(sent.json)).toBe(200);
    const batchId = sent.json.batchId as string;
    const code = await latestSmsCode(platform.services, bob.mobile);

    const withoutTemporal = await startApiWithoutTemporal(platform.services);
    try {
      const client = new ApiClient(withoutTemporal.baseUrl);
      await client.login(bob.mobile, TEST_PASSWORD);
      const down = await client.post('/contracts/batch-sign', { batchId, code });
      expect(down.status, JSON.stringify(down.json)).toBe(503);
      expect(down.headers.get('retry-after')).toBe('5');
      expect(down.json.error).toMatchObject({ code: 'TEMPORAL_UNAVAILABLE', message: expect.stringContaining('批量签署已提交'), messageEn: expect.stringContaining('batch was submitted') });
      expect(down.json.error.message).not.toContain('验证码仍然有效');
      expect(down.json.error.messageEn).not.toContain('code stays valid');
      // A poll while Temporal is still unreachable says the same.
      const polled = await client.get(`/contracts/batch-sign/${batchId}`);
      expect([polled.status, polled.json.error?.message]).toEqual([503, down.json.error.message]);
    } finally {
      await withoutTemporal.close();
    }
    // The code was spent: submitting it again is 409; the next poll starts the batch, which signs.
    const again = await as(bob).post('/contracts/batch-sign', { batchId, code });
    expect([again.status, again.json.error?.code]).toEqual([409, 'BATCH_ALREADY_SUBMITTED']);
    const done = await progressUntilDone(bob, batchId);
    expect(done.items.map((i: { state: string }) => i.state)).toEqual(['signed']);
  });

  it('the code is bound to its batch: another batch’s code is refused, a malformed one is 400, and a later batch of a signed contract reports it failed', async () => {
    const [alice, bob] = [await user('钱多多'), await user('孙悟空')];
    const a = await startContract(alice, '批次甲', [{ u: bob, step: 1 }]);
    const b = await startContract(alice, '批次乙', [{ u: bob, step: 1 }]);
    const first = await as(bob).post('/contracts/batch-sign/sms-code', { ids: [a] });
    expect(first.status, JSON.stringify(first.json)).toBe(200);
    const codeA = await latestSmsCode(platform.services, bob.mobile);
    const second = await as(bob).post('/contracts/batch-sign/sms-code', { ids: [a, b] });
    expect(second.status, JSON.stringify(second.json)).toBe(200);
    const codeB = await latestSmsCode(platform.services, bob.mobile);
    if (codeA !== codeB) {
      const crossed = await as(bob).post('/contracts/batch-sign', { batchId: second.json.batchId, code: codeA });
      expect(crossed.status).toBe(422);
      expect(crossed.json.error).toMatchObject({ code: 'SMS_CODE_WRONG' });
    }
    const malformed = await as(bob).post('/contracts/batch-sign', { batchId: second.json.batchId, code: '12' });
    expect(malformed.status).toBe(400);
    const ok = await as(bob).post('/contracts/batch-sign', { batchId: second.json.batchId, code: codeB });
    expect(ok.status, JSON.stringify(ok.json)).toBe(202);
    const done = await progressUntilDone(bob, second.json.batchId);
    expect(done.counts).toMatchObject({ signed: 2 });
    // The first batch's contract is signed (and completed) now: submitting that batch signs nothing again.
    const stale = await as(bob).post('/contracts/batch-sign', { batchId: first.json.batchId, code: codeA });
    expect(stale.status).toBe(202);
    const staleDone = await progressUntilDone(bob, first.json.batchId);
    expect(staleDone.items).toEqual([expect.objectContaining({ id: a, state: 'failed', code: 'CONTRACT_NOT_IN_PROGRESS', message: expect.any(String), messageEn: expect.any(String) })]);
    expect(await em().count(DocumentVersionSchema, { contractId: a, signerId: { $ne: null } })).toBe(1);
  });

  it('a failing contract does not stop the others: four signed, one failed with its reason; the batch\'s end is audited with its counts', async () => {
    const [alice, bob] = [await user('钱多多'), await user('孙悟空')];
    const ids: string[] = [];
    for (let i = 1; i <= 5; i++) ids.push(await startContract(alice, `部分失败 ${i}`, [{ u: bob, step: 1 }]));
    failing.add(ids[1]!);
    const sent = await as(bob).post('/contracts/batch-sign/sms-code', { ids });
    expect(sent.status, JSON.stringify(sent.json)).toBe(200);
    const submitted = await as(bob).post('/contracts/batch-sign', { batchId: sent.json.batchId, code: await latestSmsCode(platform.services, bob.mobile) });
    expect(submitted.status, JSON.stringify(submitted.json)).toBe(202);
    const done = await progressUntilDone(bob, sent.json.batchId);
    expect(done.counts).toMatchObject({ signed: 4, failed: 1 });
    expect(done.items[1]).toMatchObject({ id: ids[1], state: 'failed', code: 'TEST_SIGNING_REFUSED', message: '测试：签署被拒绝', messageEn: 'Test: signing refused' });
    for (const [i, id] of ids.entries()) {
      const signer = await em().findOneOrFail(ContractSignerSchema, { contractId: id, userId: bob.id });
      expect(signer.status).toBe(i === 1 ? 'pending' : 'signed');
    }
    // The batch's end is audited once, with its counts, as it commits.
    const finished = await em().find(AuditEventSchema, { action: 'contract.batch_finished', targetId: sent.json.batchId });
    expect(finished.map((a) => JSON.parse(a.detail ?? 'null'))).toEqual([{ userId: bob.id, signed: 4, failed: 1 }]);
  });

  it('two parallel submissions of the same batch: one accepted, the other refused; every contract signed once', async () => {
    const [alice, bob] = [await user('钱多多'), await user('孙悟空')];
    const ids: string[] = [];
    for (let i = 1; i <= 3; i++) ids.push(await startContract(alice, `并发提交 ${i}`, [{ u: bob, step: 1 }]));
    const sent = await as(bob).post('/contracts/batch-sign/sms-code', { ids });
    expect(sent.status, JSON.stringify(sent.json)).toBe(200);
    const batchId = sent.json.batchId as string;
    const code = await latestSmsCode(platform.services, bob.mobile);
    const results = await Promise.all([0, 1].map(() => as(bob).post('/contracts/batch-sign', { batchId, code })));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses[0], JSON.stringify(results.map((r) => r.json))).toBe(202);
    expect(statuses[1]).toBeGreaterThanOrEqual(400);
    expect(statuses[1]).toBeLessThan(500);
    const done = await progressUntilDone(bob, batchId);
    expect(done.counts).toMatchObject({ signed: 3, failed: 0 });
    for (const id of ids) {
      expect(await em().count(DocumentVersionSchema, { contractId: id, signerId: { $ne: null } })).toBe(1);
      expect(await em().count(WillingnessConfirmationSchema, { contractId: id })).toBe(1);
    }
    expect(await em().findOneOrFail(BatchSigningSchema, { id: batchId })).toMatchObject({ status: 'done' });
    expect(await em().count(BatchSigningItemSchema, { batchId, state: 'signed' })).toBe(3);
    // The batch row is marked done by the workflow's last activity; the workflow closes just after it.
    const handle = platform.temporal.workflow.getHandle(batchSignWorkflowId(batchId));
    await handle.result();
    expect((await handle.describe()).status.name).toBe('COMPLETED');
  });
  it('a confirmation whose audit row cannot be written confirms nothing: the batch stays awaiting its code, no workflow, nothing signed', async () => {
    const [alice, bob] = await Promise.all([user('庚发起'), user('庚签署')]);
    const id = await startContract(alice, '确认审计失败', [{ u: bob, step: 1 }]);
    const sent = await as(bob).post('/contracts/batch-sign/sms-code', { ids: [id] });
    expect(sent.status, JSON.stringify(sent.json)).toBe(200);
    const batchId = sent.json.batchId as string;
    const code = await latestSmsCode(platform.services, bob.mobile);
    const allowAudit = await rejectAuditAction(platform.services, 'contract.batch_willingness_confirmed', batchId);
    try {
      const submitted = await as(bob).post('/contracts/batch-sign', { batchId, code });
      expect(submitted.status, JSON.stringify(submitted.json)).toBe(500);
    } finally {
      await allowAudit();
    }
    expect(await em().findOneOrFail(BatchSigningSchema, { id: batchId })).toMatchObject({ status: 'awaiting_code', confirmedAt: null });
    expect(await em().count(AuditEventSchema, { action: 'contract.batch_willingness_confirmed', targetId: batchId })).toBe(0);
    await expect(platform.temporal.workflow.getHandle(batchSignWorkflowId(batchId)).describe()).rejects.toThrow();
    expect(await em().findOneOrFail(BatchSigningItemSchema, { batchId, contractId: id })).toMatchObject({ state: 'queued' });
    expect((await em().findOneOrFail(ContractSignerSchema, { contractId: id, userId: bob.id })).status).toBe('pending');
  });

  it('a signature that went through while its answer was lost is recorded signed, not failed (the retry found the contract closed by that very signature)', async () => {
    const [alice, bob] = await Promise.all([user('丁发起'), user('丁签署')]);
    const id = await startContract(alice, '答复丢失', [{ u: bob, step: 1 }]);
    const sent = await as(bob).post('/contracts/batch-sign/sms-code', { ids: [id] });
    expect(sent.status, JSON.stringify(sent.json)).toBe(200);
    const batchId = sent.json.batchId as string;
    // As if confirmed with the code: the activity is run here directly, with a client whose first Update signs
    // and then loses its answer, and whose retry meets the workflow already closed by that signature.
    await em().nativeUpdate(BatchSigningSchema, { id: batchId }, { status: 'confirmed', confirmedAt: new Date() });
    let calls = 0;
    const lossy = {
      workflow: {
        getHandle: (workflowId: string) => ({
          executeUpdate: async (...args: Parameters<WorkflowHandle['executeUpdate']>) => {
            if (++calls > 1) throw new Error('workflow execution already completed');
            await platform.temporal.workflow.getHandle(workflowId).executeUpdate(...args);
            throw new Error('the answer was lost on the way back');
          },
        }),
      },
    } as unknown as Client;
    const activities = createBatchSignActivities({ orm: platform.services.orm, client: () => lossy });
    const results = await activities.signBatchItems({ batchId, contractIds: [id], itemTimeoutMs: 30_000, itemAttempts: 3, retryInitialMs: 10 });
    expect(results).toEqual([{ contractId: id, state: 'signed' }]);
    expect(calls).toBe(2);
    expect(await em().findOneOrFail(BatchSigningItemSchema, { batchId, contractId: id })).toMatchObject({ state: 'signed', code: null });
    await eventually(async () => (await em().findOneOrFail(ContractSchema, { id })).status === 'completed', 15_000, 'contract completed');
  });

  /** A confirmed batch of one contract, its activity run here with `client` (as if the worker ran it). */
  async function confirmedBatch(initiator: string, signer: string, title: string) {
    const [alice, bob] = await Promise.all([user(initiator), user(signer)]);
    const id = await startContract(alice, title, [{ u: bob, step: 1 }]);
    const sent = await as(bob).post('/contracts/batch-sign/sms-code', { ids: [id] });
    expect(sent.status, JSON.stringify(sent.json)).toBe(200);
    const batchId = sent.json.batchId as string;
    await em().nativeUpdate(BatchSigningSchema, { id: batchId }, { status: 'confirmed', confirmedAt: new Date() });
    return { id, batchId };
  }
  /** A client whose sign Update reaches the contract's workflow only after `delayMs`. */
  const slowClient = (delayMs: number) =>
    ({
      workflow: {
        getHandle: (workflowId: string) => ({
          executeUpdate: async (...args: Parameters<WorkflowHandle['executeUpdate']>) => {
            await new Promise((resolve) => setTimeout(resolve, delayMs));
            return platform.temporal.workflow.getHandle(workflowId).executeUpdate(...args);
          },
        }),
      },
    }) as unknown as Client;

  it('a batch stopped while a sign Update is in flight records that contract signed once the Update commits (not BATCH_ABORTED)', async () => {
    const { id, batchId } = await confirmedBatch('戊发起', '戊签署', '停止时在途');
    const activities = createBatchSignActivities({ orm: platform.services.orm, client: () => slowClient(400) });
    const env = new MockActivityEnvironment({ heartbeatTimeoutMs: 30_000 });
    const running = env.run(activities.signBatchItems, { batchId, contractIds: [id], itemTimeoutMs: 30_000, itemAttempts: 3, retryInitialMs: 10 });
    await eventually(async () => (await em().findOneOrFail(BatchSigningItemSchema, { batchId, contractId: id })).state === 'signing', 10_000, 'item signing');
    // The workflow is cancelled: abortBatch records the unsigned contract BATCH_ABORTED, the activity is cancelled.
    await recordBatchItemOutcome(em(), batchId, id, 'failed', BATCH_ABORTED);
    env.cancel();
    await expect(running).rejects.toBeDefined();
    expect((await em().findOneOrFail(ContractSignerSchema, { contractId: id })).status).toBe('signed');
    expect(await em().findOneOrFail(BatchSigningItemSchema, { batchId, contractId: id })).toMatchObject({ state: 'signed', code: null });
  });

  it('an item given up as SIGNING_TIMED_OUT while its Update was still in flight is recorded signed when the Update commits', async () => {
    const { id, batchId } = await confirmedBatch('己发起', '己签署', '超时后签署');
    const activities = createBatchSignActivities({ orm: platform.services.orm, client: () => slowClient(1_500) });
    // One attempt, bounded well under the Update's delay: the item is given up while the Update is on its way.
    const results = await activities.signBatchItems({ batchId, contractIds: [id], itemTimeoutMs: 300, itemAttempts: 1, retryInitialMs: 10 });
    expect(results).toEqual([{ contractId: id, state: 'failed', code: SIGNING_TIMED_OUT.code }]);
    await eventually(async () => (await em().findOneOrFail(BatchSigningItemSchema, { batchId, contractId: id })).state === 'signed', 15_000, 'item signed');
    expect((await em().findOneOrFail(ContractSignerSchema, { contractId: id })).status).toBe('signed');
    // And once signed, nothing records it failed again.
    expect(await recordBatchItemFailure(em(), batchId, id, SIGNING_TIMED_OUT)).toBe('signed');
  });
});
