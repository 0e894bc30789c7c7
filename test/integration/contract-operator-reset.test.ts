/**
 * An operator resets a contract's workflow in Temporal UI (to its first workflow task) after a signer has
 * signed: the database stays the truth — the signature is not lost or repeated, the next signer can sign,
 * and the contract completes.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ContractSchema } from '../../domain/contracts/contract.entity';
import { ContractSignerSchema } from '../../domain/contracts/contract-signer.entity';
import { DocumentVersionSchema } from '../../domain/contracts/document-version.entity';
import type { User } from '../../domain/identity/user.entity';
import { SmsChallengeSchema } from '../../domain/sms/sms.entities';
import { contractWorkflowId } from '../../workflows/search-attributes';
import { contractForm, createUser, latestSmsCode, makePdf, TEST_PASSWORD } from '../harness/fixtures';
import { ApiClient } from '../harness/http-client';
import { startTestPlatform, type TestPlatform } from '../harness/platform';
import { resetToFirstWorkflowTask as resetWorkflow } from '../harness/workflow-reset';

let platform: TestPlatform;
let alice: User, bob: User, carol: User;
const em = () => platform.services.orm.em.fork();

async function login(u: User) {
  const c = new ApiClient(platform.baseUrl);
  await c.login(u.mobile, TEST_PASSWORD);
  return c;
}

async function sign(u: User, contractId: string, participantId: string) {
  const client = await login(u);
  await em().nativeUpdate(SmsChallengeSchema, { mobile: u.mobile }, { createdAt: new Date(Date.now() - 120_000) });
  const sent = await client.post(`/contracts/${contractId}/sms-code`, { participantId });
  if (sent.status !== 200) return sent;
  return client.post(`/contracts/${contractId}/sign`, { code: await latestSmsCode(platform.services, u.mobile), participantId });
}

beforeAll(async () => {
  platform = await startTestPlatform();
  [alice, bob, carol] = (await Promise.all(['重置发起甲', '重置签署乙', '重置签署丙'].map((n) => createUser(platform.services, n)))) as [User, User, User];
});
afterAll(async () => platform?.stop());

async function startTwoSigners(title: string) {
  const spec = { title, participants: [bob, carol].map((u, i) => ({ kind: 'person', step: i + 1, mobile: u.mobile, name: u.name, marks: [{ kind: 'name_seal', page: 1, x: 60 + 240 * i, y: 600 }] })) };
  const started = await (await login(alice)).post('/contracts', contractForm(await makePdf(1), { title, spec }));
  expect(started.status, JSON.stringify(started.json)).toBe(201);
  const [p1, p2] = started.json.participants as Array<{ id: string }>;
  return { id: started.json.id as string, p1: p1!.id, p2: p2!.id };
}

/** What Temporal UI's Reset does (test/harness/workflow-reset.ts): a new run from the end of the first workflow task. */
const resetToFirstWorkflowTask = (contractId: string, reapply: 'all' | 'none' = 'all') => resetWorkflow(platform.temporal, contractWorkflowId(contractId), reapply);

it.each(['all', 'none'] as const)('reset to the first workflow task after step 1 signed (reapplying %s): step 2 signs and the contract completes with both signatures, none repeated', async (reapply) => {
  const { id, p1, p2 } = await startTwoSigners(`运维重置-${reapply}`);
  const first = await sign(bob, id, p1);
  expect(first.status, JSON.stringify(first.json)).toBe(200);
  const { handle } = await resetToFirstWorkflowTask(id, reapply);

  // Step 1 signed already: signing again is refused.
  const again = await sign(bob, id, p1);
  expect([again.status, again.json.error?.code]).toEqual([422, 'ALREADY_SIGNED']);
  const second = await sign(carol, id, p2);
  expect(second.status, JSON.stringify(second.json)).toBe(200);
  await expect.poll(async () => (await em().findOneOrFail(ContractSchema, { id })).status, { timeout: 10_000 }).toBe('completed');
  expect((await em().find(ContractSignerSchema, { contractId: id }, { orderBy: { step: 'asc' } })).map((s) => s.status)).toEqual(['signed', 'signed']);
  expect(await em().count(DocumentVersionSchema, { contractId: id })).toBe(3); // the original and one version per signature
  await expect.poll(async () => (await handle.describe()).status.name, { timeout: 10_000 }).toBe('COMPLETED');
});

it('reset to the first workflow task after the contract completed: the new run ends as completed, the contract stays 已完成 with its two signatures', async () => {
  const { id, p1, p2 } = await startTwoSigners('完成后重置');
  expect((await sign(bob, id, p1)).status).toBe(200);
  expect((await sign(carol, id, p2)).status).toBe(200);
  await expect.poll(async () => (await em().findOneOrFail(ContractSchema, { id })).status, { timeout: 10_000 }).toBe('completed');
  const { handle, oldRunId } = await resetToFirstWorkflowTask(id);
  expect((await handle.describe()).runId).not.toBe(oldRunId);
  await expect.poll(async () => (await handle.describe()).status.name, { timeout: 15_000 }).toBe('COMPLETED');
  expect((await handle.result()).status).toBe('completed');
  expect((await em().findOneOrFail(ContractSchema, { id })).status).toBe('completed');
  expect(await em().count(DocumentVersionSchema, { contractId: id })).toBe(3);
});
