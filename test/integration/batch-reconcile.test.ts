/**
 * 批量签署 (M30) and what operators and outages leave behind (real API, database, Temporal dev
 * server, worker; the reconcile workflow with its real activities):
 * - a BatchSignWorkflow terminated from Temporal UI (no workflow code runs) mid-batch: the
 *   reconciler ends the batch, each unfinished contract with its real outcome (signed when its
 *   Update went through before the stop, else failed with BATCH_ABORTED), one audit row, idempotent;
 * - a BatchSignWorkflow cancelled from Temporal UI mid-batch: the workflow settles the batch itself the same way;
 * - a batch confirmed while its workflow could not be started (Temporal down) and never polled
 *   again: the reconciler starts its workflow, which signs it.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEventSchema } from '../../domain/audit/audit-event.entity';
import { recordBatchItemOutcome } from '../../domain/contracts/batch/batch-items';
import { BatchSigningItemSchema, BatchSigningSchema } from '../../domain/contracts/batch/batch-signing.entity';
import { ContractSignerSchema } from '../../domain/contracts/contract-signer.entity';
import { ContractSchema } from '../../domain/contracts/contract.entity';
import { batchSignWorkflowId } from '../../workflows/batch-sign-api';
import { contractReconcileWorkflow } from '../../workflows/contract-reconcile';
import { contractForm, latestSmsCode, makePdf } from '../harness/fixtures';
import { startTestPlatform, type TestPlatform } from '../harness/platform';
import { signedInUsers, type TestUser } from '../harness/signed-in-users';
import { eventually, recordHistory } from '../harness/workflow-env';

type U = TestUser;
let platform: TestPlatform;

/** Per contract, what the worker's batch chunk does with it: sign it, sign it and lose the outcome, or hang. */
const behaviour = new Map<string, 'sign' | 'sign-then-crash' | 'hang'>();
/** Contracts whose 'sign-then-crash' chunk has finished (the item is back to 'signing', as a crash leaves it). */
const crashedAfterSigning = new Set<string>();
let releaseHung: () => void = () => undefined;
const hung = new Promise<void>((resolve) => (releaseHung = resolve));

beforeAll(async () => {
  platform = await startTestPlatform(
    {},
    {
      overrideActivities: (real) => ({
        async signBatchItems(input: Parameters<typeof real.signBatchItems>[0]) {
          const results = [];
          for (const contractId of input.contractIds) {
            const mode = behaviour.get(contractId) ?? 'sign';
            if (mode === 'hang') {
              await hung; // the workflow is terminated meanwhile
              continue;
            }
            results.push(...(await real.signBatchItems({ ...input, contractIds: [contractId] })));
            // The worker dies after the contract's Update went through, before recording the outcome.
            if (mode === 'sign-then-crash') {
              await em().nativeUpdate(BatchSigningItemSchema, { batchId: input.batchId, contractId }, { state: 'signing' });
              crashedAfterSigning.add(contractId);
            }
          }
          return results;
        },
      }),
    },
  );
});
afterAll(async () => {
  releaseHung();
  await platform?.stop();
});

const em = () => platform.services.orm.em.fork();
const users = signedInUsers(() => platform);
const user = users.create;
const as = users.as;

async function startContract(initiator: U, signer: U, title: string) {
  const spec = { participants: [{ kind: 'person', step: 1, mobile: signer.mobile, name: signer.name, marks: [{ kind: 'name_seal', page: 1, x: 80, y: 600 }] }] };
  const r = await as(initiator).post('/contracts', contractForm(await makePdf(1), { title, spec }));
  expect(r.status, JSON.stringify(r.json)).toBe(201);
  const id = r.json.id as string;
  await eventually(async () => (await em().findOne(ContractSchema, { id }))?.status === 'in_progress', 15_000, 'contract in progress');
  return id;
}

/** One reconcile pass now (as its Schedule runs it), without the start grace a just-confirmed batch gets. */
async function reconcile(fixture?: string) {
  const handle = await platform.temporal.workflow.start(contractReconcileWorkflow, {
    taskQueue: platform.config.temporal.taskQueue,
    workflowId: `reconcile-test-${randomUUID()}`,
    args: [{ batches: { startGraceMs: 0 } }],
  });
  const result = await handle.result();
  if (fixture) await recordHistory(handle, fixture);
  return result;
}

const itemStates = async (batchId: string) =>
  (await em().find(BatchSigningItemSchema, { batchId }, { orderBy: { position: 'asc' } })).map((i) => ({ contractId: i.contractId, state: i.state, code: i.code }));

describe('批量签署 reconciliation', { timeout: 240_000 }, () => {
  it('Terminate in Temporal UI mid-batch: the reconciler settles each contract (signed / signed but unrecorded / not signed), closes the batch once, with an audit row', async () => {
    const [alice, bob] = [await user('钱多多'), await user('孙悟空')];
    const [signed, crashed, stuck] = [await startContract(alice, bob, '已签'), await startContract(alice, bob, '签后崩溃'), await startContract(alice, bob, '未签')];
    behaviour.set(crashed, 'sign-then-crash').set(stuck, 'hang');

    expect((await as(bob).post('/contracts/batch-sign/sms-code', { ids: [signed, crashed, stuck] })).status).toBe(200);
    const batchId = (await em().findOneOrFail(BatchSigningSchema, { userId: bob.id })).id;
    const code = await latestSmsCode(platform.services, bob.mobile);
    expect((await as(bob).post('/contracts/batch-sign', { batchId, code })).status).toBe(202);
    // The item reads 'signing' also while its Update is still running: wait for the chunk to have finished with it.
    await eventually(async () => crashedAfterSigning.has(crashed) && (await itemStates(batchId)).find((s) => s.contractId === signed)?.state === 'signed', 60_000, 'two contracts through their Updates');

    const handle = platform.temporal.workflow.getHandle(batchSignWorkflowId(batchId));
    await handle.terminate('operator in Temporal UI');
    expect((await em().findOneOrFail(BatchSigningSchema, { id: batchId })).status).toBe('running'); // what terminate leaves

    const report = await reconcile('contract-reconcile.batch-ended');
    expect(report.batches?.ended).toEqual([{ batchId, cause: 'workflow_closed', signed: 2, failed: 1 }]);
    const byContract = new Map((await itemStates(batchId)).map((s) => [s.contractId, s]));
    expect(byContract.get(signed)).toMatchObject({ state: 'signed' });
    expect(byContract.get(crashed)).toMatchObject({ state: 'signed' });
    expect(byContract.get(stuck)).toMatchObject({ state: 'failed', code: 'BATCH_ABORTED' });
    expect(await em().findOneOrFail(ContractSignerSchema, { contractId: stuck, userId: bob.id })).toMatchObject({ status: 'pending' });
    expect(await em().findOneOrFail(BatchSigningSchema, { id: batchId })).toMatchObject({ status: 'done', finishedAt: expect.any(Date) });

    // What the user sees: done, with why the last one was not signed (zh + en).
    const progress = await as(bob).get(`/contracts/batch-sign/${batchId}`);
    expect(progress.json).toMatchObject({ status: 'done', counts: { signed: 2, failed: 1, queued: 0, signing: 0 } });
    expect(progress.json.items.find((i: { id: string }) => i.id === stuck)).toMatchObject({ state: 'failed', code: 'BATCH_ABORTED', message: expect.stringMatching(/合同页/), messageEn: expect.any(String) });
    // The contract can still be signed on its own page.
    expect((await as(bob).post(`/contracts/${stuck}/sms-code`)).status).toBe(200);

    const audits = await em().find(AuditEventSchema, { targetId: batchId, action: 'contract.batch_aborted' });
    expect(audits).toHaveLength(1);
    expect(JSON.parse(audits[0]!.detail!)).toMatchObject({ reconciled: 2, signed: 2, failed: 1 });

    // Idempotent: the next pass finds nothing to do.
    expect((await reconcile()).batches).toEqual({ started: [], ended: [] });
    expect(await em().count(AuditEventSchema, { targetId: batchId, action: 'contract.batch_aborted' })).toBe(1);
  });

  it('Cancel in Temporal UI mid-batch: the workflow settles the batch itself before it ends (no reconciler needed), with an audit row', async () => {
    const [alice, bob] = [await user('周大福'), await user('吴用')];
    const [signed, stuck] = [await startContract(alice, bob, '取消前已签'), await startContract(alice, bob, '取消时未签')];
    behaviour.set(stuck, 'hang');
    expect((await as(bob).post('/contracts/batch-sign/sms-code', { ids: [signed, stuck] })).status).toBe(200);
    const batchId = (await em().findOneOrFail(BatchSigningSchema, { userId: bob.id })).id;
    const code = await latestSmsCode(platform.services, bob.mobile);
    expect((await as(bob).post('/contracts/batch-sign', { batchId, code })).status).toBe(202);
    await eventually(async () => (await itemStates(batchId)).find((s) => s.contractId === signed)?.state === 'signed', 60_000, 'the first contract signed');

    const handle = platform.temporal.workflow.getHandle(batchSignWorkflowId(batchId));
    await handle.cancel();
    await expect(handle.result()).rejects.toThrow();
    expect(await em().findOneOrFail(BatchSigningSchema, { id: batchId })).toMatchObject({ status: 'done', finishedAt: expect.any(Date) });
    const byContract = new Map((await itemStates(batchId)).map((s) => [s.contractId, s]));
    expect(byContract.get(signed)).toMatchObject({ state: 'signed' });
    expect(byContract.get(stuck)).toMatchObject({ state: 'failed', code: 'BATCH_ABORTED' });
    const audits = await em().find(AuditEventSchema, { targetId: batchId, action: 'contract.batch_aborted' });
    expect(audits.map((a) => JSON.parse(a.detail!))).toEqual([expect.objectContaining({ cause: 'workflow_cancelled', signed: 1, failed: 1 })]);
    // A sign Update that was in flight at the cancel and goes through afterwards: the signature is the truth.
    expect(await recordBatchItemOutcome(em(), batchId, stuck, 'signed')).toBe(true);
    expect((await itemStates(batchId)).find((s) => s.contractId === stuck)).toMatchObject({ state: 'signed', code: null });
    expect(await recordBatchItemOutcome(em(), batchId, stuck, 'failed', { code: 'X', message: 'x', messageEn: 'x' })).toBe(false);
  });

  it('a batch confirmed while its workflow could not be started: the reconciler starts it and the batch is signed', async () => {
    const [alice, bob] = [await user('钱多多'), await user('沙和尚')];
    const ids = [await startContract(alice, bob, '启动丢失一'), await startContract(alice, bob, '启动丢失二')];
    expect((await as(bob).post('/contracts/batch-sign/sms-code', { ids })).status).toBe(200);
    const batch = await em().findOneOrFail(BatchSigningSchema, { userId: bob.id });
    // What submitting the code leaves when Temporal is unreachable: confirmed, no workflow. Confirmed longer ago than a
    // 意愿认证's window (CONFIRMATION_SIGN_MS): each item's confirmation counts from when the item is signed.
    await em().nativeUpdate(BatchSigningSchema, { id: batch.id }, { status: 'confirmed', confirmedAt: new Date(Date.now() - 30 * 60_000), ip: '127.0.0.1' });

    const report = await reconcile();
    // This pass starts it — unless the scheduled pass of another test platform on the shared database got there
    // first (a CI flake): either way a reconciler started the lost workflow, which signs the batch.
    expect([[batch.id], []]).toContainEqual(report.batches?.started);
    await platform.temporal.workflow.getHandle(batchSignWorkflowId(batch.id)).result();
    expect((await itemStates(batch.id)).map((s) => s.state)).toEqual(['signed', 'signed']);
    expect(await em().findOneOrFail(BatchSigningSchema, { id: batch.id })).toMatchObject({ status: 'done' });
    expect(await em().count(AuditEventSchema, { targetId: batch.id, action: 'contract.batch_aborted' })).toBe(0);
  });
});
