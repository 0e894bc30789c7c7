// @sqlite-too: reconcile cursors are SQL over ordered keys.
/**
 * The reconcilers of open rows (certificate orders, re-certifications, batches, admin transfers) check `limit` rows a pass.
 * They used to re-read the oldest `limit` every pass, so with more healthy open rows than that, a
 * broken one behind them (its workflow terminated) was never reached. Each pass now goes on where the
 * previous one stopped (domain/persistence/pass-cursor.ts) and starts over at the end.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchSigningSchema, type BatchSigning } from '../../domain/contracts/batch/batch-signing.entity';
import { reconcileBatches } from '../../domain/contracts/batch/reconcile-batches';
import { AdminTransferSchema, type AdminTransfer } from '../../domain/enterprises/admin-change.entities';
import { EnterpriseChangeSchema, type EnterpriseChange } from '../../domain/enterprises/enterprise-change.entity';
import { reconcileTransfers } from '../../domain/enterprises/reconcile-transfers';
import { reconcileRecertifications } from '../../domain/enterprises/recertification/reconcile-recertifications';
import type { PassCursor } from '../../domain/persistence/pass-cursor';
import { createCertifiedEnterprise } from '../harness/enterprise-fixtures';
import { createUser } from '../harness/fixtures';
import { startTestPlatform, type TestPlatform } from '../harness/platform';
import { reconcileScheduleId } from '../../worker/reconcile-schedule';

let platform: TestPlatform;
/**
 * The platform's own reconcile Schedule is paused meanwhile: its passes (every 5 minutes, shared platform) see
 * these rows too, find no workflow for any of them and end them all, so a pass of this file could start from
 * another row than the one it expects (a CI run failed that way).
 */
const schedule = () => platform.temporal.schedule.getHandle(reconcileScheduleId(platform.config.temporal.taskQueue));
beforeAll(async () => {
  platform = await startTestPlatform();
  await schedule().pause('reconcile-cursor test: its rows have no workflows');
});
afterAll(async () => {
  await schedule().unpause();
  await platform?.stop();
});

const em = () => platform.services.orm.em.fork();

/** Three open re-certifications, older than any other test's (so a pass of one row reaches them first, in order). */
async function openChanges(): Promise<EnterpriseChange[]> {
  const changes: EnterpriseChange[] = [];
  for (let i = 0; i < 3; i++) {
    const admin = await createUser(platform.services, `游标管理员${i}`);
    const enterprise = await createCertifiedEnterprise(platform.services, admin, `游标企业${i}有限公司`);
    const e = em();
    const created = new Date(Date.UTC(2001, 0, 1, 0, i));
    const change = e.create(EnterpriseChangeSchema, { id: randomUUID(), enterpriseId: enterprise.id, seq: 1, kind: 'rename', status: 'drafting', oldValue: enterprise.name, startedBy: admin.id, createdAt: created, deadlineAt: new Date(Date.now() + 86_400_000) });
    await e.flush();
    changes.push(change);
  }
  return changes;
}

describe('reconciler passes over open rows', () => {
  it('a broken re-certification behind more healthy ones than a pass checks is restarted by a later pass; the passes then start over', async () => {
    const [a, b, broken] = await openChanges();
    const started: string[] = [];
    const workflows = { state: async (c: EnterpriseChange) => (c.id === broken!.id ? ('closed' as const) : ('running' as const)), start: async (c: EnterpriseChange) => void started.push(c.id), terminate: async () => undefined, cancelRequested: async () => false };
    const options = { startGraceMs: 0, overdueMs: 600_000, limit: 1 };
    const cursor: PassCursor = { after: null };
    const pass = () => reconcileRecertifications(em(), workflows, options, new Date(), cursor);
    expect((await pass()).restarted).toEqual([]);
    expect(cursor.after?.id).toBe(a!.id);
    expect((await pass()).restarted).toEqual([]);
    expect(cursor.after?.id).toBe(b!.id);
    expect((await pass()).restarted.map((r) => r.changeId)).toEqual([broken!.id]);
    // Without a cursor every pass reads the same oldest row: the broken one is never reached.
    expect((await reconcileRecertifications(em(), workflows, options)).restarted).toEqual([]);
    // Close the three so later tests see none of them open.
    await em().nativeUpdate(EnterpriseChangeSchema, { id: { $in: [a!.id, b!.id, broken!.id] } }, { status: 'abandoned', endReason: 'abandoned', liveKey: null });
    // At the end of the open rows the cursor starts over from the oldest.
    for (let i = 0; i < 50 && cursor.after !== null; i++) await pass();
    expect(cursor.after).toBeNull();
    expect(started).toEqual([broken!.id]);
  });

  it('a broken batch behind more running ones than a pass checks is ended by a later pass', async () => {
    const batches: BatchSigning[] = [];
    for (let i = 0; i < 3; i++) {
      const user = await createUser(platform.services, `游标批量${i}`);
      const e = em();
      const created = new Date(Date.UTC(2001, 0, 1, 0, i));
      batches.push(e.create(BatchSigningSchema, { id: randomUUID(), userId: user.id, actingEnterpriseId: null, status: 'running', setHash: 'x'.repeat(64), itemCount: 0, createdAt: created, confirmedAt: created, finishedAt: null, ip: null }));
      await e.flush();
    }
    const [a, b, broken] = batches;
    const workflows = { state: async (id: string) => (id === broken!.id ? ('closed' as const) : ('running' as const)), start: async () => false, terminate: async () => undefined };
    const options = { startGraceMs: 0, stuckAfterMs: 100 * 365 * 86_400_000, limit: 1 };
    const cursor: PassCursor = { after: null };
    const pass = () => reconcileBatches(em(), workflows, options, new Date(), cursor);
    expect((await pass()).ended).toEqual([]);
    expect(cursor.after?.id).toBe(a!.id);
    expect((await pass()).ended).toEqual([]);
    expect((await reconcileBatches(em(), workflows, options)).ended).toEqual([]); // without a cursor: the oldest again
    expect((await pass()).ended.map((r) => r.batchId)).toEqual([broken!.id]);
    expect((await em().findOneOrFail(BatchSigningSchema, { id: broken!.id })).status).toBe('done');
    await em().nativeUpdate(BatchSigningSchema, { id: { $in: [a!.id, b!.id] } }, { status: 'done' });
  });

  it('a stuck admin transfer behind more running ones than a pass checks is ended by a later pass', async () => {
    const transfers: AdminTransfer[] = [];
    for (let i = 0; i < 3; i++) {
      const admin = await createUser(platform.services, `游标转让人${i}`);
      const to = await createUser(platform.services, `游标受让人${i}`);
      const enterprise = await createCertifiedEnterprise(platform.services, admin, `游标转让企业${i}有限公司`);
      const e = em();
      transfers.push(e.create(AdminTransferSchema, { id: randomUUID(), enterpriseId: enterprise.id, fromUserId: admin.id, toUserId: to.id, status: 'awaiting_admin_code', deadline: new Date(Date.now() + 86_400_000), createdAt: new Date(Date.UTC(2001, 0, 1, 0, i)), finishedAt: null, endReason: null }));
      await e.flush();
    }
    const [a, b, broken] = transfers;
    const workflows = { state: async (t: AdminTransfer) => (t.id === broken!.id ? ('missing' as const) : ('running' as const)), terminate: async () => undefined };
    const options = { startGraceMs: 0, overdueMs: 600_000, limit: 1 };
    const cursor: PassCursor = { after: null };
    const pass = () => reconcileTransfers(em(), workflows, options, new Date(), cursor);
    expect((await pass()).ended).toEqual([]);
    expect(cursor.after?.id).toBe(a!.id);
    expect((await pass()).ended).toEqual([]);
    expect((await reconcileTransfers(em(), workflows, options)).ended).toEqual([]); // without a cursor: the oldest again
    expect((await pass()).ended).toEqual([{ transferId: broken!.id, outcome: 'failed', cause: 'workflow_missing' }]);
    await em().nativeUpdate(AdminTransferSchema, { id: { $in: [a!.id, b!.id] } }, { status: 'failed', liveKey: null });
  });
});

describe('workflows stuck past their deadline (still "running" in Temporal)', () => {
  it('a re-certification open past its deadline while its workflow runs: terminated and ended as the deadline ends it; one before its deadline is left alone', async () => {
    const [stuck, early, healthy] = await openChanges();
    await em().nativeUpdate(EnterpriseChangeSchema, { id: stuck!.id }, { deadlineAt: new Date(Date.now() - 3600_000) });
    await em().nativeUpdate(EnterpriseChangeSchema, { id: early!.id }, { deadlineAt: new Date(Date.now() - 60_000) }); // within the margin
    const terminated: string[] = [];
    const workflows = { state: async () => 'running' as const, start: async () => undefined, terminate: async (c: EnterpriseChange) => void terminated.push(c.id), cancelRequested: async () => false };
    const report = await reconcileRecertifications(em(), workflows, { startGraceMs: 0, overdueMs: 600_000, limit: 50 });
    expect(terminated).toEqual([stuck!.id]);
    // A draft past its deadline ends as 已过期 (abandoned, end reason expired), as the workflow's deadline ends it.
    expect(report.expired).toEqual([{ changeId: stuck!.id, status: 'abandoned' }]);
    expect(await em().findOneOrFail(EnterpriseChangeSchema, { id: stuck!.id })).toMatchObject({ status: 'abandoned', endReason: 'expired' });
    expect((await em().findOneOrFail(EnterpriseChangeSchema, { id: early!.id })).status).toBe('drafting');
    await em().nativeUpdate(EnterpriseChangeSchema, { id: { $in: [early!.id, healthy!.id] } }, { status: 'abandoned', endReason: 'abandoned', liveKey: null });
  });

  it('a re-certification whose run an operator cancelled, its clean-up having failed (the run closed, the change open): ended as the clean-up ends it (cancelled by the platform), not restarted (it was: the Cancel undone)', async () => {
    const [cancelled, terminated, other] = await openChanges();
    const started: string[] = [];
    const workflows = {
      state: async (c: EnterpriseChange) => (c.id === other!.id ? ('running' as const) : ('closed' as const)),
      start: async (c: EnterpriseChange) => void started.push(c.id),
      terminate: async () => undefined,
      cancelRequested: async (c: EnterpriseChange) => c.id === cancelled!.id,
    };
    const report = await reconcileRecertifications(em(), workflows, { startGraceMs: 0, overdueMs: 600_000, limit: 50 });
    expect(report.cancelled).toEqual([{ changeId: cancelled!.id, status: 'abandoned' }]);
    expect(await em().findOneOrFail(EnterpriseChangeSchema, { id: cancelled!.id })).toMatchObject({ status: 'abandoned', endReason: 'cancelled_by_platform' });
    // A run that closed without a Cancel (terminated) is restarted as before.
    expect(started).toContain(terminated!.id);
    expect(started).not.toContain(cancelled!.id);
    await em().nativeUpdate(EnterpriseChangeSchema, { id: { $in: [terminated!.id, other!.id] } }, { status: 'abandoned', endReason: 'abandoned', liveKey: null });
  });

  it('a batch still running a day after its confirmation: terminated and ended (its unsigned items failed as BATCH_ABORTED)', async () => {
    const user = await createUser(platform.services, '卡住的批量');
    const e = em();
    const confirmed = new Date(Date.now() - 25 * 3_600_000);
    const batch = e.create(BatchSigningSchema, { id: randomUUID(), userId: user.id, actingEnterpriseId: null, status: 'running', setHash: 'y'.repeat(64), itemCount: 0, createdAt: confirmed, confirmedAt: confirmed, finishedAt: null, ip: null });
    await e.flush();
    const terminated: string[] = [];
    const workflows = { state: async () => 'running' as const, start: async () => false, terminate: async (id: string) => void terminated.push(id) };
    const report = await reconcileBatches(em(), workflows, { startGraceMs: 0, stuckAfterMs: 24 * 3_600_000, limit: 500 });
    expect(terminated).toContain(batch.id);
    expect(report.ended.find((r) => r.batchId === batch.id)).toMatchObject({ cause: 'workflow_stuck' });
    expect((await em().findOneOrFail(BatchSigningSchema, { id: batch.id })).status).toBe('done');
  });
});
