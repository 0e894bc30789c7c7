// @sqlite-too: the reconcilers' row reads and repairs are SQL on both dialects.
/**
 * A reconciler's pass isolates its rows (domain/persistence/each-row.ts): one row whose repair keeps
 * throwing is reported in `failed` and the rows after it are still repaired. Before, the first row's
 * failure failed the whole pass, every pass (with fewer rows than the limit the cursor starts over at
 * that row), so the rows behind it were never repaired.
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
/** The platform's own reconcile Schedule is paused meanwhile: its passes would find no workflow for these rows and repair them first. */
const schedule = () => platform.temporal.schedule.getHandle(reconcileScheduleId(platform.config.temporal.taskQueue));
beforeAll(async () => {
  platform = await startTestPlatform();
  await schedule().pause('reconcile-row-isolation test: its rows have no workflows');
});
afterAll(async () => {
  await schedule().unpause();
  await platform?.stop();
});

const em = () => platform.services.orm.em.fork();
/** Older than any other test's rows, so a pass of two rows reads exactly these, in order. */
const OLD = (i: number) => new Date(Date.UTC(2000, 0, 1, 0, i));
/** A pass with a cursor, as the reconcile activity runs it. */
const cursorAtStart = (): PassCursor => ({ after: null });

describe('a reconciler pass goes on after a row whose repair throws', () => {
  it('re-certifications: the first change’s restart fails (reported), the second is still restarted; the next pass meets the same and still restarts the second', async () => {
    const changes: EnterpriseChange[] = [];
    for (let i = 0; i < 2; i++) {
      const admin = await createUser(platform.services, `隔离管理员${i}`);
      const enterprise = await createCertifiedEnterprise(platform.services, admin, `隔离企业${i}有限公司`);
      const e = em();
      changes.push(e.create(EnterpriseChangeSchema, { id: randomUUID(), enterpriseId: enterprise.id, seq: 1, kind: 'rename', status: 'drafting', oldValue: enterprise.name, startedBy: admin.id, createdAt: OLD(i), deadlineAt: new Date(Date.now() + 86_400_000) }));
      await e.flush();
    }
    const [broken, healthy] = changes;
    const mine = new Set(changes.map((c) => c.id));
    const started: string[] = [];
    const workflows = {
      state: async (c: EnterpriseChange) => (mine.has(c.id) ? ('closed' as const) : ('running' as const)),
      start: async (c: EnterpriseChange) => {
        if (c.id === broken!.id) throw new Error('Temporal refused the start');
        started.push(c.id);
      },
      terminate: async () => undefined,
      cancelRequested: async () => false,
    };
    const cursor = cursorAtStart();
    // Fewer open changes than the limit: each pass reads them all and the cursor starts over, so every pass meets the broken one first.
    // (Other tests' open changes count as running, and none is stuck with this margin: the pass leaves them alone.)
    const pass = () => reconcileRecertifications(em(), workflows, { startGraceMs: 0, overdueMs: 100 * 365 * 86_400_000, limit: 500 }, new Date(), cursor);
    for (let i = 0; i < 2; i++) {
      const report = await pass();
      expect(cursor.after).toBeNull();
      expect(report.restarted).toEqual([{ changeId: healthy!.id, status: 'drafting', cause: 'workflow_closed' }]);
      expect(report.failed).toEqual([{ changeId: broken!.id, error: expect.stringContaining('Temporal refused the start') }]);
    }
    expect(started).toEqual([healthy!.id, healthy!.id]);
    await em().nativeUpdate(EnterpriseChangeSchema, { id: { $in: [...mine] } }, { status: 'abandoned', endReason: 'abandoned', liveKey: null });
  });

  it('admin transfers: the first one’s state cannot be read (reported), the second is still ended', async () => {
    const transfers: AdminTransfer[] = [];
    for (let i = 0; i < 2; i++) {
      const admin = await createUser(platform.services, `隔离转让人${i}`);
      const to = await createUser(platform.services, `隔离受让人${i}`);
      const enterprise = await createCertifiedEnterprise(platform.services, admin, `隔离转让企业${i}有限公司`);
      const e = em();
      transfers.push(e.create(AdminTransferSchema, { id: randomUUID(), enterpriseId: enterprise.id, fromUserId: admin.id, toUserId: to.id, status: 'awaiting_admin_code', deadline: new Date(Date.now() + 86_400_000), createdAt: OLD(i), finishedAt: null, endReason: null }));
      await e.flush();
    }
    const [broken, healthy] = transfers;
    const workflows = {
      state: async (t: AdminTransfer) => {
        if (t.id === broken!.id) throw new Error('describe failed');
        return t.id === healthy!.id ? ('missing' as const) : ('running' as const);
      },
      terminate: async () => undefined,
    };
    const report = await reconcileTransfers(em(), workflows, { startGraceMs: 0, overdueMs: 600_000, limit: 2 }, new Date(), cursorAtStart());
    expect(report.ended).toEqual([{ transferId: healthy!.id, outcome: 'failed', cause: 'workflow_missing' }]);
    expect(report.failed).toEqual([{ transferId: broken!.id, error: expect.stringContaining('describe failed') }]);
    expect((await em().findOneOrFail(AdminTransferSchema, { id: healthy!.id })).status).toBe('failed');
    expect((await em().findOneOrFail(AdminTransferSchema, { id: broken!.id })).status).toBe('awaiting_admin_code');
    await em().nativeUpdate(AdminTransferSchema, { id: broken!.id }, { status: 'failed', liveKey: null });
  });

  it('batches: the first one cannot be terminated (reported), the second is still ended', async () => {
    const batches: BatchSigning[] = [];
    for (let i = 0; i < 2; i++) {
      const user = await createUser(platform.services, `隔离批量${i}`);
      const e = em();
      batches.push(e.create(BatchSigningSchema, { id: randomUUID(), userId: user.id, actingEnterpriseId: null, status: 'running', setHash: 'z'.repeat(64), itemCount: 0, createdAt: OLD(i), confirmedAt: OLD(i), finishedAt: null, ip: null }));
      await e.flush();
    }
    const [broken, healthy] = batches;
    const workflows = {
      state: async (id: string) => (id === broken!.id ? ('running' as const) : id === healthy!.id ? ('closed' as const) : ('running' as const)),
      start: async () => false,
      terminate: async (id: string) => {
        if (id === broken!.id) throw new Error('terminate refused');
      },
    };
    // Stuck after a day: the broken batch (confirmed in 2000) is stuck, other tests' recent batches are not.
    const report = await reconcileBatches(em(), workflows, { startGraceMs: 0, stuckAfterMs: 86_400_000, limit: 2 }, new Date(), cursorAtStart());
    expect(report.ended).toEqual([{ batchId: healthy!.id, cause: 'workflow_closed', signed: 0, failed: 0 }]);
    expect(report.failed).toEqual([{ batchId: broken!.id, error: expect.stringContaining('terminate refused') }]);
    expect((await em().findOneOrFail(BatchSigningSchema, { id: healthy!.id })).status).toBe('done');
    expect((await em().findOneOrFail(BatchSigningSchema, { id: broken!.id })).status).toBe('running');
    await em().nativeUpdate(BatchSigningSchema, { id: broken!.id }, { status: 'done' });
  });
});
