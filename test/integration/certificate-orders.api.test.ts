// @sqlite-too: parallel applies meet the unique live-order key (one 202, the others 409).
/**
 * 申请云证书 end to end over HTTP, against the CA order service (ca-service/, its real HTTP app) and
 * the real worker: apply → the order reaches the CA (待支付) → the CA's staff mark it paid, start
 * the audit and approve over the staff pages → the workflow's poll follows every step and stores
 * the certificate → the seal has a usable certificate. The poll interval is the platform setting
 * caPollIntervalSeconds (operators may set 10 s at least); the real activities answer it and this
 * test only shortens what they answer to 1 s (a duration as input), after checking they read it. Also: cancel refused once paid (the CA's reason in the 4xx body), cancel while
 * unpaid, 撤销 of an order that cannot get to the CA (待提交), 继续认证, parallel applies for one
 * seal, renewal of an expiring certificate, and the reconciler cancelling at the CA an order an ended
 * platform order left there.
 */
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEventSchema } from '../../domain/audit/audit-event.entity';
import { SigningCertificateSchema } from '../../domain/certificates/certificate.entities';
import { cancelCertificateOrder, pollCertificateOrder, submitCertificateOrder, VOIDED_SEAL_REASON, type OrderProgress } from '../../domain/certificates/certificate-order-progress';
import { voidEnterpriseSeals } from '../../domain/enterprises/void-enterprise-seals';
import { createCaOrderGateway, createHttpCaOrderGateway } from '../../integrations/ca-orders/http-ca-order-gateway';
import { applyForSealCertificate } from '../../domain/certificates/certificate-orders';
import { EnterpriseSchema } from '../../domain/enterprises/enterprise.entity';
import { CaRefusal, type CaOrderGateway } from '../../integrations/ca-orders/ca-order-gateway';
import { CertificateOrderSchema } from '../../domain/certificates/certificate-order.entity';
import { forgetEndedOrderKeys } from '../../domain/certificates/forget-ended-order-keys';
import { activeSealCertificate, sealCertificateState } from '../../domain/certificates/seal-certificates';
import { SealAuthorizationSchema, SealSchema } from '../../domain/enterprises/seal.entities';
import { assertSealUsable } from '../../domain/seals/seal-usability';
import { PlatformSettingSchema } from '../../domain/platform/platform-setting.entity';
import { readSealBinding } from '../../integrations/ca/seal-subject';
import { certificateOrderWorkflowId } from '../../workflows/clients/certificate-orders';
import { contractReconcileWorkflow } from '../../workflows/contract-reconcile';
import { startTestCaService, type TestCaService } from '../harness/ca-service';
import { activeMembership, createCertifiedEnterprise } from '../harness/enterprise-fixtures';
import { createUser, TEST_PASSWORD } from '../harness/fixtures';
import { ApiClient } from '../harness/http-client';
import { startApiWithoutTemporal } from '../harness/unreachable-temporal';
import { startTestPlatform, type TestPlatform } from '../harness/platform';
import { eventually } from '../harness/workflow-env';

let ca: TestCaService;
let platform: TestPlatform;
const SETTING_SECONDS = 15;
/** What the real activities answered as the next poll interval (must be the setting). */
const answeredIntervals: number[] = [];
/**
 * Seals whose orders cannot get to the CA: `unreached` fails the submit before anything (nothing
 * claimed: the CA down before the claim); `wrongKey` runs the real submit against the CA service
 * with a wrong API key (claimed, then the CA's 401, an infrastructure failure retried for ever
 * before the submit deadline). `submitCalls` counts the failed attempts per seal.
 */
const brokenCa = { unreached: new Set<string>(), wrongKey: new Set<string>(), submitCalls: new Map<string, number>() };

beforeAll(async () => {
  ca = await startTestCaService();
  const shortened = <A extends unknown[]>(run: (...a: A) => Promise<OrderProgress>) => async (...a: A) => {
    const p = await run(...a);
    answeredIntervals.push(p.nextPollSeconds);
    return { ...p, nextPollSeconds: Math.min(p.nextPollSeconds, 1) };
  };
  const wrongKey = createHttpCaOrderGateway({ baseUrl: ca.env.CA_ORDER_SERVICE_URL!, apiKey: 'not-the-ca-service-key', timeoutMs: 5000 });
  /** The submit, or a failing one for the seals in `brokenCa`. */
  const submitOrBroken = (real: (input: { orderId: string }) => Promise<OrderProgress>) => async (input: { orderId: string }) => {
    const em = platform.services.orm.em.fork();
    const { sealId } = await em.findOneOrFail(CertificateOrderSchema, { id: input.orderId }, { fields: ['sealId'] });
    const broken = brokenCa.unreached.has(sealId) || brokenCa.wrongKey.has(sealId);
    if (broken) brokenCa.submitCalls.set(sealId, (brokenCa.submitCalls.get(sealId) ?? 0) + 1);
    if (brokenCa.unreached.has(sealId)) throw new Error('CA service POST /api/orders: HTTP 503');
    if (brokenCa.wrongKey.has(sealId)) return submitCertificateOrder(em, wrongKey, platform.config.masterKey, input.orderId);
    return real(input);
  };
  platform = await startTestPlatform(ca.env, { overrideActivities: (real) => ({ submitOrder: shortened(submitOrBroken(real.submitOrder)), pollOrder: shortened(real.pollOrder) }) });
  const em = platform.services.orm.em.fork();
  await em.nativeDelete(PlatformSettingSchema, { key: 'caPollIntervalSeconds' });
  em.create(PlatformSettingSchema, { key: 'caPollIntervalSeconds', value: String(SETTING_SECONDS), updatedAt: new Date(), updatedBy: null });
  await em.flush();
});
afterAll(async () => {
  await platform?.services.orm.em.fork().nativeDelete(PlatformSettingSchema, { key: 'caPollIntervalSeconds' });
  await platform?.stop();
  await ca?.stop();
});

/** A certified enterprise with its administrator logged in and acting for it; its seals by type. */
async function enterpriseWithAdmin(name: string) {
  const s = platform.services;
  const admin = await createUser(s, `${name}管理员`);
  const enterprise = await createCertifiedEnterprise(s, admin, name, ['official', 'contract']);
  const client = new ApiClient(platform.baseUrl);
  await client.login(admin.mobile, TEST_PASSWORD);
  expect((await client.post('/auth/acting', { enterpriseId: enterprise.id })).status).toBe(200);
  const seals = await s.orm.em.fork().find(SealSchema, { enterpriseId: enterprise.id });
  const seal = (type: string) => seals.find((x) => x.type === type)!;
  return { admin, enterprise, client, seal };
}

async function enterpriseClient(mobile: string, enterpriseId: string) {
  const client = new ApiClient(platform.baseUrl);
  await client.login(mobile, TEST_PASSWORD);
  await client.post('/auth/acting', { enterpriseId });
  return client;
}

async function orderReaches(client: ApiClient, orderId: string, status: string, timeoutMs = 20_000) {
  return eventually(
    async () => {
      const r = await client.get(`/console/certificate-orders/${orderId}`);
      return r.json?.status === status ? r.json : null;
    },
    timeoutMs,
    `order ${orderId} ${status}`,
  );
}

describe('certificate orders against the CA service', () => {
  it('apply → paid → audited → issued by the CA staff: each step is followed, the certificate is stored and the seal has it', async () => {
    const { client, enterprise, seal, admin } = await enterpriseWithAdmin('证书甲公司');
    const contractSeal = seal('contract');
    // 印章授权 for the administrator (straight in the database): usable except for the missing certificate.
    const authEm = platform.services.orm.em.fork();
    authEm.create(SealAuthorizationSchema, { id: randomUUID(), enterpriseId: enterprise.id, sealId: contractSeal.id, userId: admin.id, grantedBy: admin.id, grantedAt: new Date(), expiresAt: null });
    await authEm.flush();
    const usable = (em: EntityManager) => assertSealUsable(em, { enterpriseId: enterprise.id, sealId: contractSeal.id, userId: admin.id, now: new Date() });
    await expect(usable(platform.services.orm.em.fork())).rejects.toMatchObject({ code: 'SEAL_NO_CERTIFICATE' });
    const applied = await client.post('/console/certificate-orders', { sealId: contractSeal.id });
    expect(applied.status).toBe(202);
    expect(applied.json).toMatchObject({ sealId: contractSeal.id, sealName: contractSeal.name, kind: 'new', open: true });
    const orderId = applied.json.id as string;

    const submitted = await orderReaches(client, orderId, 'pending_payment');
    expect(submitted.caOrderId).toBeTruthy();
    expect(submitted.statusLabel).toBe('待支付');
    const cont = await client.get(`/console/certificate-orders/${orderId}/continue`);
    expect(cont.status).toBe(200);
    expect(cont.json.url).toMatch(new RegExp(`^${ca.publicUrl}/orders/`));

    expect(await ca.staff.act(submitted.caOrderId, 'mark-paid')).toBe(303);
    expect((await orderReaches(client, orderId, 'paid')).paidAt).toBeTruthy();
    expect(await ca.staff.act(submitted.caOrderId, 'start-audit')).toBe(303);
    await orderReaches(client, orderId, 'auditing');
    expect(await ca.staff.act(submitted.caOrderId, 'approve')).toBe(303);
    const issued = await orderReaches(client, orderId, 'issued');
    expect(issued).toMatchObject({ open: false, certificateId: expect.any(String) });
    expect(issued.issuedAt).toBeTruthy();

    const em = platform.services.orm.em.fork();
    const cert = await activeSealCertificate(em, contractSeal.id);
    expect(cert).toMatchObject({ id: issued.certificateId, ownerType: 'seal', ownerId: contractSeal.id, enterpriseId: enterprise.id, orderId, status: 'active' });
    expect(readSealBinding(cert!.certificatePem)).toEqual({ enterpriseName: enterprise.name, uscc: enterprise.uscc, sealName: contractSeal.name, sealId: contractSeal.id });
    expect((await sealCertificateState(em, contractSeal.id)).state).toBe('issued');
    expect((await usable(em)).certificate.id).toBe(cert!.id);
    const actions = (await em.find(AuditEventSchema, { targetId: orderId }, { orderBy: { at: 'asc' } })).map((a) => a.action);
    expect(actions).toEqual(['certificate_order.created', 'certificate_order.submitted', 'certificate_order.paid', 'certificate_order.auditing', 'certificate_order.issued']);
    expect(await em.count(AuditEventSchema, { action: 'certificate.issued', targetId: cert!.id })).toBe(1);
    // The seal's private key: stored encrypted, never in the workflow's history; moved to the certificate row at issuance
    // (the order keeps no second copy).
    const row = await em.findOneOrFail(CertificateOrderSchema, { id: orderId }, { populate: ['privateKeyEncrypted'] });
    expect(cert!.privateKeyEncrypted).toMatch(/^sfenc\$v2\$/);
    expect(row.privateKeyEncrypted).toBeNull();
    const history = await platform.temporal.workflow.getHandle(certificateOrderWorkflowId(orderId)).fetchHistory();
    const text = JSON.stringify(history, (_k, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('utf8') : v));
    expect(text).toContain(orderId);
    expect(text).not.toMatch(/PRIVATE KEY|sfenc\$/);

    const list = await client.get('/console/certificate-orders');
    expect(list.status).toBe(200);
    expect(list.headers.get('content-range')).toMatch(/^console\/certificate-orders 0-0\/1$/);
    expect(list.json[0]).toMatchObject({ id: orderId, status: 'issued', sealName: contractSeal.name });
    const all = await client.get(`/console/certificates?filter=${encodeURIComponent(JSON.stringify({ scope: 'all' }))}`);
    expect(all.json.map((c: { id: string }) => c.id)).toEqual([cert!.id]);
    // Every interval the activities answered came from the platform setting.
    expect(answeredIntervals.length).toBeGreaterThanOrEqual(4);
    expect(new Set(answeredIntervals.filter((n) => n > 0))).toEqual(new Set([SETTING_SECONDS]));
  });

  it('撤销 is refused once the CA has the payment: the CA’s reason is in the 4xx body and the order stays paid', async () => {
    const { client, seal } = await enterpriseWithAdmin('证书乙公司');
    const applied = await client.post('/console/certificate-orders', { sealId: seal('official').id });
    const submitted = await orderReaches(client, applied.json.id, 'pending_payment');
    expect(await ca.staff.act(submitted.caOrderId, 'mark-paid')).toBe(303);
    const refreshed = await client.post(`/console/certificate-orders/${applied.json.id}/refresh`);
    expect(refreshed.status).toBe(200);
    expect(refreshed.json.status).toBe('paid');
    const refused = await client.post(`/console/certificate-orders/${applied.json.id}/cancel`, { reason: '不需要了' });
    expect(refused.status).toBe(422);
    expect(refused.json.error).toMatchObject({ code: 'ORDER_PAID', message: expect.stringContaining('订单已支付，无法撤销'), messageEn: expect.stringContaining('paid') });
    expect((await client.get(`/console/certificate-orders/${applied.json.id}`)).json.status).toBe('paid');
  });

  it('撤销 while unpaid ends the order at the CA, frees the seal for a new order, and needs a reason', async () => {
    const { client, seal } = await enterpriseWithAdmin('证书丙公司');
    const sealId = seal('official').id;
    const applied = await client.post('/console/certificate-orders', { sealId });
    await orderReaches(client, applied.json.id, 'pending_payment');
    expect((await client.post(`/console/certificate-orders/${applied.json.id}/cancel`, {})).status).toBe(400);
    const cancelled = await client.post(`/console/certificate-orders/${applied.json.id}/cancel`, { reason: '重复申请' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.json).toMatchObject({ status: 'cancelled', open: false, rejectReason: expect.any(String) });
    expect((await client.post(`/console/certificate-orders/${applied.json.id}/cancel`, { reason: '再次' })).status).toBe(409);
    // The ended order's key is never used again: the reconcile pass's housekeeping forgets it.
    const keyOf = async () => (await platform.services.orm.em.fork().findOneOrFail(CertificateOrderSchema, { id: applied.json.id }, { populate: ['privateKeyEncrypted'] })).privateKeyEncrypted;
    expect(await keyOf()).not.toBeNull();
    expect(await forgetEndedOrderKeys(platform.services.orm.em.fork())).toBeGreaterThanOrEqual(1);
    expect(await keyOf()).toBeNull();
    const again = await client.post('/console/certificate-orders', { sealId });
    expect(again.status).toBe(202);
    await orderReaches(client, again.json.id, 'pending_payment');
  });

  it('撤销 of an order that cannot get to the CA (待提交: submit failing before its claim, or claimed and refused 401 by the CA) ends it on the platform (audited) and frees the seal', async () => {
    const { client, seal } = await enterpriseWithAdmin('证书待提交公司');
    const unreached = seal('official').id;
    const wrongKey = seal('contract').id;
    brokenCa.unreached.add(unreached);
    brokenCa.wrongKey.add(wrongKey);
    const orders = { [unreached]: '', [wrongKey]: '' };
    for (const sealId of [unreached, wrongKey]) {
      const applied = await client.post('/console/certificate-orders', { sealId });
      expect(applied.status).toBe(202);
      orders[sealId] = applied.json.id as string;
    }
    // The first step has used its bounded retries (5): the workflow waits its interval, the Update runs at once.
    await eventually(async () => (brokenCa.submitCalls.get(unreached) ?? 0) >= 5 && (brokenCa.submitCalls.get(wrongKey) ?? 0) >= 5, 40_000, 'failed submits');
    const em = platform.services.orm.em.fork();
    const before = await em.find(CertificateOrderSchema, { id: { $in: Object.values(orders) } });
    expect(Object.fromEntries(before.map((o) => [o.sealId, [o.status, o.caOrderId, o.submittedAt !== null]]))).toEqual({ [unreached]: ['pending_submission', null, false], [wrongKey]: ['pending_submission', null, true] });
    const shown = await client.get(`/console/certificate-orders/${orders[wrongKey]}`);
    expect(shown.json).toMatchObject({ status: 'pending_submission', mayCancel: true });

    for (const sealId of [unreached, wrongKey]) {
      const cancelled = await client.post(`/console/certificate-orders/${orders[sealId]}/cancel`, { reason: '长时间未提交' });
      expect(cancelled.status, JSON.stringify(cancelled.json)).toBe(200);
      expect(cancelled.json).toMatchObject({ status: 'cancelled', open: false, mayCancel: false, rejectReason: '长时间未提交', caOrderId: null, endedAt: expect.any(String) });
      expect((await client.post(`/console/certificate-orders/${orders[sealId]}/cancel`, { reason: '再次' })).status).toBe(409);
      await eventually(async () => ((await platform.temporal.workflow.getHandle(certificateOrderWorkflowId(orders[sealId]!)).describe()).status.name === 'COMPLETED' ? true : null), 10_000, 'order workflow completed');
      const audit = await platform.services.orm.em.fork().find(AuditEventSchema, { action: 'certificate_order.cancelled', targetId: orders[sealId] });
      expect(audit).toHaveLength(1);
      expect(audit[0]!.actorName).toBe('证书待提交公司管理员');
      expect(JSON.parse(audit[0]!.detail!)).toMatchObject({ from: 'pending_submission', to: 'cancelled', reason: '长时间未提交', claimed: sealId === wrongKey });
    }
    const after = await platform.services.orm.em.fork().find(CertificateOrderSchema, { id: { $in: Object.values(orders) } });
    expect(after.map((o) => [o.status, o.liveKey])).toEqual([['cancelled', null], ['cancelled', null]]);

    // The seals are free again: new orders get to the CA once it can be reached.
    brokenCa.unreached.delete(unreached);
    brokenCa.wrongKey.delete(wrongKey);
    for (const sealId of [unreached, wrongKey]) {
      const again = await client.post('/console/certificate-orders', { sealId });
      expect(again.status, JSON.stringify(again.json)).toBe(202);
      await orderReaches(client, again.json.id, 'pending_payment');
    }
  });

  it('an enterprise named past X.509’s 64 characters (certified before names were held to what a seal can carry) still gets its seal certificate: the subject carries the name cut to 64, bound by USCC and seal id', async () => {
    const longName = `${'浙江省杭州市西湖区某某数字科技发展有限责任公司'.repeat(3)}长名`.slice(0, 70);
    const { enterprise, client, seal } = await enterpriseWithAdmin(`长名证书公司${Date.now() % 100000}`);
    const em = platform.services.orm.em.fork();
    await em.nativeUpdate(EnterpriseSchema, { id: enterprise.id }, { name: longName });
    await em.nativeUpdate(SealSchema, { id: seal('official').id }, { name: `${longName}公章` });
    const official = await em.findOneOrFail(SealSchema, { id: seal('official').id });
    expect(official.name).toBe(`${longName}公章`);
    const applied = await client.post('/console/certificate-orders', { sealId: official.id });
    expect(applied.status, JSON.stringify(applied.json)).toBe(202);
    const submitted = await orderReaches(client, applied.json.id, 'pending_payment');
    for (const action of ['mark-paid', 'start-audit', 'approve'] as const) expect(await ca.staff.act(submitted.caOrderId, action)).toBe(303);
    const issued = await orderReaches(client, applied.json.id, 'issued');
    const cert = await platform.services.orm.em.fork().findOneOrFail(SigningCertificateSchema, { id: issued.certificateId });
    expect(readSealBinding(cert.certificatePem)).toEqual({ enterpriseName: [...longName].slice(0, 64).join(''), uscc: enterprise.uscc, sealName: [...official.name].slice(0, 64).join(''), sealId: official.id });
  });

  it('parallel applies for one seal create exactly one order', async () => {
    const { client, seal } = await enterpriseWithAdmin('证书丁公司');
    const sealId = seal('contract').id;
    const answers = await Promise.all(Array.from({ length: 6 }, () => client.post('/console/certificate-orders', { sealId })));
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([202, 409, 409, 409, 409, 409]);
    expect(answers.find((a) => a.status === 409)!.json.error.code).toBe('CERTIFICATE_ORDER_OPEN');
    expect(await platform.services.orm.em.fork().count(CertificateOrderSchema, { sealId })).toBe(1);
  });

  it('企业证书更新: an expiring certificate is listed and renewed with a renewal order; the old one stays valid', async () => {
    const { client, seal } = await enterpriseWithAdmin('证书戊公司');
    const sealId = seal('official').id;
    const applied = await client.post('/console/certificate-orders', { sealId });
    const submitted = await orderReaches(client, applied.json.id, 'pending_payment');
    for (const step of ['mark-paid', 'start-audit', 'approve'] as const) expect(await ca.staff.act(submitted.caOrderId, step)).toBe(303);
    const issued = await orderReaches(client, applied.json.id, 'issued');
    // Ten days left: as if a year had passed.
    const em = platform.services.orm.em.fork();
    await em.nativeUpdate(SigningCertificateSchema, { id: issued.certificateId }, { notAfter: new Date(Date.now() + 10 * 86_400_000) });
    const expiring = await client.get(`/console/certificates?filter=${encodeURIComponent(JSON.stringify({ scope: 'expiring' }))}`);
    expect(expiring.json).toEqual([expect.objectContaining({ id: issued.certificateId, sealId, state: 'expiring', daysLeft: 10, openOrderId: null })]);
    expect((await client.get(`/console/certificates?filter=${encodeURIComponent(JSON.stringify({ scope: 'expired' }))}`)).json).toEqual([]);
    expect((await sealCertificateState(em, sealId)).state).toBe('expiring');

    const renewed = await client.post('/console/certificates/renew', { certificateIds: [issued.certificateId] });
    expect(renewed.status).toBe(202);
    expect(renewed.json.orders).toEqual([expect.objectContaining({ sealId, kind: 'renewal', renewsCertificateId: issued.certificateId })]);
    await orderReaches(client, renewed.json.orders[0].id, 'pending_payment');
    expect((await client.post('/console/certificates/renew', { certificateIds: [issued.certificateId] })).status).toBe(409);
    expect((await activeSealCertificate(em, sealId))?.id).toBe(issued.certificateId);
  });

  it('an order whose workflow was terminated in Temporal UI is picked up again by the reconciler and followed to its end', async () => {
    const { client, seal } = await enterpriseWithAdmin('证书己公司');
    const applied = await client.post('/console/certificate-orders', { sealId: seal('contract').id });
    const submitted = await orderReaches(client, applied.json.id, 'pending_payment');
    const handle = platform.temporal.workflow.getHandle(certificateOrderWorkflowId(applied.json.id));
    await handle.terminate('operator pressed Terminate');
    expect(await ca.staff.act(submitted.caOrderId, 'mark-paid')).toBe(303);
    // Terminate runs no code: the row stays open, and nothing follows the CA any more.
    expect((await client.get(`/console/certificate-orders/${applied.json.id}`)).json.status).toBe('pending_payment');

    const result = await platform.temporal.workflow.execute(contractReconcileWorkflow, {
      taskQueue: platform.config.temporal.taskQueue,
      workflowId: `reconcile-test-${randomUUID()}`,
      args: [{ certificateOrders: { startGraceMs: 0 }, transfers: { startGraceMs: 0 } }],
    });
    expect(result.certificateOrders?.restarted).toContainEqual({ orderId: applied.json.id, status: 'pending_payment', cause: 'workflow_closed' });
    await orderReaches(client, applied.json.id, 'paid');
    expect((await handle.describe()).status.name).toBe('RUNNING');
    for (const step of ['start-audit', 'approve'] as const) expect(await ca.staff.act(submitted.caOrderId, step)).toBe(303);
    await orderReaches(client, applied.json.id, 'issued');
  });

  it('an order that ended on the platform with its CA order left open (every submit answer lost, the CA unreachable when 撤销 looked): the reconciler cancels it at the CA', async () => {
    const { admin, enterprise, seal } = await enterpriseWithAdmin('证书辛公司');
    const em = () => platform.services.orm.em.fork();
    const e = await em().findOneOrFail(EnterpriseSchema, { id: enterprise.id });
    const x = em();
    const order = await applyForSealCertificate(x, e, seal('official').id, { user: admin, actor: { id: admin.id, name: admin.name, ip: null }, membership: await activeMembership(x, e.id, admin) });
    const real = createCaOrderGateway(platform.config);
    const answerLost: CaOrderGateway = { ...real, submit: async (req) => { await real.submit(req); throw new Error('CA service POST /api/orders failed: socket hang up'); } };
    await expect(submitCertificateOrder(em(), answerLost, platform.config.masterKey, order.id)).rejects.toThrow('socket hang up');
    const lookupFails: CaOrderGateway = { ...real, findByPlatformOrderId: async () => Promise.reject(new Error('CA service GET /api/orders/by-platform-id failed: connect ECONNREFUSED')) };
    expect((await cancelCertificateOrder(em(), lookupFails, order.id, admin.id, '不需要了')).status).toBe('cancelled');
    // The platform's order has ended; the CA still holds an unpaid order under its id.
    expect((await real.findByPlatformOrderId(order.id))?.status).toBe('pending_payment');

    const result = await platform.temporal.workflow.execute(contractReconcileWorkflow, {
      taskQueue: platform.config.temporal.taskQueue,
      workflowId: `reconcile-test-${randomUUID()}`,
      args: [{ certificateOrders: { startGraceMs: 0, atCa: { graceMs: 0 } }, transfers: { startGraceMs: 0 } }],
    });
    expect(result.certificateOrders?.atCa.settled).toContainEqual({ orderId: order.id, atCa: 'cancelled' });
    const atCa = await real.findByPlatformOrderId(order.id);
    expect(atCa?.status).toBe('cancelled');
    expect((await em().findOneOrFail(CertificateOrderSchema, { id: order.id })).caOrderId).toBe(atCa?.caOrderId);
  });

  it('a CA that refuses the submission ends the order as 已驳回 with the CA’s reason (not retried forever), freeing the seal', async () => {
    const { admin, enterprise, seal } = await enterpriseWithAdmin('证书庚公司');
    const em = platform.services.orm.em.fork();
    const e = await em.findOneOrFail(EnterpriseSchema, { id: enterprise.id });
    const order = await applyForSealCertificate(em, e, seal('official').id, { user: admin, actor: { id: admin.id, name: admin.name, ip: null }, membership: await activeMembership(em, e.id, admin) });
    const refusing = { submit: async () => Promise.reject(new CaRefusal('BAD_REQUEST', '企业信息不完整，CA 不予受理', 'The CA does not accept this request')) } as unknown as CaOrderGateway;
    const progress = await submitCertificateOrder(platform.services.orm.em.fork(), refusing, platform.config.masterKey, order.id);
    expect(progress).toMatchObject({ status: 'rejected', caIssued: false });
    const row = await platform.services.orm.em.fork().findOneOrFail(CertificateOrderSchema, { id: order.id });
    expect([row.status, row.rejectReason, row.liveKey]).toEqual(['rejected', '企业信息不完整，CA 不予受理', null]);
    expect(await platform.services.orm.em.fork().count(AuditEventSchema, { action: 'certificate_order.rejected', targetId: order.id })).toBe(1);
  });

  it('a seal voided while its order is unpaid (重新认证, 变更法人): 继续认证 is refused, the next poll cancels the order at the CA (audited) and the workflow ends', async () => {
    const { admin, enterprise, client, seal } = await enterpriseWithAdmin('证书作废甲公司');
    const applied = await client.post('/console/certificate-orders', { sealId: seal('official').id });
    const submitted = await orderReaches(client, applied.json.id, 'pending_payment');
    const em = platform.services.orm.em.fork();
    await em.transactional((tx) => voidEnterpriseSeals(tx, { enterpriseId: enterprise.id, types: ['official'], reason: 'enterprise_renamed', changeId: randomUUID(), actor: { id: admin.id, name: admin.name, ip: null } }));
    const refused = await client.get(`/console/certificate-orders/${applied.json.id}/continue`);
    expect(refused.status).toBe(409);
    expect(refused.json.error).toMatchObject({ code: 'SEAL_VOIDED', message: expect.stringContaining('印章已作废') });
    const ended = await orderReaches(client, applied.json.id, 'cancelled');
    expect(ended).toMatchObject({ open: false, rejectReason: VOIDED_SEAL_REASON });
    expect((await createCaOrderGateway(platform.config).get(submitted.caOrderId)).status).toBe('cancelled');
    expect(await platform.services.orm.em.fork().count(AuditEventSchema, { action: 'certificate_order.cancelled', targetId: applied.json.id })).toBe(1);
    await eventually(async () => ((await platform.temporal.workflow.getHandle(certificateOrderWorkflowId(applied.json.id)).describe()).status.name === 'COMPLETED' ? true : null), 10_000, 'order workflow completed');
  });

  it('an order not yet at the CA whose seal was voided ends 已撤销 without calling the CA (audited, its live key freed)', async () => {
    const { admin, enterprise, seal } = await enterpriseWithAdmin('证书作废乙公司');
    const em = platform.services.orm.em.fork();
    const e = await em.findOneOrFail(EnterpriseSchema, { id: enterprise.id });
    const order = await applyForSealCertificate(em, e, seal('official').id, { user: admin, actor: { id: admin.id, name: admin.name, ip: null }, membership: await activeMembership(em, e.id, admin) });
    await platform.services.orm.em.fork().transactional((tx) => voidEnterpriseSeals(tx, { enterpriseId: enterprise.id, types: ['official'], reason: 'legal_representative_changed', changeId: randomUUID(), actor: { id: admin.id, name: admin.name, ip: null } }));
    const untouched = new Proxy({}, { get: () => () => Promise.reject(new Error('the CA must not be called')) }) as CaOrderGateway;
    const progress = await submitCertificateOrder(platform.services.orm.em.fork(), untouched, platform.config.masterKey, order.id);
    expect(progress).toMatchObject({ status: 'cancelled', caIssued: false });
    const row = await platform.services.orm.em.fork().findOneOrFail(CertificateOrderSchema, { id: order.id });
    expect([row.status, row.rejectReason, row.liveKey, row.caOrderId]).toEqual(['cancelled', VOIDED_SEAL_REASON, null, null]);
    expect(await platform.services.orm.em.fork().count(AuditEventSchema, { action: 'certificate_order.cancelled', targetId: order.id })).toBe(1);
  });

  it('继续认证 answers the CA’s refusal as a 4xx with its message (not as the CA being down)', async () => {
    const { admin, enterprise, client, seal } = await enterpriseWithAdmin('证书癸公司');
    const em = platform.services.orm.em.fork();
    const e = await em.findOneOrFail(EnterpriseSchema, { id: enterprise.id });
    const order = await applyForSealCertificate(em, e, seal('official').id, { user: admin, actor: { id: admin.id, name: admin.name, ip: null }, membership: await activeMembership(em, e.id, admin) });
    // An order id the real CA service does not know.
    await platform.services.orm.em.fork().nativeUpdate(CertificateOrderSchema, { id: order.id }, { status: 'pending_payment', caOrderId: '00000000-0000-4000-8000-000000000000' });
    const refused = await client.get(`/console/certificate-orders/${order.id}/continue`);
    expect(refused.status).toBe(422);
    expect(refused.json.error).toMatchObject({ code: 'ORDER_NOT_FOUND', message: '订单不存在' });
  });

  it('a CA that no longer knows a submitted order ends it as 已驳回 instead of polling forever', async () => {
    const { admin, enterprise, seal } = await enterpriseWithAdmin('证书壬公司');
    const em = platform.services.orm.em.fork();
    const e = await em.findOneOrFail(EnterpriseSchema, { id: enterprise.id });
    const order = await applyForSealCertificate(em, e, seal('official').id, { user: admin, actor: { id: admin.id, name: admin.name, ip: null }, membership: await activeMembership(em, e.id, admin) });
    await platform.services.orm.em.fork().nativeUpdate(CertificateOrderSchema, { id: order.id }, { status: 'paid', caOrderId: 'lost-at-the-ca' });
    const forgetful = { get: async () => Promise.reject(new CaRefusal('ORDER_NOT_FOUND', '订单不存在', 'Order not found')) } as unknown as CaOrderGateway;
    const progress = await pollCertificateOrder(platform.services.orm.em.fork(), forgetful, order.id);
    expect(progress).toMatchObject({ status: 'rejected', caIssued: false });
    const row = await platform.services.orm.em.fork().findOneOrFail(CertificateOrderSchema, { id: order.id });
    expect([row.status, row.rejectReason, row.liveKey]).toEqual(['rejected', '订单不存在', null]);
    const audit = await platform.services.orm.em.fork().findOneOrFail(AuditEventSchema, { action: 'certificate_order.rejected', targetId: order.id });
    expect(audit.detail).toContain('paid');
    // Other refusals of a status read are not final: they propagate (the workflow retries at the next interval).
    await platform.services.orm.em.fork().nativeUpdate(CertificateOrderSchema, { id: order.id }, { status: 'paid', liveKey: null });
    const busy = { get: async () => Promise.reject(new CaRefusal('RATE_LIMITED', '请求过于频繁', 'Too many requests')) } as unknown as CaOrderGateway;
    await expect(pollCertificateOrder(platform.services.orm.em.fork(), busy, order.id)).rejects.toThrow('请求过于频繁');
  });

  it('Temporal unreachable: 申请 answers 503 with Retry-After, the order row is ended (audited) and the seal is free again', async () => {
    const { admin, enterprise, seal } = await enterpriseWithAdmin('证书辛公司');
    const withoutTemporal = await startApiWithoutTemporal(platform.services);
    try {
      const deadClient = new ApiClient(withoutTemporal.baseUrl);
      await deadClient.login(admin.mobile, TEST_PASSWORD);
      await deadClient.post('/auth/acting', { enterpriseId: enterprise.id });
      const sealId = seal('official').id;
      const down = await deadClient.post('/console/certificate-orders', { sealId });
      expect(down.status).toBe(503);
      expect(down.headers.get('retry-after')).toBe('5');
      expect(down.json.error.code).toBe('WORKFLOW_START_FAILED');
      const em = platform.services.orm.em.fork();
      const [row] = await em.find(CertificateOrderSchema, { sealId });
      expect([row!.status, row!.liveKey, row!.caOrderId]).toEqual(['cancelled', null, null]);
      expect(row!.version).toBeGreaterThan(1); // moved on: a submit that loaded version 1 cannot write over the ending
      expect(await em.count(AuditEventSchema, { action: 'certificate_order.cancelled', targetId: row!.id })).toBe(1);
    } finally {
      await withoutTemporal.close();
    }
    const client = await enterpriseClient(admin.mobile, enterprise.id);
    expect((await client.post('/console/certificate-orders', { sealId: seal('official').id })).status).toBe(202);
  });
});
