/**
 * The upgrade rule (ARCHITECTURE.md, "Changing a running workflow"): a contract that was running on
 * the v1 `contractSigningWorkflow` when v2 was deployed (`contracts.lifecycle = 1`) signs through
 * after the upgrade — the v1 type is still registered, the API dispatches its sms-code / sign requests
 * to the v1 Update, and the shared activities (activation, signature, close) still serve it; v2-only
 * actions answer 409.
 *
 * A pre-upgrade contract is made from today's rows: a contract started through the API, its v2 run
 * terminated, the rows put back in v1 shape (lifecycle 1, position on the signer rows) and the v1
 * workflow started for it, exactly as the v1 client did.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContractSignerSchema } from '../../domain/contracts/contract-signer.entity';
import { ContractSchema } from '../../domain/contracts/contract.entity';
import { startContractWorkflow } from '../../workflows/clients/start-contract-workflow';
import { contractWorkflowId } from '../../workflows/search-attributes';
import { contractForm, createUser, latestSmsCode, makePdf, TEST_PASSWORD } from '../harness/fixtures';
import { ApiClient } from '../harness/http-client';
import { startTestPlatform, type TestPlatform } from '../harness/platform';
import { eventually } from '../harness/workflow-env';

type U = { id: string; mobile: string; name: string };
let platform: TestPlatform;
let alice: U;
let bob: U;
const apis: Record<string, ApiClient> = {};

beforeAll(async () => {
  platform = await startTestPlatform();
  alice = await createUser(platform.services, '赵一');
  bob = await createUser(platform.services, '钱二');
  for (const u of [alice, bob]) {
    apis[u.id] = new ApiClient(platform.baseUrl);
    await apis[u.id]!.login(u.mobile, TEST_PASSWORD);
  }
});
afterAll(async () => platform?.stop());

const em = () => platform.services.orm.em.fork();

async function v1Contract(): Promise<string> {
  const r = await apis[alice.id]!.post('/contracts', contractForm(await makePdf(1), { title: '升级前的合同', signers: [alice, bob].map((u, i) => ({ mobile: u.mobile, name: u.name, page: 1, x: 100 + 200 * i, y: 600 })) }));
  expect(r.status, JSON.stringify(r.json)).toBe(201);
  const id = r.json.id as string;
  const { temporal, config } = platform;
  await eventually(async () => (await em().findOne(ContractSchema, { id }))?.status === 'in_progress', 15_000, 'contract in progress');
  await temporal.workflow.getHandle(contractWorkflowId(id)).terminate('test: replaced by its v1 run');
  const e = em();
  await e.nativeUpdate(ContractSchema, { id }, { lifecycle: 1 });
  const signers = await e.find(ContractSignerSchema, { contractId: id }, { orderBy: { order: 'asc' } });
  for (const s of signers) await e.nativeUpdate(ContractSignerSchema, { id: s.id }, { page: 1, x: 100 + 200 * (s.order - 1), y: 600 });
  const contract = await em().findOneOrFail(ContractSchema, { id });
  await startContractWorkflow(temporal, config.temporal.taskQueue, contract, signers.map((s) => ({ signerId: s.id, userId: s.userId!, order: s.order })));
  return id;
}

async function signAs(u: U, id: string) {
  const sent = await apis[u.id]!.post(`/contracts/${id}/sms-code`, {});
  expect(sent.status, JSON.stringify(sent.json)).toBe(200);
  const signed = await apis[u.id]!.post(`/contracts/${id}/sign`, { code: await latestSmsCode(platform.services, u.mobile) });
  expect(signed.status, JSON.stringify(signed.json)).toBe(200);
  return signed.json;
}

describe('upgrade: a v1 contract running before v2 was deployed', () => {
  it('signs through on the v1 workflow type after the upgrade; v2-only actions answer 409', async () => {
    const id = await v1Contract();
    const described = await platform.temporal.workflow.getHandle(contractWorkflowId(id)).describe();
    expect(described.type).toBe('contractSigningWorkflow');
    const refuse = await apis[bob.id]!.post(`/contracts/${id}/refuse`, { reason: '不签' });
    expect(refuse.status).toBe(409);
    expect(refuse.json.error).toMatchObject({ code: 'NOT_SUPPORTED_FOR_V1' });
    await signAs(alice, id);
    await signAs(bob, id);
    await eventually(async () => (await em().findOne(ContractSchema, { id }))?.status === 'completed', 15_000, 'v1 contract completed');
    const result = await platform.temporal.workflow.getHandle(contractWorkflowId(id)).result();
    expect(result).toMatchObject({ status: 'completed' });
  });
});
