// @sqlite-too: idempotent starts under parallel requests.
/**
 * 发起合同 under failure (real database, real Temporal dev server, real activities):
 * - the minimum expiry (now + 100 ms used to be accepted);
 * - Idempotency-Key: parallel retries create ONE contract and all get it;
 * - crash-safe start: a request that dies between writing the rows and starting the workflow
 *   leaves nothing visible, and a retry with the same key or the reconciler finishes it;
 * - Temporal unreachable: 503 with Retry-After within seconds, nothing left behind;
 * - the quota per initiator (start-quota.ts): starts in 10 minutes and document bytes a day, atomic under parallel starts.
 */
import { defaultPayloadConverter } from '@temporalio/common';
import { HEAVY_REQUESTS_PER_USER } from '../../api/http/route';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEventSchema } from '../../domain/audit/audit-event.entity';
import { ContractSignerSchema } from '../../domain/contracts/contract-signer.entity';
import { ContractSchema } from '../../domain/contracts/contract.entity';
import { DocumentVersionSchema } from '../../domain/contracts/document-version.entity';
import { IdempotencyKeySchema } from '../../domain/contracts/idempotency-key.entity';
import { startContract, startContractSpecSchema, type StartContractDeps } from '../../domain/contracts/start-contract';
import { CONTRACT_START_RULE, CONTRACT_UPLOAD_RULE } from '../../domain/contracts/start-quota';
import { takeAttempt, type ThrottleRule } from '../../domain/identity/attempt-throttle';
import { SmsOutboxMessageSchema } from '../../domain/sms/sms.entities';
import { createSmsSender } from '../../integrations/sms';
import { startContractWorkflow } from '../../workflows/clients/start-contract-workflow';
import { contractReconcileWorkflow } from '../../workflows/contract-reconcile';
import { contractWorkflowId } from '../../workflows/search-attributes';
import { contractForm, createUser, makePdf, TEST_PASSWORD } from '../harness/fixtures';
import { setUpTransferParties } from '../harness/transfer-fixtures';
import { ApiClient } from '../harness/http-client';
import { startApiWithoutTemporal, type ApiWithoutTemporal } from '../harness/unreachable-temporal';
import { startTestPlatform, type TestPlatform } from '../harness/platform';
import { eventually } from '../harness/workflow-env';

let platform: TestPlatform;
let alice: { id: string; mobile: string; name: string };
let bob: { id: string; mobile: string; name: string };
let api: ApiClient;
let withoutTemporal: ApiWithoutTemporal;
let deadApi: ApiClient;

beforeAll(async () => {
  platform = await startTestPlatform();
  alice = await createUser(platform.services, '钱多多');
  bob = await createUser(platform.services, '孙悟空');
  api = new ApiClient(platform.baseUrl);
  await api.login(alice.mobile, TEST_PASSWORD);
  withoutTemporal = await startApiWithoutTemporal(platform.services);
  deadApi = new ApiClient(withoutTemporal.baseUrl);
  await deadApi.login(alice.mobile, TEST_PASSWORD);
});
afterAll(async () => {
  await withoutTemporal?.close();
  await platform?.stop();
});

const inOneDay = () => new Date(Date.now() + 24 * 3600_000);
const signersOf = () => [
  { mobile: alice.mobile, name: alice.name, page: 1, x: 100, y: 600 },
  { mobile: bob.mobile, name: bob.name, page: 1, x: 300, y: 600 },
];
const em = () => platform.services.orm.em.fork();
const specOf = (title: string) =>
  startContractSpecSchema.parse({ title, expiresAt: inOneDay(), participants: signersOf().map((s, i) => ({ kind: 'person', step: i + 1, mobile: s.mobile, name: s.name, marks: [{ kind: 'name_seal', page: s.page, x: s.x, y: s.y }] })) });
const depsWith = (startWorkflow: StartContractDeps['startWorkflow']): StartContractDeps => ({
  em: em(),
  store: platform.services.store,
  limits: { maxBytes: platform.config.maxUploadBytes, maxPages: platform.config.maxPages },
  sms: (e) => createSmsSender(platform.config, e),
  publicUrl: platform.config.publicUrl,
  startWorkflow,
});

async function form(title: string, expiresAt = inOneDay()) {
  return contractForm(await makePdf(1), { title, expiresAt, signers: signersOf() });
}

describe('发起合同 under failure', () => {
  it('refuses an expiry sooner than 10 minutes (now + 100 ms was accepted), accepts 11 minutes', async () => {
    const soon = await api.post('/contracts', await form('太快过期', new Date(Date.now() + 5_000)));
    expect(soon.status).toBe(400);
    expect(soon.json.error).toMatchObject({ code: 'EXPIRY_TOO_SOON' });
    expect(soon.json.error.message).toContain('10 分钟');
    const ok = await api.post('/contracts', await form('十一分钟', new Date(Date.now() + 11 * 60_000)));
    expect(ok.status, JSON.stringify(ok.json)).toBe(201);
  });

  it('refuses an expiry more than 365 days ahead (a year-10000 date was a 500 that left a 创建中 row and its workflow behind), accepts 364 days', async () => {
    for (const [title, expiresAt, key] of [
      ['一万年', new Date(Date.UTC(10000, 0, 1)), 'year-10000'],
      ['366天', new Date(Date.now() + 366 * 86_400_000), 'day-366'],
    ] as const) {
      const r = await api.request('POST', '/contracts', await form(title, expiresAt), { 'Idempotency-Key': `late-${key}-${Date.now()}` });
      expect(r.status, JSON.stringify(r.json)).toBe(400);
      expect(r.json.error).toMatchObject({ code: 'EXPIRY_TOO_LATE' });
      expect(r.json.error.message).toContain('365 天');
      expect(await em().count(ContractSchema, { title })).toBe(0);
    }
    const ok = await api.post('/contracts', await form('三百六十四天', new Date(Date.now() + 364 * 86_400_000)));
    expect(ok.status, JSON.stringify(ok.json)).toBe(201);
  });

  it('Idempotency-Key: parallel retries create one contract, with one created-audit row, and all of them get it', async () => {
    const key = `create-${Date.now()}`;
    const title = `幂等合同 ${key}`;
    // As many at once as one user may have heavy requests in flight (more are 429 REQUESTS_IN_PROGRESS before the body is read).
    const responses = await Promise.all(Array.from({ length: HEAVY_REQUESTS_PER_USER }, async () => api.request('POST', '/contracts', await form(title), { 'Idempotency-Key': key })));
    for (const r of responses) expect(r.status, JSON.stringify(r.json)).toBe(201);
    const ids = new Set(responses.map((r) => r.json.id as string));
    expect(ids.size).toBe(1);
    const [id] = [...ids];
    expect(await em().count(ContractSchema, { title })).toBe(1);
    expect(await em().count(AuditEventSchema, { targetId: id, action: 'contract.created' })).toBe(1);
    expect((await platform.temporal.workflow.getHandle(contractWorkflowId(id!)).describe()).status.name).toBe('RUNNING');
    // A later retry gets the same contract; another user's identical key is their own.
    const later = await api.request('POST', '/contracts', await form(title), { 'Idempotency-Key': key });
    expect(later.json.id).toBe(id);
    const bobApi = new ApiClient(platform.baseUrl);
    await bobApi.login(bob.mobile, TEST_PASSWORD);
    const bobs = await bobApi.request('POST', '/contracts', await form(title), { 'Idempotency-Key': key });
    expect(bobs.status).toBe(201);
    expect(bobs.json.id).not.toBe(id);
    const bad = await api.request('POST', '/contracts', await form(title), { 'Idempotency-Key': 'bad key with spaces' });
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe('BAD_IDEMPOTENCY_KEY');
  });

  it('Idempotency-Key: a retry as another initiator identity (person vs enterprise) is refused with 409 and creates nothing; the same identity gets the contract', async () => {
    const { adminC, enterprise } = await setUpTransferParties(platform, '幂等身份');
    const key = `identity-${Date.now()}`;
    const title = `幂等身份 ${key}`;
    const asForm = async (actAs: 'person' | 'enterprise') => contractForm(await makePdf(1), { title, expiresAt: inOneDay(), signers: [{ mobile: bob.mobile, name: bob.name, page: 1, x: 100, y: 600 }], spec: { actAs } });
    const first = await adminC.request('POST', '/contracts', await asForm('enterprise'), { 'Idempotency-Key': key });
    expect(first.status, JSON.stringify(first.json)).toBe(201);
    expect((await em().findOneOrFail(ContractSchema, { id: first.json.id })).initiatorEnterpriseId).toBe(enterprise.id);
    const asPerson = await adminC.request('POST', '/contracts', await asForm('person'), { 'Idempotency-Key': key });
    expect(asPerson.status).toBe(409);
    expect(asPerson.json.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await em().count(ContractSchema, { title })).toBe(1);
    const again = await adminC.request('POST', '/contracts', await asForm('enterprise'), { 'Idempotency-Key': key });
    expect(again.status).toBe(201);
    expect(again.json.id).toBe(first.json.id);
    // The other way round: a key first used as a person is not an enterprise's.
    const personKey = `${key}-person`;
    expect((await adminC.request('POST', '/contracts', await asForm('person'), { 'Idempotency-Key': personKey })).status).toBe(201);
    const asEnterprise = await adminC.request('POST', '/contracts', await asForm('enterprise'), { 'Idempotency-Key': personKey });
    expect(asEnterprise.status).toBe(409);
    expect(await em().count(ContractSchema, { title })).toBe(2);
  });

  it('a request that dies after writing the rows leaves nothing visible; the retry with the same key finishes that very contract', async () => {
    const key = `crash-${Date.now()}`;
    const title = `崩溃恢复 ${key}`;
    // The "crash": the workflow start never returns (the process would be killed here).
    void startContract(
      depsWith(() => new Promise<never>(() => {})),
      { id: alice.id, name: alice.name, ip: '10.0.0.9' },
      specOf(title),
      await makePdf(1),
      { idempotencyKey: key },
    );
    const row = await eventually(() => em().findOne(ContractSchema, { title }), 10_000, 'the 创建中 row');
    expect(row.status).toBe('starting');
    // Not visible: not in lists, not readable, no created-audit row yet.
    const list = await api.get('/contracts');
    expect(list.status).toBe(200);
    expect(JSON.stringify(list.json)).not.toContain(row.id);
    expect((await api.get(`/contracts/${row.id}`)).status).toBe(404);
    expect(await em().count(AuditEventSchema, { targetId: row.id, action: 'contract.created' })).toBe(0);
    // The user's retry (same key) starts the workflow and activates the same contract.
    const retry = await api.request('POST', '/contracts', await form(title), { 'Idempotency-Key': key });
    expect(retry.status, JSON.stringify(retry.json)).toBe(201);
    expect(retry.json).toMatchObject({ id: row.id, status: 'in_progress' });
    expect(await em().count(ContractSchema, { title })).toBe(1);
    expect(await em().count(AuditEventSchema, { targetId: row.id, action: 'contract.created' })).toBe(1);
    expect((await platform.temporal.workflow.getHandle(contractWorkflowId(row.id)).describe()).status.name).toBe('RUNNING');
  });

  it('without a retry, the reconciler finishes a start that died before the workflow existed', async () => {
    const title = `无人重试 ${Date.now()}`;
    void startContract(
      depsWith(() => new Promise<never>(() => {})),
      { id: alice.id, name: alice.name, ip: null },
      specOf(title),
      await makePdf(1),
    );
    const row = await eventually(() => em().findOne(ContractSchema, { title }), 10_000, 'the 创建中 row');
    const report = await platform.temporal.workflow.execute(contractReconcileWorkflow, {
      workflowId: `reconcile-test-${row.id}`,
      taskQueue: platform.config.temporal.taskQueue,
      args: [{ contracts: { startingGraceMs: 0 } }],
    });
    expect(report.contracts.restarted).toContain(row.id);
    const fixed = await em().findOneOrFail(ContractSchema, { id: row.id });
    expect(fixed.status).toBe('in_progress');
    const created = await em().find(AuditEventSchema, { targetId: row.id, action: 'contract.created' });
    expect(created).toHaveLength(1);
    expect(JSON.parse(created[0]!.detail!)).toMatchObject({ recovered: true });
    const handle = platform.temporal.workflow.getHandle(contractWorkflowId(row.id));
    expect((await handle.describe()).status.name).toBe('RUNNING');
    // Restarted routed, with the platform's SMS sender as the API's launch has it: step 1's notice commits with the activation, once.
    const started = ((await handle.fetchHistory()).events ?? [])[0]!.workflowExecutionStartedEventAttributes!;
    expect(defaultPayloadConverter.fromPayload<{ routing?: { firstStepNoticeInActivation: boolean } }>(started.input!.payloads![0]!).routing).toMatchObject({ firstStepNoticeInActivation: true });
    const [first] = await em().find(ContractSignerSchema, { contractId: row.id, step: 1 });
    await eventually(async () => (await em().count(SmsOutboxMessageSchema, { mobile: first!.mobile, purpose: 'contract_to_sign', content: { $like: `%${title}%` } })) === 1, 10_000, 'step 1 asked to sign');
  });

  it('a start whose outcome is unknown (started, then the call failed) ends consistent: a running workflow has its row, or neither exists', async () => {
    const title = `结果未知 ${Date.now()}`;
    const attempt = await startContract(
      depsWith(async (c) => {
        await startContractWorkflow(platform.temporal, platform.config.temporal.taskQueue, c);
        throw new Error('deadline exceeded after the server had started it');
      }),
      { id: alice.id, name: alice.name, ip: null },
      specOf(title),
      await makePdf(1),
    ).then(
      (c) => ({ ok: true as const, id: c.id }),
      (err: { code?: string }) => ({ ok: false as const, code: err.code }),
    );
    const rows = await em().find(ContractSchema, { title });
    if (attempt.ok) {
      expect(rows.map((r) => r.status)).toEqual(['in_progress']);
    } else {
      expect(attempt.code).toBe('WORKFLOW_START_FAILED');
      expect(rows).toHaveLength(0);
      // A workflow whose row was removed finds nothing to activate and ends by itself (abandoned).
      const abandoned = await eventually(async () => {
        let n = 0;
        for await (const wf of platform.temporal.workflow.list({ query: `WorkflowType = 'contractLifecycleWorkflow' AND InitiatorId = '${alice.id}'` })) {
          const id = wf.searchAttributes?.ContractId?.[0] as string;
          if (await em().count(ContractSchema, { id })) continue;
          const handle = platform.temporal.workflow.getHandle(wf.workflowId);
          expect(await handle.result()).toMatchObject({ status: 'voided' });
          expect((await handle.describe()).searchAttributes.ContractStatus).toEqual(['abandoned']);
          n++;
        }
        return n;
      }, 10_000, 'the abandoned workflow is listed');
      expect(abandoned).toBe(1);
    }
  });

  it('Temporal unreachable: the upload answers 503 with Retry-After within seconds and leaves no contract, signer, version or key', async () => {
    const key = `down-${Date.now()}`;
    const title = `Temporal 不可用 ${key}`;
    const t0 = performance.now();
    const r = await deadApi.request('POST', '/contracts', await form(title), { 'Idempotency-Key': key });
    const elapsedMs = performance.now() - t0; // monotonic: a CI machine's wall clock may be stepped (seen: 8.2 s by Date.now for a 1.0 s test)
    expect(r.status, JSON.stringify(r.json)).toBe(503);
    expect(r.headers.get('retry-after')).toBe('5');
    expect(r.json.error.code).toBe('WORKFLOW_START_FAILED');
    expect(elapsedMs).toBeLessThan(8_000);
    expect(await em().count(ContractSchema, { title })).toBe(0);
    expect(await em().count(IdempotencyKeySchema, { key })).toBe(0);
    const orphanSigners = await em().count(ContractSignerSchema, { contractId: { $nin: (await em().find(ContractSchema, {}, { fields: ['id'] })).map((c) => c.id) } });
    expect(orphanSigners).toBe(0);
    const orphanVersions = await em().count(DocumentVersionSchema, { contractId: { $nin: (await em().find(ContractSchema, {}, { fields: ['id'] })).map((c) => c.id) } });
    expect(orphanVersions).toBe(0);
    // Once Temporal is back, the same key creates it.
    const again = await api.request('POST', '/contracts', await form(title), { 'Idempotency-Key': key });
    expect(again.status).toBe(201);
  });
});

describe('发起合同 quota per initiator', () => {
  const realStart = (): StartContractDeps['startWorkflow'] => (c, routing) => startContractWorkflow(platform.temporal, platform.config.temporal.taskQueue, c, { routing });
  const initiator = async (name: string) => {
    const user = await createUser(platform.services, name);
    const client = new ApiClient(platform.baseUrl);
    await client.login(user.mobile, TEST_PASSWORD);
    return { user, client };
  };
  /** Uses up `amount` of `rule` for `key` now (as earlier requests would have). */
  const useUp = async (key: string, rule: ThrottleRule, amount: number) => {
    expect((await takeAttempt(em(), key, rule, new Date(), amount)).allowed).toBe(true);
  };

  it('over 100 starts in 10 minutes: 429 CONTRACT_START_RATE_LIMITED with Retry-After before the upload is inspected, nothing written; a retry with its Idempotency-Key still gets its contract', async () => {
    const { user, client } = await initiator('频繁发起');
    await useUp(`contract-start:${user.id}`, CONTRACT_START_RULE, CONTRACT_START_RULE.max - 1);
    const key = `quota-${Date.now()}`;
    const last = await client.request('POST', '/contracts', await form('第一百份'), { 'Idempotency-Key': key });
    expect(last.status, JSON.stringify(last.json)).toBe(201);
    const refused = await client.post('/contracts', await form('第一百零一份'));
    expect([refused.status, refused.json.error.code, refused.json.error.message]).toEqual([429, 'CONTRACT_START_RATE_LIMITED', '发起合同过于频繁，请稍后再试']);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(500);
    expect(await em().count(ContractSchema, { initiatorId: user.id })).toBe(1);
    // Not even a hostile file is looked at: the refusal comes first.
    expect((await client.post('/contracts', contractForm(Buffer.from('not a pdf'), { title: 'x', signers: signersOf() }))).json.error.code).toBe('CONTRACT_START_RATE_LIMITED');
    const retried = await client.request('POST', '/contracts', await form('第一百份'), { 'Idempotency-Key': key });
    expect([retried.status, retried.json.id]).toEqual([201, last.json.id]);
  });

  it('over 1 GB of documents a day: 429 CONTRACT_UPLOAD_QUOTA_EXCEEDED, nothing written', async () => {
    const { user, client } = await initiator('大量上传');
    await useUp(`contract-upload-kib:${user.id}`, CONTRACT_UPLOAD_RULE, CONTRACT_UPLOAD_RULE.max);
    const refused = await client.post('/contracts', await form('超出上传额度'));
    expect([refused.status, refused.json.error.code]).toEqual([429, 'CONTRACT_UPLOAD_QUOTA_EXCEEDED']);
    expect(refused.json.error.message).toContain('1 GB');
    expect(await em().count(ContractSchema, { initiatorId: user.id })).toBe(0);
  });

  it('parallel starts cannot pass the limit together: with 2 starts left, 6 at once start exactly 2', async () => {
    const { user } = await initiator('并发发起');
    await useUp(`contract-start:${user.id}`, CONTRACT_START_RULE, CONTRACT_START_RULE.max - 2);
    const pdf = await makePdf(1);
    const outcomes = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        startContract(depsWith(realStart()), { id: user.id, name: user.name, ip: null }, specOf(`并发额度 ${i}`), pdf).then(
          () => 'started',
          (err: { code?: string }) => err.code ?? String(err).slice(0, 300),
        ),
      ),
    );
    expect(outcomes.filter((o) => o === 'started'), JSON.stringify(outcomes)).toHaveLength(2);
    expect(outcomes.filter((o) => o === 'CONTRACT_START_RATE_LIMITED')).toHaveLength(4);
    expect(await em().count(ContractSchema, { initiatorId: user.id })).toBe(2);
  });
});
