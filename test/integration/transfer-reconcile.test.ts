/**
 * The reconciler ends 转让管理员 rows no workflow will end (real database, real Temporal dev server,
 * real activities): a workflow terminated in Temporal UI, and a workflow still running past the
 * transfer's deadline. Before, such a row kept the enterprise's one running-transfer slot forever.
 * The same pass prunes expired sessions and stale attempt counters.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEventSchema } from '../../domain/audit/audit-event.entity';
import { AdminTransferSchema } from '../../domain/enterprises/admin-change.entities';
import { AttemptCounterSchema } from '../../domain/identity/attempt-counter.entity';
import { SessionSchema } from '../../domain/identity/session.entity';
import { SignatureCaptureSessionSchema } from '../../domain/signatures/signature.entities';
import { TemplateGenerationSchema } from '../../domain/templates/template-generation.entity';
import { generationResultKey } from '../../domain/templates/template-generations';
import { adminTransferWorkflowId } from '../../workflows/clients/admin-transfer-client';
import { contractReconcileWorkflow, type ReconcileInput } from '../../workflows/contract-reconcile';
import { createUser } from '../harness/fixtures';
import { startTestPlatform, type TestPlatform } from '../harness/platform';
import { setUpTransferParties } from '../harness/transfer-fixtures';

let platform: TestPlatform;

beforeAll(async () => {
  platform = await startTestPlatform();
});
afterAll(async () => platform?.stop());

const em = () => platform.services.orm.em.fork();

async function startTransfer(name: string) {
  const { adminC, membership } = await setUpTransferParties(platform, name);
  const started = await adminC.post('/console/admin-transfer', { memberId: membership.id });
  expect(started.status, JSON.stringify(started.json)).toBe(201);
  const id = started.json.transfer.id as string;
  return { id, adminC, membership, handle: platform.temporal.workflow.getHandle(adminTransferWorkflowId(id)) };
}

/** One reconcile pass with the real activities, as the Schedule runs it (without its grace periods). */
const reconcile = (input: ReconcileInput) =>
  platform.temporal.workflow.execute(contractReconcileWorkflow, { taskQueue: platform.config.temporal.taskQueue, workflowId: `reconcile-test-${randomUUID()}`, args: [input] });

describe('transfer reconciler', () => {
  it('ends a transfer whose workflow was terminated in Temporal UI; the enterprise can start another', async () => {
    const { id, adminC, membership, handle } = await startTransfer('终止');
    await handle.terminate('operator pressed Terminate');
    expect((await em().findOneOrFail(AdminTransferSchema, { id })).status).toBe('awaiting_admin_code'); // what Terminate leaves
    expect((await adminC.post('/console/admin-transfer', { memberId: membership.id })).json.error.code).toBe('TRANSFER_RUNNING');

    const result = await reconcile({ transfers: { startGraceMs: 0 } });
    expect(result.transfers?.ended).toContainEqual({ transferId: id, outcome: 'failed', cause: 'workflow_closed' });
    const row = await em().findOneOrFail(AdminTransferSchema, { id });
    expect([row.status, row.endReason, row.liveKey]).toEqual(['failed', 'PROCESS_ENDED', null]);
    expect(await em().count(AuditEventSchema, { action: 'admin.transfer_failed', targetId: id })).toBe(1);
    const again = await adminC.post('/console/admin-transfer', { memberId: membership.id });
    expect(again.status, JSON.stringify(again.json)).toBe(201);
  });

  it('terminates a workflow still running well past the transfer deadline and ends the row as expired', async () => {
    const { id, handle } = await startTransfer('逾期');
    // The row says the deadline passed long ago while its workflow still waits (e.g. stuck replaying older code).
    await em().nativeUpdate(AdminTransferSchema, { id }, { deadline: new Date(Date.now() - 3600_000) });
    const untouched = await reconcile({ transfers: { startGraceMs: 0, overdueMs: 2 * 3600_000 } });
    expect(untouched.transfers?.ended.map((e) => e.transferId)).not.toContain(id); // within the overdue margin: left alone

    const result = await reconcile({ transfers: { startGraceMs: 0, overdueMs: 0 } });
    expect(result.transfers?.ended).toContainEqual({ transferId: id, outcome: 'expired', cause: 'workflow_overdue' });
    expect((await handle.describe()).status.name).toBe('TERMINATED');
    const row = await em().findOneOrFail(AdminTransferSchema, { id });
    expect([row.status, row.endReason]).toEqual(['expired', 'PROCESS_ENDED']);
    expect(await em().count(AuditEventSchema, { action: 'admin.transfer_expired', targetId: id })).toBe(1);
  });

  it('leaves a transfer alone while its workflow runs before its deadline', async () => {
    const { id, handle } = await startTransfer('进行');
    const result = await reconcile({ transfers: { startGraceMs: 0, overdueMs: 0 } });
    expect(result.transfers?.ended.map((e) => e.transferId)).not.toContain(id);
    expect((await handle.describe()).status.name).toBe('RUNNING');
    expect((await em().findOneOrFail(AdminTransferSchema, { id })).status).toBe('awaiting_admin_code');
  });
});

describe('housekeeping in the same pass', () => {
  it('prunes expired sessions, stale attempt counters, stale capture links and old template generations (rows with field values, undelivered PDFs), keeping live ones and running locks', async () => {
    const now = Date.now();
    const user = await createUser(platform.services, '会话用户');
    const session = (id: string, expiresAt: number) => ({ id, tokenHash: randomUUID().replace(/-/g, '').padEnd(64, '0'), userId: user.id, createdAt: new Date(now - 8 * 86400_000), expiresAt: new Date(expiresAt), ip: null, actingEnterpriseId: null });
    const expiredSession = randomUUID();
    const liveSession = randomUUID();
    await em().insert(SessionSchema, session(expiredSession, now - 60_000));
    await em().insert(SessionSchema, session(liveSession, now + 3600_000));
    const counter = (id: string, windowAgoMs: number, lockedUntil: Date | null) => ({ id, failures: 3, windowStartedAt: new Date(now - windowAgoMs), lockedUntil });
    await em().insert(AttemptCounterSchema, counter('login:stale-test', 2 * 86400_000, null));
    await em().insert(AttemptCounterSchema, counter('login:recent-test', 60_000, null));
    await em().insert(AttemptCounterSchema, counter('login:locked-test', 2 * 86400_000, new Date(now + 3600_000)));

    // 手写签名 capture links: unused and expired for over a day → removed; a used one is kept (it names the signature).
    const link = (id: string, expiresAgoMs: number, usedAt: Date | null) => ({ id, userId: user.id, tokenHash: randomUUID().replace(/-/g, '').padEnd(64, '0'), createdAt: new Date(now - expiresAgoMs - 600_000), expiresAt: new Date(now - expiresAgoMs), usedAt, signatureId: null });
    const staleLink = randomUUID();
    const recentLink = randomUUID();
    const usedLink = randomUUID();
    await em().insert(SignatureCaptureSessionSchema, link(staleLink, 2 * 86400_000, null));
    await em().insert(SignatureCaptureSessionSchema, link(recentLink, 60_000, null));
    await em().insert(SignatureCaptureSessionSchema, link(usedLink, 2 * 86400_000, new Date(now - 3 * 86400_000)));

    // 模板生成: a day-old row (its field values) and an undelivered PDF older than 30 minutes go; recent ones stay.
    const generation = (id: string, agoMs: number) => ({ id, templateId: randomUUID(), templateVersion: 1, purpose: 'contract' as const, requestedBy: user.id, values: { 甲方名称: '某公司' }, createdAt: new Date(now - agoMs) });
    const [oldGeneration, recentGeneration] = [randomUUID(), randomUUID()];
    await em().insert(TemplateGenerationSchema, generation(oldGeneration, 2 * 86400_000));
    await em().insert(TemplateGenerationSchema, generation(recentGeneration, 60_000));
    const store = platform.services.store;
    await store.put(generationResultKey(oldGeneration), new Uint8Array([37, 80, 68, 70]));
    await store.put(generationResultKey(recentGeneration), new Uint8Array([37, 80, 68, 70]));
    const hourAgo = new Date(now - 3600_000);
    fs.utimesSync(path.join(platform.config.dataDir, 'documents', generationResultKey(oldGeneration)), hourAgo, hourAgo);

    const result = await reconcile({});
    expect(result.pruned?.templateGenerations).toMatchObject({ rows: expect.any(Number), files: 1 });
    expect((await em().find(TemplateGenerationSchema, { id: { $in: [oldGeneration, recentGeneration] } })).map((g) => g.id)).toEqual([recentGeneration]);
    await expect(store.get(generationResultKey(oldGeneration))).rejects.toThrow();
    expect(await store.get(generationResultKey(recentGeneration))).toHaveLength(4);
    expect(result.pruned?.sessions).toBeGreaterThanOrEqual(1);
    expect(result.pruned?.captureLinks).toBeGreaterThanOrEqual(1);
    expect((await em().find(SignatureCaptureSessionSchema, { id: { $in: [staleLink, recentLink, usedLink] } })).map((l) => l.id).sort()).toEqual([recentLink, usedLink].sort());
    expect(await em().count(SessionSchema, { id: expiredSession })).toBe(0);
    expect(await em().count(SessionSchema, { id: liveSession })).toBe(1);
    const left = (await em().find(AttemptCounterSchema, { id: { $like: '%-test' } })).map((c) => c.id).sort();
    expect(left).toEqual(['login:locked-test', 'login:recent-test']);
  });
});
