import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaRefusal, isCaRefusal } from './ca-order-gateway';
import { createCaOrderGateway, createHttpCaOrderGateway, MAX_ANSWER_BYTES } from './http-ca-order-gateway';

/** A scripted CA service: each path answers what the test says; requests are recorded. */
let answer: (req: http.IncomingMessage, body: string) => { status: number; body?: unknown; hangMs?: number };
const seen: { method: string; url: string; auth: string | undefined; body: string }[] = [];
let server: http.Server;
let baseUrl: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, auth: req.headers.authorization, body });
      const a = answer(req, body);
      setTimeout(() => {
        if (res.destroyed) return;
        res.writeHead(a.status, { 'content-type': 'application/json' });
        res.end(a.body === undefined ? '' : typeof a.body === 'string' ? a.body : JSON.stringify(a.body));
      }, a.hangMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const SNAPSHOT = { caOrderId: 'o-1', status: 'paid', amountFen: 30000, rejectReason: null, certificatePem: null, chainPem: [], paidAt: '2026-12-01T00:00:00.000Z', auditedAt: null, issuedAt: null, updatedAt: '2026-12-01T00:00:00.000Z' };

async function errorOf(p: Promise<unknown>): Promise<Error> {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(Error);
  return e as Error;
}

describe('HTTP CA order gateway', () => {
  const gateway = () => createHttpCaOrderGateway({ baseUrl: `${baseUrl}/`, apiKey: 'the-api-key-0123456789', timeoutMs: 500 });

  it('calls the machine API with the API key and returns its answers', async () => {
    answer = (req) => (req.url!.endsWith('/applicant-url') ? { status: 200, body: { url: 'http://ca/orders/o-1?t=abc' } } : { status: 200, body: req.url!.includes('o%2F1') ? { ...SNAPSHOT, caOrderId: 'o/1' } : SNAPSHOT });
    seen.length = 0;
    expect(await gateway().get('o-1')).toEqual(SNAPSHOT);
    expect(await gateway().cancel('o/1', '不要了')).toEqual({ ...SNAPSHOT, caOrderId: 'o/1' });
    expect(await gateway().applicantUrl('o-1')).toBe('http://ca/orders/o-1?t=abc');
    await gateway().revokeCertificate('abc123', '私钥泄露');
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual(['GET /api/orders/o-1', 'POST /api/orders/o%2F1/cancel', 'POST /api/orders/o-1/applicant-url', 'POST /api/certificates/abc123/revoke']);
    expect(seen.every((s) => s.auth === 'Bearer the-api-key-0123456789')).toBe(true);
    expect(JSON.parse(seen[1]!.body)).toEqual({ reason: '不要了' });
  });

  it('finds the order placed for a platform order id: the CA’s 404 ORDER_NOT_FOUND is none, any other 404 or a foreign order is an error', async () => {
    answer = (req) => (req.url!.includes('known') ? { status: 200, body: { ...SNAPSHOT, platformOrderId: 'known/1' } } : { status: 404, body: { error: { code: 'ORDER_NOT_FOUND', message: '订单不存在', messageEn: 'Order not found' } } });
    seen.length = 0;
    expect(await gateway().findByPlatformOrderId('known/1')).toEqual({ ...SNAPSHOT, platformOrderId: 'known/1' });
    expect(await gateway().findByPlatformOrderId('missing')).toBeNull();
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual(['GET /api/orders/by-platform-id/known%2F1', 'GET /api/orders/by-platform-id/missing']);
    answer = () => ({ status: 404, body: '<html>Not Found</html>' }); // a proxy's page, not the CA's answer
    expect(isCaRefusal(await errorOf(gateway().findByPlatformOrderId('p-1')))).toBe(false);
    answer = () => ({ status: 200, body: { ...SNAPSHOT, platformOrderId: 'someone-else' } });
    expect((await errorOf(gateway().findByPlatformOrderId('p-1'))).message).toMatch(/answered for platform order someone-else/);
  });

  it('maps 4xx refusals to CaRefusal with the CA’s zh/en messages (business: not retried)', async () => {
    for (const status of [400, 404, 409, 422]) {
      answer = () => ({ status, body: { error: { code: 'ORDER_PAID', message: '订单已支付，无法撤销', messageEn: 'The order has been paid' } } });
      const e = await errorOf(gateway().cancel('o-1', 'x'));
      expect(e).toBeInstanceOf(CaRefusal);
      expect(isCaRefusal(e)).toBe(true);
      expect(e).toMatchObject({ code: 'ORDER_PAID', messageZh: '订单已支付，无法撤销', messageEn: 'The order has been paid' });
    }
  });

  it('maps 5xx, 401, 429, non-JSON answers, timeouts and unreachable services to plain Errors (infrastructure: retried)', async () => {
    const cases: [ReturnType<typeof answer>, RegExp][] = [
      [{ status: 503, body: { error: { code: 'CA_NOT_READY', message: '未就绪', messageEn: 'not ready' } } }, /HTTP 503 CA_NOT_READY/],
      [{ status: 500, body: 'oops' }, /HTTP 500/],
      [{ status: 401, body: { error: { code: 'UNAUTHENTICATED' } } }, /HTTP 401.*CA_SERVICE_API_KEY/],
      [{ status: 429, body: { error: { code: 'RATE' } } }, /HTTP 429/],
      [{ status: 409, body: 'not json' }, /HTTP 409/],
      [{ status: 200, body: 'not json' }, /without a JSON body/],
      [{ status: 200, body: SNAPSHOT, hangMs: 2000 }, /no answer within 500 ms/],
    ];
    for (const [a, message] of cases) {
      answer = () => a;
      const e = await errorOf(gateway().get('o-1'));
      expect(e).not.toBeInstanceOf(CaRefusal);
      expect(e.message).toMatch(message);
    }
    const probe = http.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const closedPort = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    const closed = createHttpCaOrderGateway({ baseUrl: `http://127.0.0.1:${closedPort}`, apiKey: 'k', timeoutMs: 500 });
    const e = await errorOf(closed.get('o-1'));
    expect(e).not.toBeInstanceOf(CaRefusal);
    expect(e.message).toMatch(/CA service GET \/api\/orders\/o-1 failed: .*ECONNREFUSED/);
  });

  it('checks the CA’s answers like user input: a malformed or foreign order, an oversized body and a non-http applicant URL are infrastructure errors, never used', async () => {
    const cases: [ReturnType<typeof answer>, RegExp][] = [
      [{ status: 200, body: { ...SNAPSHOT, status: 'stolen' } }, /get: malformed answer \(status:/],
      [{ status: 200, body: { ...SNAPSHOT, amountFen: -1 } }, /malformed answer \(amountFen:/],
      [{ status: 200, body: { ...SNAPSHOT, updatedAt: 'yesterday' } }, /malformed answer \(updatedAt:/],
      [{ status: 200, body: { ...SNAPSHOT, chainPem: 'x' } }, /malformed answer \(chainPem:/],
      [{ status: 200, body: [SNAPSHOT] }, /malformed answer/],
      [{ status: 200, body: { ...SNAPSHOT, caOrderId: 'o-2' } }, /answered with order o-2/],
      [{ status: 200, body: { ...SNAPSHOT, rejectReason: 'x'.repeat(MAX_ANSWER_BYTES) } }, /unreadable answer \(answer over/],
    ];
    for (const [a, message] of cases) {
      answer = () => a;
      const e = await errorOf(gateway().get('o-1'));
      expect(e).not.toBeInstanceOf(CaRefusal);
      expect(e.message).toMatch(message);
    }
    answer = () => ({ status: 200, body: { ...SNAPSHOT, status: 'rejected', rejectReason: '材料不全'.repeat(200) } });
    expect((await gateway().get('o-1')).rejectReason).toBe('材料不全'.repeat(125)); // a long reason is cut to the row's 500 characters, not refused
    answer = () => ({ status: 200, body: { ...SNAPSHOT, platformOrderId: 'someone-else' } });
    expect((await errorOf(gateway().submit({ platformOrderId: 'p', enterpriseName: 'e', uscc: 'u', sealId: 's', sealName: 'n', csrPem: 'c', validityDays: 1, kind: 'new' }))).message).toMatch(/answered for platform order someone-else/);
    // A refusal's code must be an identifier (else it is not a refusal the platform can name), its messages bounded text.
    answer = () => ({ status: 409, body: { error: { code: 'ORDER_PAID', message: `已支付\n${'很长'.repeat(300)}`, messageEn: 'paid' } } });
    const long = (await errorOf(gateway().cancel('o-1', 'x'))) as CaRefusal;
    expect([long.code, [...long.messageZh].length, long.messageZh.includes('\n')]).toEqual(['ORDER_PAID', 201, false]);
    answer = () => ({ status: 409, body: { error: { code: '<img src=x onerror=alert(1)>', message: 'x' } } });
    const odd = await errorOf(gateway().cancel('o-1', 'x'));
    expect(odd).not.toBeInstanceOf(CaRefusal);
    expect(odd.message).toBe('CA service POST /api/orders/o-1/cancel: HTTP 409');
    for (const url of ['javascript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'not a url']) {
      answer = () => ({ status: 200, body: { url } });
      expect((await errorOf(gateway().applicantUrl('o-1'))).message).toMatch(/applicant-url: malformed answer \(url:/);
    }
  });

  it('createCaOrderGateway reads URL, key and timeout from the configuration', async () => {
    answer = () => ({ status: 200, body: SNAPSHOT });
    seen.length = 0;
    const g = createCaOrderGateway({ caOrders: { serviceUrl: baseUrl, apiKey: 'configured-key-0123', timeoutMs: 1000 } });
    expect((await g.submit({ platformOrderId: 'p', enterpriseName: 'e', uscc: 'u', sealId: 's', sealName: 'n', csrPem: 'c', validityDays: 1, kind: 'new' })).caOrderId).toBe('o-1');
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/api/orders', auth: 'Bearer configured-key-0123' });
  });
});
