// @sqlite-too: the gateway is called only after commits, which matters most on SQLite (one pool connection).
/**
 * The production SMS provider end to end: with SMS_PROVIDER=http, codes go to the gateway (signed)
 * and never to the outbox, and the admin console's 短信发件箱 no longer shows code contents to
 * platform operators (who could otherwise sign as anyone). A started contract's step 1 is asked to sign
 * through the gateway by the contract's workflow (a gateway cannot send in the activation's transaction),
 * once the workflow has confirmed the row: a start that died before its activation is activated by it first.
 */
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContractSignerSchema } from '../../domain/contracts/contract-signer.entity';
import { ContractSchema } from '../../domain/contracts/contract.entity';
import { ContractEventSchema } from '../../domain/contracts/trail/contract-event.entity';
import { startContract, startContractSpecSchema } from '../../domain/contracts/start-contract';
import { DEFAULT_RECONCILE_OPTIONS, reconcileContracts } from '../../domain/contracts/reconcile-contracts';
import { temporalContractWorkflows } from '../../activities/reconcile-activities';
import { createSmsSender } from '../../integrations/sms';
import { NotificationSchema } from '../../domain/notifications/notification.entity';
import { SmsOutboxMessageSchema } from '../../domain/sms/sms.entities';
import { stalledAfterWorkflowStart, startContractDeps } from '../harness/start-contract-deps';
import { maskMobile } from '../../domain/identity/masking';
import { contractForm, createUser, makePdf, TEST_PASSWORD, uniqueMobile } from '../harness/fixtures';
import { eventually } from '../harness/workflow-env';
import { ApiClient } from '../harness/http-client';
import { startTestPlatform, type TestPlatform } from '../harness/platform';

const SECRET = `gateway-${randomUUID()}`;
const delivered: { mobile: string; purpose: string; content: string; signatureValid: boolean }[] = [];
/** Numbers the gateway answers slowly and with a failure (a gateway in trouble). */
const troubled = new Set<string>();
const TROUBLE_MS = 1500;
let gateway: http.Server;
let platform: TestPlatform;

beforeAll(async () => {
  gateway = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const expected = Buffer.from(`v1=${createHmac('sha256', SECRET).update(`${req.headers['x-sealflow-timestamp']}.${raw}`).digest('hex')}`);
      const given = Buffer.from(String(req.headers['x-sealflow-signature']));
      const signatureValid = given.length === expected.length && timingSafeEqual(given, expected);
      const message = JSON.parse(raw);
      delivered.push({ ...message, signatureValid });
      if (troubled.has(message.mobile)) setTimeout(() => res.writeHead(503).end(), TROUBLE_MS);
      else res.writeHead(signatureValid ? 202 : 401).end();
    });
  });
  await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}/send`;
  platform = await startTestPlatform({ SMS_PROVIDER: 'http', SMS_HTTP_URL: url, SMS_HTTP_SECRET: SECRET });
});

afterAll(async () => {
  await platform?.stop();
  gateway?.closeAllConnections();
  await new Promise((resolve) => gateway?.close(resolve));
});

describe('SMS_PROVIDER=http', () => {
  it('delivers codes to the gateway, signed, and writes nothing an operator could read', async () => {
    const mobile = uniqueMobile();
    const before = await platform.services.orm.em.fork().count(SmsOutboxMessageSchema, {});
    const r = await new ApiClient(platform.baseUrl).post('/auth/register/code', { mobile });
    expect(r.status).toBe(200);
    const message = delivered.find((m) => m.mobile === mobile);
    expect(message).toMatchObject({ purpose: 'register', signatureValid: true });
    expect(message!.content).toMatch(/\d{6}/);
    expect(await platform.services.orm.em.fork().count(SmsOutboxMessageSchema, {})).toBe(before);
  });

  it('a login code answers a registered number as fast and as successfully as an unknown one, even with the gateway in trouble', async () => {
    const registered = await createUser(platform.services, '登录码用户');
    troubled.add(registered.mobile);
    const ask = async (mobile: string) => {
      const t = performance.now();
      const r = await new ApiClient(platform.baseUrl).post('/auth/login/code', { mobile });
      return { answer: `${r.status} ${r.json?.error?.code ?? 'OK'}`, ms: performance.now() - t };
    };
    const known = await ask(registered.mobile);
    const unknown = await ask(uniqueMobile());
    expect(known.answer).toBe('200 OK');
    expect(unknown.answer).toBe('200 OK');
    // The registered number's delivery runs after the answer: the answer does not wait for the slow, failing gateway.
    expect(known.ms).toBeLessThan(TROUBLE_MS);
    await eventually(async () => delivered.some((m) => m.mobile === registered.mobile && m.purpose === 'login'), 10_000, 'the code is delivered after the answer');
  });

  it('the operator outbox masks contents (e.g. codes kept from an earlier outbox period)', async () => {
    const em = platform.services.orm.em.fork();
    const mobile = uniqueMobile();
    em.create(SmsOutboxMessageSchema, { id: randomUUID(), mobile, purpose: 'contract_sign', content: '【SealFlow】您的签署验证码为 482913，5 分钟内有效。', createdAt: new Date() });
    await em.flush();
    const operator = await createUser(platform.services, '运营', 'operator');
    const client = new ApiClient(platform.baseUrl);
    await client.login(operator.mobile, TEST_PASSWORD);
    const list = await client.get(`/admin/sms-outbox?filter=${encodeURIComponent(JSON.stringify({ mobile }))}`);
    expect(list.status).toBe(200);
    expect(list.json).toHaveLength(1);
    expect(list.json[0]).toMatchObject({ mobile: maskMobile(mobile), purpose: 'contract_sign', contentMasked: true });
    expect(list.json[0].content).not.toMatch(/\d/);
    expect(list.json[0].content).toContain('您的签署验证码为');
    expect(JSON.stringify(list.json)).not.toContain('482913');
    expect(JSON.stringify(list.json)).not.toContain(mobile);
  });
  it('a started contract: step 1 is asked to sign through the gateway once, sent by the workflow (the routed start leaves the notice to it)', async () => {
    const [initiator, signer] = await Promise.all([createUser(platform.services, '网关发起人'), createUser(platform.services, '网关签署人')]);
    const api = new ApiClient(platform.baseUrl);
    await api.login(initiator.mobile, TEST_PASSWORD);
    const r = await api.post('/contracts', contractForm(await makePdf(1), { title: '网关通知合同', signers: [{ mobile: signer.mobile, name: signer.name, page: 1, x: 100, y: 600 }] }));
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    const toSign = () => delivered.filter((m) => m.mobile === signer.mobile && m.purpose === 'contract_to_sign');
    await eventually(async () => toSign().length > 0, 10_000, 'step 1 notice at the gateway');
    const handle = platform.temporal.workflow.getHandle(`contract:${r.json.id as string}`);
    const events = (await handle.fetchHistory()).events ?? [];
    expect(events.flatMap((e) => (e.activityTaskScheduledEventAttributes ? [e.activityTaskScheduledEventAttributes.activityType?.name] : []))).toEqual(['notifyContract']);
    await new Promise((r2) => setTimeout(r2, 500));
    expect(toSign()).toHaveLength(1);
    expect(toSign()[0]!.signatureValid).toBe(true);
    // The workflow confirmed the row (a local activity) before it asked step 1 to sign.
    const markers = events.flatMap((e) => (e.markerRecordedEventAttributes ? [e.markerRecordedEventAttributes.markerName] : []));
    expect(markers).toEqual(['core_patch', 'core_local_activity']);
    await handle.terminate('test over');
  });

  it('step 1 notice with the gateway in trouble: the 站内消息 is written (the failed SMS no longer rolls it back) and the gateway is called after the commit', async () => {
    const [initiator, signer] = await Promise.all([createUser(platform.services, '网关故障发起人'), createUser(platform.services, '网关故障签署人')]);
    troubled.add(signer.mobile);
    const api = new ApiClient(platform.baseUrl);
    await api.login(initiator.mobile, TEST_PASSWORD);
    const r = await api.post('/contracts', contractForm(await makePdf(1), { title: '网关故障合同', signers: [{ mobile: signer.mobile, name: signer.name, page: 1, x: 100, y: 600 }] }));
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    await eventually(async () => (await platform.services.orm.em.fork().count(NotificationSchema, { userId: signer.id, kind: 'contract.to_sign' })) === 1, 15_000, 'the 待签署 站内消息 despite the failed SMS');
    await eventually(async () => delivered.some((m) => m.mobile === signer.mobile && m.purpose === 'contract_to_sign'), 10_000, 'the gateway was asked');
    await platform.temporal.workflow.getHandle(`contract:${r.json.id as string}`).terminate('test over');
  });

  it('an invitation the gateway does not deliver leaves the participant not invited (no trail event); the start retried with its key sends it', async () => {
    const initiator = await createUser(platform.services, '邀请发起人');
    const invitee = uniqueMobile();
    troubled.add(invitee);
    const api = new ApiClient(platform.baseUrl);
    await api.login(initiator.mobile, TEST_PASSWORD);
    const key = { 'Idempotency-Key': `invite-${invitee}` };
    const body = async () => contractForm(await makePdf(1), { title: '网关邀请合同', spec: { participants: [{ kind: 'person', step: 1, mobile: invitee, name: '王受邀', marks: [{ kind: 'name_seal', page: 1, x: 100, y: 600 }] }] } });
    const starting = api.request('POST', '/contracts', await body(), key);
    await eventually(async () => delivered.some((m) => m.mobile === invitee && m.purpose === 'contract_invitation'), 15_000, 'the gateway is asked');
    // While the gateway takes its time (TROUBLE_MS per attempt), the database is not held: another write goes through.
    const t = performance.now();
    await createUser(platform.services, '网关等待中写入');
    expect(performance.now() - t).toBeLessThan(TROUBLE_MS / 2);
    const first = await starting;
    expect(first.status, JSON.stringify(first.json)).toBe(201);
    const em = () => platform.services.orm.em.fork();
    const participant = async () => em().findOneOrFail(ContractSignerSchema, { contractId: first.json.id, mobile: invitee });
    expect((await participant()).invited).toBe(false);
    expect(await em().count(ContractEventSchema, { contractId: first.json.id, type: 'invitation_sent' })).toBe(0);
    troubled.delete(invitee);
    const again = await api.request('POST', '/contracts', await body(), key);
    expect(again.json.id).toBe(first.json.id);
    expect((await participant()).invited).toBe(true);
    expect(await em().count(ContractEventSchema, { contractId: first.json.id, type: 'invitation_sent' })).toBe(1);
    expect(delivered.filter((m) => m.mobile === invitee && m.purpose === 'contract_invitation').length).toBeGreaterThanOrEqual(2); // the failed attempts, then the delivery
    await platform.temporal.workflow.getHandle(`contract:${first.json.id as string}`).terminate('test over');
  });

  it('an invitation the gateway did not deliver, the start never retried: the reconciler\u2019s next pass sends it, once', async () => {
    const initiator = await createUser(platform.services, '补发邀请发起人');
    const invitee = uniqueMobile();
    troubled.add(invitee);
    const api = new ApiClient(platform.baseUrl);
    await api.login(initiator.mobile, TEST_PASSWORD);
    const r = await api.post('/contracts', contractForm(await makePdf(1), { title: '网关补发合同', spec: { participants: [{ kind: 'person', step: 1, mobile: invitee, name: '李补发', marks: [{ kind: 'name_seal', page: 1, x: 100, y: 600 }] }] } }));
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    const em = () => platform.services.orm.em.fork();
    const participant = async () => em().findOneOrFail(ContractSignerSchema, { contractId: r.json.id, mobile: invitee });
    expect((await participant()).invited).toBe(false);
    troubled.delete(invitee);
    const reconcile = () =>
      reconcileContracts(em(), platform.services.store, temporalContractWorkflows(platform.temporal, platform.config.temporal.taskQueue, em), { ...DEFAULT_RECONCILE_OPTIONS, startingGraceMs: 0 }, new Date(), { sms: (e) => createSmsSender(platform.config, e), publicUrl: platform.config.publicUrl });
    expect((await reconcile()).messaged).toEqual(expect.arrayContaining([r.json.id]));
    expect((await participant()).invited).toBe(true);
    expect(await em().count(ContractEventSchema, { contractId: r.json.id, type: 'invitation_sent' })).toBe(1);
    const deliveries = delivered.filter((m) => m.mobile === invitee && m.purpose === 'contract_invitation').length;
    expect((await reconcile()).messaged).not.toContain(r.json.id);
    expect(delivered.filter((m) => m.mobile === invitee && m.purpose === 'contract_invitation')).toHaveLength(deliveries);
    await platform.temporal.workflow.getHandle(`contract:${r.json.id as string}`).terminate('test over');
  });

  it('a start that died between starting its workflow and activating the row: the workflow activates the row before step 1 is asked to sign, once (no link to a contract still 创建中)', async () => {
    const [initiator, signer] = await Promise.all([createUser(platform.services, '网关发起人'), createUser(platform.services, '网关签署人')]);
    const em = () => platform.services.orm.em.fork();
    const deps = startContractDeps(platform.services, platform.config, platform.temporal, { minTtlMs: 0 });
    // The API process "stops" right after the workflow started: its activation waits until the test lets it go on.
    const stalled = stalledAfterWorkflowStart(deps);
    const starting = startContract(
      stalled.deps,
      { id: initiator.id, name: initiator.name, ip: null },
      startContractSpecSchema.parse({ title: '网关中断合同', participants: [{ kind: 'person', step: 1, mobile: signer.mobile, name: signer.name, marks: [{ kind: 'name_seal', page: 1, x: 100, y: 600 }] }] }),
      await makePdf(1),
    );
    const toSign = () => delivered.filter((m) => m.mobile === signer.mobile && m.purpose === 'contract_to_sign');
    await eventually(async () => toSign().length > 0, 10_000, 'step 1 notice at the gateway');
    // The stalled start has not activated the row: the workflow did, before the notice went out.
    expect((await em().findOneOrFail(ContractSchema, { id: stalled.contractId })).status).toBe('in_progress');
    stalled.release();
    expect((await starting).status).toBe('in_progress');
    await new Promise((r2) => setTimeout(r2, 500));
    expect(toSign()).toHaveLength(1);
    await platform.temporal.workflow.getHandle(`contract:${stalled.contractId}`).terminate('test over');
  });
});
