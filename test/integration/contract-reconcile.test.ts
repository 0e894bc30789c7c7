/**
 * What operators do in Temporal UI, and what crashes leave behind (real database, real Temporal
 * dev server, real activities; the reconciler runs through its real Schedule, triggered):
 * - Cancel → the workflow itself voids the contract as 平台撤销 with an audit row;
 * - Terminate (no workflow code runs) → the reconciler voids it;
 * - a lost workflow past expiry → the reconciler voids it as 过期;
 * - a workflow still running long past expiry (stuck) → terminated, and the contract voided as 过期 with its notice;
 * - a row that cannot be repaired does not stop the others;
 * - old runs an operator's Reset closed (listed, their contracts rightly 签署中 in the new run) fill no pass;
 * - orphan files (`*.tmp`, files no document version points to) are swept when old enough.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { WorkflowFailedError } from '@temporalio/client';
import { CancelledFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEventSchema } from '../../domain/audit/audit-event.entity';
import { ContractSchema } from '../../domain/contracts/contract.entity';
import { DocumentVersionSchema } from '../../domain/contracts/document-version.entity';
import { NotificationSchema } from '../../domain/notifications/notification.entity';
import { reconcileContracts } from '../../domain/contracts/reconcile-contracts';
import { temporalContractWorkflows } from '../../activities/reconcile-activities';
import { ensureReconcileSchedule, reconcileScheduleId } from '../../worker/reconcile-schedule';
import { contractWorkflowId } from '../../workflows/search-attributes';
import { contractForm, createUser, makePdf, TEST_PASSWORD } from '../harness/fixtures';
import { ApiClient } from '../harness/http-client';
import { startTestPlatform, type TestPlatform } from '../harness/platform';
import { eventually } from '../harness/workflow-env';

let platform: TestPlatform;
let alice: { id: string; mobile: string; name: string };
let api: ApiClient;

beforeAll(async () => {
  platform = await startTestPlatform();
  alice = await createUser(platform.services, '包拯');
  api = new ApiClient(platform.baseUrl);
  await api.login(alice.mobile, TEST_PASSWORD);
});
afterAll(async () => platform?.stop());

const em = () => platform.services.orm.em.fork();

async function newContract(title: string) {
  const r = await api.post('/contracts', contractForm(await makePdf(1), { title, expiresAt: new Date(Date.now() + 24 * 3600_000), signers: [{ mobile: alice.mobile, name: alice.name, page: 1, x: 100, y: 600 }] }));
  expect(r.status, JSON.stringify(r.json)).toBe(201);
  return { id: r.json.id as string, handle: platform.temporal.workflow.getHandle(contractWorkflowId(r.json.id)) };
}

/** Runs the reconciler now through its Schedule (as it runs every few minutes) and waits for `done`. */
async function reconcileUntil<T>(done: () => Promise<T | null>, what: string): Promise<T> {
  await platform.temporal.schedule.getHandle(reconcileScheduleId(platform.config.temporal.taskQueue)).trigger();
  return eventually(async () => {
    const value = await done();
    if (!value) await platform.temporal.schedule.getHandle(reconcileScheduleId(platform.config.temporal.taskQueue)).trigger().catch(() => undefined);
    return value;
  }, 30_000, what);
}

/** Temporal's listing of closed runs still marked open, as the reconciler reads it (lazily). */
async function* listing(ids: string[]) {
  yield* ids;
}

/** The contract once a reconcile pass has voided it. */
const voidedByReconciler = (id: string, what: string) =>
  reconcileUntil(async () => {
    const c = await em().findOneOrFail(ContractSchema, { id });
    return c.status === 'voided' ? c : null;
  }, what);

describe('operators and crashes', () => {
  it('Cancel in Temporal UI: the workflow voids the contract as 平台撤销 (audit row, DB status, ContractStatus) and ends cancelled', async () => {
    const { id, handle } = await newContract('被平台撤销');
    await handle.cancel();
    const err = await handle.result().then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(WorkflowFailedError);
    expect((err as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
    expect(await em().findOneOrFail(ContractSchema, { id })).toMatchObject({ status: 'voided', voidReason: 'revoked_by_platform' });
    const audit = await em().find(AuditEventSchema, { targetId: id, action: 'contract.revoked' });
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.detail!)).toMatchObject({ cause: 'workflow_cancelled' });
    expect((await handle.describe()).searchAttributes.ContractStatus).toEqual(['voided']);
    const view = await api.get(`/contracts/${id}`);
    expect(view.json.statusLabel).toBe('已作废（平台撤销）');
    // Signing is refused clearly.
    const r = await api.post(`/contracts/${id}/sms-code`);
    expect(r.json.error.code).toBe('CONTRACT_NOT_IN_PROGRESS');
  });

  it('the reconcile Schedule exists after worker start and creating it again (another worker, a restart) keeps the one there is', async () => {
    const handle = platform.temporal.schedule.getHandle(reconcileScheduleId(platform.config.temporal.taskQueue));
    const before = await handle.describe();
    await ensureReconcileSchedule(platform.temporal, platform.config.temporal.taskQueue);
    const after = await handle.describe();
    expect(after.info.createdAt).toEqual(before.info.createdAt);
    expect(after.action).toMatchObject({ type: 'startWorkflow', workflowType: 'contractReconcileWorkflow' });
  });

  it('Terminate in Temporal UI (no workflow code runs): the reconciler voids the contract as 平台撤销 (it stayed 签署中 forever)', async () => {
    const { id, handle } = await newContract('被终止');
    await handle.terminate('operator terminated it');
    expect((await em().findOneOrFail(ContractSchema, { id })).status).toBe('in_progress');
    const fixed = await voidedByReconciler(id, 'terminated contract voided');
    expect(fixed.voidReason).toBe('revoked_by_platform');
    const audit = await em().find(AuditEventSchema, { targetId: id, action: 'contract.revoked' });
    expect(audit.map((a) => JSON.parse(a.detail!))).toEqual([expect.objectContaining({ cause: 'workflow_closed' })]);
    // Idempotent: another pass changes nothing.
    await reconcileUntil(async () => true, 'second pass');
    expect(await em().count(AuditEventSchema, { targetId: id, action: 'contract.revoked' })).toBe(1);
  });

  it('contracts fixed by an earlier pass (still listed by Temporal for the lookback) do not use up a pass: the next broken one is repaired', async () => {
    const made = [];
    for (const i of [0, 1, 2, 3]) made.push(await newContract(`已修复${i}`)); // one at a time: a user's uploads share 2 slots
    for (const m of made) await m.handle.terminate('operator terminated it');
    const [fixedA, fixedB, fixedC, broken] = made.map((m) => m.id) as [string, string, string, string];
    await em().nativeUpdate(ContractSchema, { id: { $in: [fixedA, fixedB, fixedC] } }, { status: 'voided', voidReason: 'revoked_by_platform' });
    const workflows = { state: async () => 'closed' as const, closedButOpen: () => listing([fixedA, fixedB, fixedC, broken]), start: async () => undefined, terminate: async () => undefined };
    const report = await reconcileContracts(em(), platform.services.store, workflows, { startingGraceMs: 3600_000, overdueMs: 3600_000, limit: 2 });
    expect(report.closed.map((c) => c.contractId)).toEqual([broken]);
    expect((await em().findOneOrFail(ContractSchema, { id: broken })).status).toBe('voided');
  });

  it('more closed runs listed than a page (repaired ones, old runs of a Reset) do not hide a broken contract listed after them', async () => {
    const { id: broken, handle } = await newContract('排在后面');
    await handle.terminate('operator terminated it');
    // 1,200 listed before it whose rows are no longer 签署中 (here: unknown ids); the listing used to stop at 1,000.
    const fixed = Array.from({ length: 1_200 }, () => randomUUID());
    const workflows = { state: async () => 'closed' as const, closedButOpen: () => listing([...fixed, broken]), start: async () => undefined, terminate: async () => undefined };
    const report = await reconcileContracts(em(), platform.services.store, workflows, { startingGraceMs: 3600_000, overdueMs: 3600_000, limit: 2 });
    expect(report.closed.map((c) => c.contractId)).toEqual([broken]);
  });

  it('the listing is read only until the pass has its limit of contracts still open (chunk by chunk)', async () => {
    const broken: string[] = [];
    for (const title of ['先到0', '先到1']) {
      const { id, handle } = await newContract(title);
      await handle.terminate('operator terminated it');
      broken.push(id);
    }
    let read = 0;
    async function* counted() {
      for (const id of [...broken, ...Array.from({ length: 5_000 }, () => randomUUID())]) {
        read++;
        yield id;
      }
    }
    const workflows = { state: async () => 'closed' as const, closedButOpen: counted, start: async () => undefined, terminate: async () => undefined };
    const report = await reconcileContracts(em(), platform.services.store, workflows, { startingGraceMs: 3600_000, overdueMs: 3600_000, limit: 2 });
    expect(report.closed.map((c) => c.contractId).sort()).toEqual([...broken].sort());
    expect(read).toBeLessThanOrEqual(500); // the first chunk had both
  });

  it('old runs an operator\'s Reset closed (still listed, rows rightly 签署中) do not fill a pass: the broken contract listed after them is repaired', async () => {
    const made = [];
    for (const title of ['重置甲', '重置乙', '真坏了']) made.push(await newContract(title));
    // The broken one has the greatest id: the database answers the others first (primary key order), as the pass used
    // to take them (up to its limit) before asking whether their workflow runs.
    made.sort((x, y) => (x.id < y.id ? -1 : 1));
    const [resetA, resetB, broken] = made.map((m) => m.id) as [string, string, string];
    await made[2]!.handle.terminate('operator terminated it');
    // resetA and resetB go on in a newer run of their workflow id; their closed old runs are listed.
    const reset = new Set([resetA, resetB]);
    const workflows = { state: async (id: string) => (reset.has(id) ? ('running' as const) : ('closed' as const)), closedButOpen: () => listing([resetA, resetB, broken]), start: async () => undefined, terminate: async () => undefined };
    const report = await reconcileContracts(em(), platform.services.store, workflows, { startingGraceMs: 3600_000, overdueMs: 3600_000, limit: 2 });
    expect(report.closed.map((c) => c.contractId)).toEqual([broken]);
    expect(report.failed).toEqual([]);
    const rows = await em().find(ContractSchema, { id: { $in: [resetA, resetB, broken] } }, { orderBy: { id: 'asc' } });
    expect(rows.map((c) => c.status)).toEqual(['in_progress', 'in_progress', 'voided']);
  });

  it('old runs of a Reset do not crowd an overdue contract (its run lost long past expiry) out of the pass', async () => {
    const made = [];
    for (const title of ['重置丙', '重置丁', '早已过期']) made.push(await newContract(title));
    const [resetA, resetB, overdue] = made.map((m) => m.id) as [string, string, string];
    await made[2]!.handle.terminate('operator terminated it');
    // Far past expiry: no other row of the shared database is as overdue.
    const day = 24 * 3600_000;
    await em().nativeUpdate(ContractSchema, { id: overdue }, { expiresAt: new Date(Date.now() - 100 * day) });
    const reset = new Set([resetA, resetB]);
    const workflows = { state: async (id: string) => (reset.has(id) ? ('running' as const) : ('closed' as const)), closedButOpen: () => listing([resetA, resetB]), start: async () => undefined, terminate: async () => undefined };
    const report = await reconcileContracts(em(), platform.services.store, workflows, { startingGraceMs: 3600_000, overdueMs: 99 * day, limit: 2 });
    expect(report.closed).toEqual([{ contractId: overdue, status: 'voided', cause: 'workflow_closed' }]);
    expect((await em().findOneOrFail(ContractSchema, { id: overdue })).voidReason).toBe('expired');
  });

  it('Temporal\'s listing leaves out a contract whose workflow was Reset (its old run closed, a new one running) and keeps a terminated one', async () => {
    const [reset, terminated] = [await newContract('真重置'), await newContract('真终止')];
    // Both past their first workflow task, which marks them in_progress (a run terminated before it stays 'starting' and is
    // never listed: a CI flake under load).
    const firstTaskOf = async (h: typeof reset.handle) => (await h.fetchHistory()).events!.find((e) => e.workflowTaskCompletedEventAttributes) ?? null;
    await eventually(async () => (await firstTaskOf(reset.handle)) !== null && (await firstTaskOf(terminated.handle)) !== null, 15_000, 'first workflow tasks');
    await terminated.handle.terminate('operator terminated it');
    const firstTask = (await firstTaskOf(reset.handle))!;
    const { runId } = await reset.handle.describe();
    await platform.temporal.workflowService.resetWorkflowExecution({
      namespace: platform.config.temporal.namespace,
      workflowExecution: { workflowId: reset.handle.workflowId, runId },
      workflowTaskFinishEventId: firstTask.eventId,
      requestId: randomUUID(),
      reason: 'operator reset in Temporal UI',
    });
    expect((await reset.handle.describe()).status.name).toBe('RUNNING');
    // Wait until visibility lists both old runs as closed and still marked open (what the listing's query reads).
    const closedRuns = async (workflowId: string) => {
      let n = 0;
      for await (const wf of platform.temporal.workflow.list({ query: `WorkflowId = '${workflowId}' AND ExecutionStatus != 'Running' AND ContractStatus = 'in_progress'` })) if (wf.runId) n++;
      return n;
    };
    await eventually(async () => (await closedRuns(reset.handle.workflowId)) > 0 && (await closedRuns(terminated.handle.workflowId)) > 0, 15_000, 'old runs listed as closed');
    const listed: string[] = [];
    for await (const id of temporalContractWorkflows(platform.temporal, platform.config.temporal.taskQueue, em).closedButOpen()) listed.push(id);
    expect(listed).toContain(terminated.id);
    expect(listed).not.toContain(reset.id);
  });

  it('a workflow still running long past its contract\'s expiry is stuck: the reconciler terminates it and voids the contract as 过期, with its 已作废 notice', async () => {
    const { id, handle } = await newContract('流程卡住');
    // The database says it expired an hour ago while the workflow still runs (as one whose every workflow task fails
    // would: its expiry timer fired long ago, and Temporal lists it as running).
    await em().nativeUpdate(ContractSchema, { id }, { expiresAt: new Date(Date.now() - 3600_000) });
    const fixed = await voidedByReconciler(id, 'stuck contract voided');
    expect(fixed.voidReason).toBe('expired');
    const audit = await em().find(AuditEventSchema, { targetId: id, action: 'contract.expired' });
    expect(audit.map((a) => JSON.parse(a.detail!).cause)).toEqual(['workflow_stuck']);
    expect((await handle.describe()).status.name).toBe('TERMINATED');
    await eventually(async () => (await em().count(NotificationSchema, { userId: alice.id, link: `/contracts/${id}/show`, kind: 'contract.voided' })) > 0 || null, 15_000, '已作废 notice');
  });

  it('a contract that cannot be repaired is reported and does not stop the pass: the next one is repaired', async () => {
    const made = [await newContract('修复失败0'), await newContract('修复失败1')];
    for (const m of made) await m.handle.terminate('operator terminated it');
    const [failing, broken] = made.map((m) => m.id) as [string, string];
    const workflows = {
      state: async (contractId: string) => {
        if (contractId === failing) throw new Error('describe failed');
        return 'closed' as const;
      },
      closedButOpen: () => listing([failing, broken]),
      start: async () => undefined,
      terminate: async () => undefined,
    };
    const report = await reconcileContracts(em(), platform.services.store, workflows, { startingGraceMs: 3600_000, overdueMs: 3600_000, limit: 10 });
    expect(report.failed).toEqual([{ contractId: failing, error: expect.stringContaining('describe failed') }]);
    expect(report.closed.map((c) => c.contractId)).toEqual([broken]);
  });

  it('a lost workflow (deleted) of a contract past its expiry: the reconciler voids it as 过期', async () => {
    const { id, handle } = await newContract('流程丢失');
    await em().nativeUpdate(ContractSchema, { id }, { expiresAt: new Date(Date.now() - 3600_000) });
    await platform.temporal.workflowService.deleteWorkflowExecution({ namespace: platform.config.temporal.namespace, workflowExecution: { workflowId: contractWorkflowId(id) } });
    await eventually(async () => (await handle.describe().then(() => false, () => true)) || null, 15_000, 'workflow deleted');
    const fixed = await voidedByReconciler(id, 'lost contract voided');
    expect(fixed.voidReason).toBe('expired');
    const audit = await em().find(AuditEventSchema, { targetId: id, action: 'contract.expired' });
    expect(audit).toHaveLength(1);
    expect(['workflow_missing', 'workflow_closed']).toContain(JSON.parse(audit[0]!.detail!).cause);
  });

  it('orphans are swept: old *.tmp files and old files no document version points to; recent ones and referenced ones stay', async () => {
    const { id } = await newContract('孤儿文件');
    const root = path.join(platform.config.dataDir, 'documents');
    const v0 = await em().findOneOrFail(DocumentVersionSchema, { contractId: id, version: 0 });
    const referenced = path.join(root, v0.storageKey);
    const orphanDir = path.join(root, 'contracts', randomUUID());
    fs.mkdirSync(orphanDir, { recursive: true });
    const oldOrphan = path.join(orphanDir, 'v0.pdf');
    const oldTmp = path.join(root, 'contracts', id, `v1-abc.pdf.${randomUUID()}.tmp`);
    const freshOrphan = path.join(orphanDir, 'v1-fresh.pdf');
    for (const f of [oldOrphan, oldTmp, freshOrphan]) fs.writeFileSync(f, 'x');
    const hourAgo = new Date(Date.now() - 3600_000);
    for (const f of [oldOrphan, oldTmp, referenced]) fs.utimesSync(f, hourAgo, hourAgo);
    await reconcileUntil(async () => (!fs.existsSync(oldOrphan) && !fs.existsSync(oldTmp)) || null, 'orphans swept');
    expect(fs.existsSync(referenced)).toBe(true);
    expect(fs.existsSync(freshOrphan)).toBe(true);
    expect((await api.get(`/contracts/${id}/document`)).status).toBe(200);
  });
});
