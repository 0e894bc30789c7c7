/**
 * The CA order service as a real process (started once per run by global-setup on the run's
 * platform database), driven through the platform's adapter (machine API) and its staff pages
 * (login + CSRF-valid form POSTs), like the CA's staff and the platform would.
 */
import { X509Certificate as NodeX509, createPublicKey, randomUUID } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../../config';
import { createServices, type Services } from '../../bootstrap/services';
import { CaRefusal, type CaOrderRequest } from '../../integrations/ca-orders/ca-order-gateway';
import { createHttpCaOrderGateway } from '../../integrations/ca-orders/http-ca-order-gateway';
import { createKeyAndCsr } from '../../integrations/ca/csr';
import { readSealBinding } from '../../integrations/ca/seal-subject';
import * as x509 from '../../integrations/ca/x509';
import { TEST_MASTER_KEY } from '../harness/ca-service-process';

const baseUrl = inject('caServiceUrl');
const gateway = createHttpCaOrderGateway({ baseUrl, apiKey: inject('caServiceApiKey'), timeoutMs: 15_000 });
let services: Services;

/** 18-character USCCs that pass the GB 32100 character rules. */
const uscc = () => `91330106MA${randomUUID().replace(/[^0-9]/g, '').padEnd(8, '7').slice(0, 8)}`;

async function request(overrides: Partial<CaOrderRequest> = {}): Promise<CaOrderRequest & { privateKeyPem: string }> {
  const { csrPem, privateKeyPem } = await createKeyAndCsr({ commonName: 'seal' });
  return { platformOrderId: randomUUID(), enterpriseName: '杭州示例科技有限公司', uscc: uscc(), sealId: randomUUID(), sealName: '合同专用章', csrPem, validityDays: 365, kind: 'new', privateKeyPem, ...overrides };
}

async function refusal(p: Promise<unknown>): Promise<CaRefusal> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(CaRefusal);
  return err as CaRefusal;
}

/** A logged-in CA staff member: cookie + the page's CSRF token, POSTs with the service's Origin. */
async function staffLogin(password = inject('caServiceStaffPassword')) {
  const res = await fetch(`${baseUrl}/staff/login`, { method: 'POST', redirect: 'manual', headers: { origin: baseUrl, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ password }) });
  expect(res.status).toBe(303);
  const setCookie = res.headers.get('set-cookie')!;
  expect(setCookie).toMatch(/HttpOnly/i);
  expect(setCookie).toMatch(/SameSite=Strict/i);
  const cookie = setCookie.split(';')[0]!;
  const get = (p: string) => fetch(`${baseUrl}${p}`, { headers: { cookie }, redirect: 'manual' });
  const list = await (await get('/staff/orders')).text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(list)![1]!;
  const post = (p: string, fields: Record<string, string> = {}, headers: Record<string, string> = { origin: baseUrl }) =>
    fetch(`${baseUrl}${p}`, { method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams({ _csrf: csrf, ...fields }) });
  return { cookie, csrf, get, post };
}
type Staff = Awaited<ReturnType<typeof staffLogin>>;
let staff: Staff;

async function staffAct(id: string, action: 'mark-paid' | 'start-audit' | 'approve' | 'reject', fields: Record<string, string> = {}) {
  const res = await staff.post(`/staff/orders/${id}/${action}`, fields);
  expect(res.status, await res.clone().text()).toBe(303);
  expect(res.headers.get('location')).toBe(`/staff/orders/${id}?done=${action}`);
}

beforeAll(async () => {
  // The platform (as every test platform does) migrates the run's database and sets up its CA there.
  services = await createServices(loadConfig({ DATABASE_URL: inject('databaseUrl'), MASTER_KEY: TEST_MASTER_KEY, DATA_DIR: path.join(inject('runDir'), 'data') }));
  staff = await staffLogin();
});

afterAll(async () => {
  await services?.close();
});

describe('CA order service: machine API', () => {
  it('submit is idempotent on platformOrderId (also when sent in parallel); a reused id with another request is refused; an order is found by its platform order id', async () => {
    const req = await request();
    const first = await gateway.submit(req);
    expect(first).toMatchObject({ status: 'pending_payment', amountFen: 30_000, certificatePem: null, chainPem: [], paidAt: null, platformOrderId: req.platformOrderId });
    expect((await gateway.submit(req)).caOrderId).toBe(first.caOrderId);

    const parallel = await request();
    const ids = new Set((await Promise.all(Array.from({ length: 6 }, () => gateway.submit(parallel)))).map((s) => s.caOrderId));
    expect(ids.size).toBe(1);

    const other = await request({ platformOrderId: req.platformOrderId });
    expect((await refusal(gateway.submit(other))).code).toBe('PLATFORM_ORDER_ID_REUSED');
    expect(await gateway.get(first.caOrderId)).toMatchObject({ caOrderId: first.caOrderId, status: 'pending_payment' });
    expect((await refusal(gateway.get(randomUUID()))).code).toBe('ORDER_NOT_FOUND');
    // Found by the platform order id (how a submit whose answers were all lost learns its CA order); none is created.
    expect(await gateway.findByPlatformOrderId(req.platformOrderId)).toMatchObject({ caOrderId: first.caOrderId, status: 'pending_payment', platformOrderId: req.platformOrderId });
    const unknown = `never-submitted-${randomUUID()}`;
    expect(await gateway.findByPlatformOrderId(unknown)).toBeNull();
    expect(await gateway.findByPlatformOrderId(unknown)).toBeNull();
  });

  it('refuses a forged CSR and an invalid subject at submit (422/400 → CaRefusal)', async () => {
    const req = await request();
    const der = Buffer.from(new x509.Pkcs10CertificateRequest(req.csrPem).rawData);
    der[der.length - 3]! ^= 0x01;
    const forged = x509.PemConverter.encode(der, 'CERTIFICATE REQUEST');
    const e = await refusal(gateway.submit({ ...req, csrPem: forged }));
    expect(e.code).toBe('CSR_SIGNATURE_INVALID');
    expect(e.messageZh).toContain('证书请求');
    expect((await refusal(gateway.submit({ ...req, uscc: 'not-a-uscc' }))).code).toBe('INVALID_ORDER');
  });

  it('wrong or missing API key → 401, which the adapter reports as an infrastructure error (not a refusal)', async () => {
    for (const authorization of ['Bearer wrong-key', '', `Bearer ${inject('caServiceApiKey')}x`]) {
      const res = await fetch(`${baseUrl}/api/orders/${randomUUID()}`, { headers: authorization ? { authorization } : {} });
      expect(res.status).toBe(401);
      expect((await res.json()).error).toEqual({ code: 'UNAUTHENTICATED', message: 'API 密钥无效', messageEn: 'Invalid or missing API key' });
    }
    const wrong = createHttpCaOrderGateway({ baseUrl, apiKey: 'wrong-key-0123456789', timeoutMs: 5000 });
    const err = await wrong.submit(await request()).then(() => null, (e: unknown) => e as Error);
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(CaRefusal);
    expect(err!.message).toMatch(/HTTP 401/);
  });

  it('limits request bodies (413) and refuses malformed JSON (400)', async () => {
    const headers = { authorization: `Bearer ${inject('caServiceApiKey')}`, 'content-type': 'application/json' };
    const big = await fetch(`${baseUrl}/api/orders`, { method: 'POST', headers, body: JSON.stringify({ csrPem: 'x'.repeat(100_000) }) });
    expect(big.status).toBe(413);
    expect((await big.json()).error.code).toBe('BODY_TOO_LARGE');
    const bad = await fetch(`${baseUrl}/api/orders`, { method: 'POST', headers, body: '{nope' });
    expect(bad.status).toBe(400);
  });
});

describe('CA order service: lifecycle through the staff pages', () => {
  it('pending → paid → auditing → issued: cancel refused when paid / auditing / issued; the certificate chains to the platform root and binds USCC + seal', async () => {
    const req = await request();
    const { caOrderId } = await gateway.submit(req);

    await staffAct(caOrderId, 'mark-paid');
    const paid = await gateway.get(caOrderId);
    expect(paid.status).toBe('paid');
    expect(paid.paidAt).not.toBeNull();
    const whenPaid = await refusal(gateway.cancel(caOrderId, '不想要了'));
    expect(whenPaid).toMatchObject({ code: 'ORDER_PAID', messageZh: '订单已支付，无法撤销；如需退款请联系 CA', messageEn: 'The order has been paid and can no longer be cancelled; contact the CA for a refund' });

    await staffAct(caOrderId, 'start-audit');
    expect((await gateway.get(caOrderId)).status).toBe('auditing');
    const whenAuditing = await refusal(gateway.cancel(caOrderId, '不想要了'));
    expect(whenAuditing).toMatchObject({ code: 'ORDER_AUDITED', messageZh: '订单已进入审核，无法撤销', messageEn: 'The order is under audit and can no longer be cancelled' });

    await staffAct(caOrderId, 'approve');
    const issued = await gateway.get(caOrderId);
    expect(issued).toMatchObject({ status: 'issued', rejectReason: null });
    expect(issued.issuedAt).not.toBeNull();
    expect(issued.auditedAt).not.toBeNull();
    expect((await refusal(gateway.cancel(caOrderId, 'x'))).code).toBe('ORDER_FINISHED');

    // Issued by the platform CA: chain = [issuing, root] of the platform database's CA material.
    expect(issued.chainPem).toEqual(services.ca.chainPem());
    const cert = new NodeX509(issued.certificatePem!);
    expect(cert.verify(new NodeX509(issued.chainPem[0]!).publicKey)).toBe(true);
    expect(new NodeX509(issued.chainPem[0]!).verify(new NodeX509(services.ca.rootCertificatePem()).publicKey)).toBe(true);
    expect(cert.serialNumber.toLowerCase()).toBe(issued.serialNumber);
    // Bound to the enterprise, its USCC and the seal; for the key the platform holds.
    expect(readSealBinding(issued.certificatePem!)).toEqual({ enterpriseName: req.enterpriseName, uscc: req.uscc, sealName: req.sealName, sealId: req.sealId });
    expect(cert.publicKey.export({ format: 'der', type: 'spki' }).equals(createPublicKey(req.privateKeyPem).export({ format: 'der', type: 'spki' }))).toBe(true);

    const events = (await (await fetch(`${baseUrl}/api/orders/${caOrderId}/events`, { headers: { authorization: `Bearer ${inject('caServiceApiKey')}` } })).json()).events as { action: string; actor: string; at: string }[];
    expect(events.map((e) => e.action)).toEqual(['submitted', 'paid', 'audit_started', 'issued']);
    for (const e of events) expect(Number.isNaN(Date.parse(e.at))).toBe(false);

    // A second approval (another staff tab) is refused with the current status.
    const again = await staff.post(`/staff/orders/${caOrderId}/approve`);
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('订单当前为「已签发」，不能审核通过并签发');
  });

  it('rejects with a reason the applicant sees; a reason is required', async () => {
    const { caOrderId } = await gateway.submit(await request());
    await staffAct(caOrderId, 'mark-paid');
    await staffAct(caOrderId, 'start-audit');
    expect((await staff.post(`/staff/orders/${caOrderId}/reject`, { reason: '  ' })).status).toBe(400);
    await staffAct(caOrderId, 'reject', { reason: '营业执照照片不清晰' });
    const rejected = await gateway.get(caOrderId);
    expect(rejected).toMatchObject({ status: 'rejected', rejectReason: '营业执照照片不清晰', certificatePem: null });
    expect(rejected.rejectedAt).not.toBeNull();
    expect((await refusal(gateway.cancel(caOrderId, 'x'))).code).toBe('ORDER_FINISHED');
  });

  it('cancel is accepted while unpaid (and repeating it answers the same); staff can no longer mark it paid', async () => {
    const { caOrderId } = await gateway.submit(await request());
    const cancelled = await gateway.cancel(caOrderId, '申请信息有误');
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.cancelledAt).not.toBeNull();
    expect((await gateway.cancel(caOrderId, '申请信息有误')).status).toBe('cancelled');
    const res = await staff.post(`/staff/orders/${caOrderId}/mark-paid`);
    expect(res.status).toBe(409);
    expect(await res.text()).toContain('订单当前为「已撤销」，不能标记已支付');
  });

  it('parallel “mark paid” requests: exactly one changes the order, the others are refused; one event', async () => {
    const { caOrderId } = await gateway.submit(await request());
    const answers = await Promise.all(Array.from({ length: 8 }, () => staff.post(`/staff/orders/${caOrderId}/mark-paid`)));
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses).toEqual([303, 409, 409, 409, 409, 409, 409, 409]);
    const events = (await (await fetch(`${baseUrl}/api/orders/${caOrderId}/events`, { headers: { authorization: `Bearer ${inject('caServiceApiKey')}` } })).json()).events as { action: string }[];
    expect(events.filter((e) => e.action === 'paid')).toHaveLength(1);
  });
});

describe('CA order service: staff sign-in and CSRF', () => {
  it('wrong password → 401; POSTs without the CSRF token, from another origin or without a session are refused', async () => {
    const wrong = await fetch(`${baseUrl}/staff/login`, { method: 'POST', redirect: 'manual', headers: { origin: baseUrl, 'content-type': 'application/x-www-form-urlencoded' }, body: 'password=wrong-password' });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();
    expect(await wrong.text()).toContain('密码错误');
    const noOrigin = await fetch(`${baseUrl}/staff/login`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ password: inject('caServiceStaffPassword') }) });
    expect(noOrigin.status).toBe(403);

    const { caOrderId } = await gateway.submit(await request());
    const missingToken = await fetch(`${baseUrl}/staff/orders/${caOrderId}/mark-paid`, { method: 'POST', redirect: 'manual', headers: { cookie: staff.cookie, origin: baseUrl, 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
    expect(missingToken.status).toBe(403);
    expect((await staff.post(`/staff/orders/${caOrderId}/mark-paid`, {}, { origin: 'https://evil.example' })).status).toBe(403);
    const noSession = await fetch(`${baseUrl}/staff/orders/${caOrderId}/mark-paid`, { method: 'POST', redirect: 'manual', headers: { origin: baseUrl, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: staff.csrf }) });
    expect(noSession.status).toBe(401);
    expect((await gateway.get(caOrderId)).status).toBe('pending_payment');
    // Pages need a session too.
    const page = await fetch(`${baseUrl}/staff/orders`, { redirect: 'manual' });
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/staff/login');
  });

  it('lists orders with status and text filters', async () => {
    const req = await request({ enterpriseName: `筛选测试${randomUUID().slice(0, 6)}有限公司` });
    const { caOrderId } = await gateway.submit(req);
    const byName = await (await staff.get(`/staff/orders?q=${encodeURIComponent(req.enterpriseName)}`)).text();
    expect(byName).toContain(`/staff/orders/${caOrderId}`);
    expect(byName).toContain('共 1 个订单');
    const paidOnly = await (await staff.get(`/staff/orders?status=paid&q=${encodeURIComponent(req.enterpriseName)}`)).text();
    expect(paidOnly).not.toContain(`/staff/orders/${caOrderId}`);
    const pending = await (await staff.get(`/staff/orders?status=pending_payment&q=${req.uscc}`)).text();
    expect(pending).toContain(`/staff/orders/${caOrderId}`);
  });
});

describe('CA order service: applicant page and HTML escaping', () => {
  it('a path that is not valid %-encoding is a 400, on the API and on the public applicant page (was a 500 and an error log line)', async () => {
    const api = await fetch(`${baseUrl}/api/orders/%E0%A4%A`, { headers: { authorization: `Bearer ${inject('caServiceApiKey')}`, accept: 'application/json' } });
    expect([api.status, (await api.json()).error.code]).toEqual([400, 'BAD_REQUEST']);
    const status = await fetch(`${baseUrl}/api/certificates/%ZZ/status`, { headers: { authorization: `Bearer ${inject('caServiceApiKey')}`, accept: 'application/json' } });
    expect(status.status).toBe(400);
    const page = await fetch(`${baseUrl}/orders/%ZZ`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(400);
  });

  it('the applicant link shows status, amount and the next step; wrong or other orders’ tokens open nothing', async () => {
    const a = await gateway.submit(await request());
    const b = await gateway.submit(await request());
    const url = await gateway.applicantUrl(a.caOrderId);
    expect(url).toMatch(new RegExp(`^${baseUrl}/orders/${a.caOrderId}\\?t=[A-Za-z0-9_-]{43}$`));
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('referrer-policy')).toBe('same-origin');
    const body = await res.text();
    expect(body).toContain('待支付');
    expect(body).toContain('¥300.00');
    expect(body).toContain('请联系 CA 完成支付');
    const token = new URL(url).searchParams.get('t')!;
    expect((await fetch(`${baseUrl}/orders/${b.caOrderId}?t=${token}`)).status).toBe(404);
    expect((await fetch(`${baseUrl}/orders/${a.caOrderId}?t=${token.slice(0, -2)}xx`)).status).toBe(404);
    expect((await fetch(`${baseUrl}/orders/${a.caOrderId}`)).status).toBe(404);
    // Each 继续认证 gets a fresh link; the earlier one stays valid until it expires.
    const second = await gateway.applicantUrl(a.caOrderId);
    expect(second).not.toBe(url);
    expect((await fetch(url)).status).toBe(200);
  });

  it('escapes a hostile enterprise name on the staff list, the staff detail and the applicant page', async () => {
    const hostile = `恶意<script>alert("x")</script><img src=x onerror=alert(1)>公司'&`;
    const { caOrderId } = await gateway.submit(await request({ enterpriseName: hostile, sealName: '<b>章</b>' }));
    const pages = [
      await (await staff.get(`/staff/orders?q=${encodeURIComponent('恶意')}`)).text(),
      await (await staff.get(`/staff/orders/${caOrderId}`)).text(),
      await (await fetch(await gateway.applicantUrl(caOrderId))).text(),
    ];
    for (const body of pages) {
      expect(body).not.toContain('<script>alert');
      expect(body).not.toContain('<img src=x');
      expect(body).not.toContain('<b>章');
      expect(body).toContain('恶意&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;公司&#39;&amp;');
    }
  });
});

describe('CA order service: revocation', () => {
  it('records a revocation (serial, reason, time) once, lists it in /crl and reports it per serial', async () => {
    const { caOrderId } = await gateway.submit(await request());
    await staffAct(caOrderId, 'mark-paid');
    await staffAct(caOrderId, 'start-audit');
    await staffAct(caOrderId, 'approve');
    const { serialNumber } = await gateway.get(caOrderId);
    const status = async () => (await fetch(`${baseUrl}/api/certificates/${serialNumber}/status`, { headers: { authorization: `Bearer ${inject('caServiceApiKey')}` } })).json();
    expect(await status()).toMatchObject({ status: 'good', revokedAt: null });

    await gateway.revokeCertificate(serialNumber!, '私钥泄露');
    const crl = (await (await fetch(`${baseUrl}/crl`)).json()) as { issuer: string; revoked: { serialNumber: string; reason: string; revokedAt: string }[] };
    const entry = crl.revoked.find((r) => r.serialNumber === serialNumber);
    expect(entry).toMatchObject({ serialNumber, reason: '私钥泄露' });
    expect(Math.abs(Date.parse(entry!.revokedAt) - Date.now())).toBeLessThan(60_000);
    expect(await status()).toMatchObject({ status: 'revoked', reason: '私钥泄露', revokedAt: entry!.revokedAt });

    // Idempotent: the first revocation stands.
    await gateway.revokeCertificate(serialNumber!, '另一个原因');
    const again = (await (await fetch(`${baseUrl}/crl`)).json()) as typeof crl;
    expect(again.revoked.filter((r) => r.serialNumber === serialNumber)).toEqual([entry]);
    expect((await refusal(gateway.revokeCertificate('abcdef0123', '私钥泄露'))).code).toBe('CERTIFICATE_NOT_FOUND');
    const detail = await (await staff.get(`/staff/orders/${caOrderId}`)).text();
    expect(detail).toContain('已吊销');
  });
});
