/**
 * The reconcilers of open rows (certificate orders, re-certifications) check `limit` rows a pass.
 * They used to re-read the oldest `limit` every pass, so with more healthy open rows than that, a
 * broken one behind them (its workflow terminated) was never reached. Each pass now goes on where the
 * previous one stopped (domain/persistence/pass-cursor.ts) and starts over at the end.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EnterpriseChangeSchema, type EnterpriseChange } from '../../domain/enterprises/enterprise-change.entity';
import { reconcileRecertifications } from '../../domain/enterprises/recertification/reconcile-recertifications';
import type { PassCursor } from '../../domain/persistence/pass-cursor';
import { createCertifiedEnterprise } from '../harness/enterprise-fixtures';
import { createUser } from '../harness/fixtures';
import { startTestPlatform, type TestPlatform } from '../harness/platform';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform();
});
afterAll(async () => platform?.stop());

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
    const workflows = { state: async (c: EnterpriseChange) => (c.id === broken!.id ? ('closed' as const) : ('running' as const)), start: async (c: EnterpriseChange) => void started.push(c.id) };
    const options = { startGraceMs: 0, limit: 1 };
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
});
