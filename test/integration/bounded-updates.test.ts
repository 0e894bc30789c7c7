/**
 * Requests that act through a workflow Update (撤销 here; 拒签, 催办, 证书订单, 管理员变更 and 重新认证
 * use the same client, workflows/clients/bounded-update.ts) never wait without a bound:
 * - no worker polls the contract's workflow (a deploy, a crash): the Update is admitted by Temporal and
 *   never accepted; the request answers 503 TEMPORAL_UNAVAILABLE after TEMPORAL_CALL_TIMEOUT_SECONDS
 *   (it used to wait for ever), and nothing changes;
 * - accepted, but its activity is slow: 503 UPDATE_STILL_RUNNING after UPDATE_WAIT_SECONDS; the
 *   Update goes on and the contract ends revoked once, as asked;
 * - 转让管理员 with Temporal unreachable: 503 WORKFLOW_START_FAILED within the call bound (it had
 *   none: about 19 s of gRPC retries), the transfer row ended as failed;
 * - two 撤销 at once with one Idempotency-Key attach to one Update (one revocation; without a key the
 *   later is told the contract has ended); 撤销 after the workflow was terminated in
 *   Temporal UI gets a clear answer at once, not a wait.
 */
import { randomUUID } from 'node:crypto';
import proto from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEventSchema } from '../../domain/audit/audit-event.entity';
import { AdminTransferSchema } from '../../domain/enterprises/admin-change.entities';
import { ContractSchema } from '../../domain/contracts/contract.entity';
import { startContract, startContractSpecSchema } from '../../domain/contracts/start-contract';
import { contractWorkflowId } from '../../workflows/search-attributes';
import { createUser, makePdf, TEST_PASSWORD } from '../harness/fixtures';
import { ApiClient } from '../harness/http-client';
import { startTestPlatform, type TestPlatform } from '../harness/platform';
import { startContractDeps } from '../harness/start-contract-deps';
import { setUpTransferParties } from '../harness/transfer-fixtures';
import { startApiWithoutTemporal } from '../harness/unreachable-temporal';
import { eventually } from '../harness/workflow-env';

const ACCEPT_BOUND_S = 2;
const RESULT_BOUND_S = 1;

let platform: TestPlatform;
/** Revocations wait for this before running (the slow activity). */
let revocationGate: Promise<void> = Promise.resolve();

beforeAll(async () => {
  platform = await startTestPlatform(
    { TEMPORAL_CALL_TIMEOUT_SECONDS: String(ACCEPT_BOUND_S), UPDATE_WAIT_SECONDS: String(RESULT_BOUND_S) },
    {
      overrideActivities: (real) => ({
        async revokeContract(input: Parameters<typeof real.revokeContract>[0]) {
          await revocationGate;
          return real.revokeContract(input);
        },
      }),
    },
  );
});
afterAll(async () => {
  await platform?.stop();
});

const em = () => platform.services.orm.em.fork();

/** An initiator signed in over HTTP and a contract of theirs (one other signer) whose workflow runs on `taskQueue`. */
async function contractOn(taskQueue: string) {
  const initiator = await createUser(platform.services, '欧阳发起');
  const signer = await createUser(platform.services, '司马签署');
  const config = { ...platform.config, temporal: { ...platform.config.temporal, taskQueue } };
  const spec = startContractSpecSchema.parse({
    title: '有界请求',
    participants: [{ kind: 'person', step: 1, mobile: signer.mobile, name: signer.name, marks: [{ kind: 'name_seal', page: 1, x: 100, y: 600 }] }],
  });
  const contract = await startContract(startContractDeps(platform.services, config, platform.temporal, { minTtlMs: 0 }), { id: initiator.id, name: initiator.name, ip: null }, spec, await makePdf(1));
  const client = new ApiClient(platform.baseUrl);
  await client.login(initiator.mobile, TEST_PASSWORD);
  return { id: contract.id, client };
}

describe('Update requests have bounds', () => {
  it('no worker polls the workflow: 撤销 answers 503 TEMPORAL_UNAVAILABLE within the call bound (not for ever), and the contract stays 签署中', async () => {
    const { id, client } = await contractOn(`nobody-polls-${randomUUID()}`);
    try {
      const started = performance.now();
      const answer = await client.post(`/contracts/${id}/revoke`, { reason: '无人处理' });
      const ms = performance.now() - started;
      expect(answer.status, JSON.stringify(answer.json)).toBe(503);
      expect(answer.headers.get('retry-after')).toBe('5');
      expect(answer.json.error).toMatchObject({ code: 'TEMPORAL_UNAVAILABLE', message: '服务暂时不可用，请稍后重试' });
      expect(ms).toBeGreaterThanOrEqual(ACCEPT_BOUND_S * 1000 - 100);
      expect(ms).toBeLessThan(ACCEPT_BOUND_S * 1000 + 5_000);
      expect((await em().findOneOrFail(ContractSchema, { id })).status).toBe('in_progress');
      expect(await em().count(AuditEventSchema, { targetId: id, action: 'contract.revoked_by_initiator' })).toBe(0);
    } finally {
      await platform.temporal.workflow.getHandle(contractWorkflowId(id)).terminate('test: no worker polls this task queue');
    }
  });

  it('accepted but slow: 503 UPDATE_STILL_RUNNING after the wait bound; the revocation goes on and happens once', async () => {
    const { id, client } = await contractOn(platform.config.temporal.taskQueue);
    let open = () => {};
    revocationGate = new Promise<void>((resolve) => (open = resolve));
    try {
      const answer = await client.post(`/contracts/${id}/revoke`, { reason: '条款变更' });
      expect(answer.status, JSON.stringify(answer.json)).toBe(503);
      expect(answer.headers.get('retry-after')).toBe('5');
      expect(answer.json.error).toMatchObject({ code: 'UPDATE_STILL_RUNNING', message: '请求已受理，仍在处理中，请稍后刷新查看' });
      expect((await em().findOneOrFail(ContractSchema, { id })).status).toBe('in_progress');
    } finally {
      open();
      revocationGate = Promise.resolve();
    }
    await eventually(async () => (await em().findOneOrFail(ContractSchema, { id })).voidReason === 'revoked', 20_000, 'the accepted revocation completes');
    expect(await em().count(AuditEventSchema, { targetId: id, action: 'contract.revoked_by_initiator' })).toBe(1);
    expect((await client.get(`/contracts/${id}`)).json.statusLabel).toBe('已作废（撤销）');
  });

  it('转让管理员 with Temporal unreachable: 503 WORKFLOW_START_FAILED within the call bound; the transfer ends as failed and a new one may start', async () => {
    const { admin, enterprise, membership, adminC } = await setUpTransferParties(platform, '有界转让');
    const withoutTemporal = await startApiWithoutTemporal(platform.services);
    try {
      const down = new ApiClient(withoutTemporal.baseUrl);
      await down.login(admin.mobile, TEST_PASSWORD);
      await down.post('/auth/acting', { enterpriseId: enterprise.id });
      const started = performance.now();
      const answer = await down.post('/console/admin-transfer', { memberId: membership.id });
      expect(performance.now() - started).toBeLessThan(6_000);
      expect(answer.status, JSON.stringify(answer.json)).toBe(503);
      expect(answer.json.error.code).toBe('WORKFLOW_START_FAILED');
    } finally {
      await withoutTemporal.close();
    }
    expect((await em().find(AdminTransferSchema, { enterpriseId: enterprise.id })).map((t) => t.status)).toEqual(['failed']);
    expect((await adminC.post('/console/admin-transfer', { memberId: membership.id })).status).toBe(201);
  });

  it('two 撤销 sent at once with one Idempotency-Key: one Update (the second attaches), one revocation', async () => {
    const { id, client } = await contractOn(platform.config.temporal.taskQueue);
    let open = () => {};
    revocationGate = new Promise<void>((resolve) => (open = resolve));
    const key = { 'Idempotency-Key': `revoke-${id}` };
    try {
      const answers = await Promise.all([0, 1].map(() => client.request('POST', `/contracts/${id}/revoke`, { reason: '重复提交' }, key)));
      for (const a of answers) expect(a.json.error?.code, JSON.stringify(a.json)).toBe('UPDATE_STILL_RUNNING');
    } finally {
      open();
      revocationGate = Promise.resolve();
    }
    await eventually(async () => (await em().findOneOrFail(ContractSchema, { id })).voidReason === 'revoked', 20_000, 'revoked');
    expect(await em().count(AuditEventSchema, { targetId: id, action: 'contract.revoked_by_initiator' })).toBe(1);
    const history = (await platform.temporal.workflow.getHandle(contractWorkflowId(id)).fetchHistory()).events ?? [];
    expect(history.filter((e) => e.eventType === proto.temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED)).toHaveLength(1);
  });

  it('two 撤销 sent at once without a key: two requests, one revocation; the later one is told the contract has ended', async () => {
    const { id, client } = await contractOn(platform.config.temporal.taskQueue);
    const answers = await Promise.all([0, 1].map(() => client.post(`/contracts/${id}/revoke`, { reason: '重复提交' })));
    expect(answers.some((a) => a.status === 200)).toBe(true);
    for (const a of answers) if (a.status !== 200) expect(a.json.error?.code, JSON.stringify(a.json)).toBe('CONTRACT_NOT_IN_PROGRESS');
    await eventually(async () => (await em().findOneOrFail(ContractSchema, { id })).voidReason === 'revoked', 20_000, 'revoked');
    expect(await em().count(AuditEventSchema, { targetId: id, action: 'contract.revoked_by_initiator' })).toBe(1);
  });

  it('撤销 after the workflow was terminated in Temporal UI: a clear answer within the bound, nothing half-written', async () => {
    const { id, client } = await contractOn(platform.config.temporal.taskQueue);
    await platform.temporal.workflow.getHandle(contractWorkflowId(id)).terminate('test: terminated from Temporal UI');
    const started = performance.now();
    const answer = await client.post(`/contracts/${id}/revoke`, { reason: '流程已终止' });
    expect(performance.now() - started).toBeLessThan(ACCEPT_BOUND_S * 1000 + 5_000);
    // The workflow is gone (409 PROCESS_NOT_RUNNING) unless the reconciler already started a new run, which then revokes.
    if (answer.status === 409) expect(answer.json.error.code).toBe('PROCESS_NOT_RUNNING');
    else expect(answer.status, JSON.stringify(answer.json)).toBe(200);
    expect(await em().count(AuditEventSchema, { targetId: id, action: 'contract.revoked_by_initiator' })).toBe(answer.status === 200 ? 1 : 0);
  });
});
