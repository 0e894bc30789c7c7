/**
 * HTTP hardening, probed with raw bytes (node:net) the way an attacker or a broken client sends
 * them: security headers, no-store, no stack traces on any URL, 400/413/415 for client mistakes,
 * multipart read only after the access check, TRUST_PROXY.
 */
import fs from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { listen, requestTimeoutMs } from '../../api/http/server-lifecycle';
import { AuditEventSchema } from '../../domain/audit/audit-event.entity';
import { createUser, TEST_PASSWORD } from '../harness/fixtures';
import { ApiClient } from '../harness/http-client';
import { startTestPlatform, type TestPlatform } from '../harness/platform';

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** ms from the first byte sent to the status line received */
  ms: number;
}

/** Sends raw bytes; resolves with the parsed response (or status 0 if the server closed without one). */
function raw(port: number, request: string | Buffer, options: { keepOpenMs?: number } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let firstAt = 0;
    socket.on('data', (c) => {
      if (!firstAt) firstAt = Date.now();
      chunks.push(c);
    });
    socket.on('error', () => undefined);
    const finish = () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', ...rest] = text.split('\r\n\r\n');
      const [statusLine = '', ...headerLines] = head.split('\r\n');
      const headers = Object.fromEntries(headerLines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      resolve({ status: Number(statusLine.split(' ')[1] ?? 0), headers, body: rest.join('\r\n\r\n'), ms: (firstAt || Date.now()) - started });
    };
    socket.on('close', finish);
    socket.write(request);
    // Keep the socket writable (an incomplete body) until the server answers or the time is up.
    setTimeout(() => socket.destroy(), options.keepOpenMs ?? 3000);
    socket.on('data', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const m = /content-length: (\d+)/i.exec(text);
      const headEnd = text.indexOf('\r\n\r\n');
      if (m && headEnd !== -1 && Buffer.byteLength(text.slice(headEnd + 4)) >= Number(m[1])) socket.destroy();
    });
    void reject;
  });
}

const get = (url: string, extra = '') => `GET ${url} HTTP/1.1\r\nHost: test\r\nConnection: close\r\n${extra}\r\n`;
const post = (url: string, type: string, body: string | Buffer, extra = '') =>
  Buffer.concat([Buffer.from(`POST ${url} HTTP/1.1\r\nHost: test\r\nConnection: close\r\nContent-Type: ${type}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra}\r\n`), Buffer.from(body)]);

/** What a stack trace or an internal path looks like in an answer. */
const LEAKS = /\bat [\w.<>]+ \(|node_modules|\/work\/|[A-Za-z]+Error: |\.ts:\d+/;

let platform: TestPlatform;
let server: Server;
let port: number;
let uiDir: string;

beforeAll(async () => {
  platform = await startTestPlatform();
  // A built UI stand-in, so static files and the SPA fallback are served like in production.
  uiDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sealflow-ui-'));
  for (const app of ['portal-ui', 'admin-ui']) {
    fs.mkdirSync(path.join(uiDir, app, 'assets'), { recursive: true });
    fs.writeFileSync(path.join(uiDir, app, 'index.html'), `<!doctype html><title>${app}</title><script type="module" src="/assets/app.js"></script>`);
    fs.writeFileSync(path.join(uiDir, app, 'assets', 'app.js'), 'console.log(1)');
  }
  const app = createApp({ services: platform.services, temporal: platform.temporal }, { uiDir });
  // Listening as start-api.ts does (its connection timeouts included).
  server = (await listen(app, 0, '127.0.0.1')).server;
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  await platform?.stop();
  fs.rmSync(uiDir, { recursive: true, force: true });
});

describe('security headers', () => {
  it('API JSON answers are no-store and carry nosniff, a referrer policy and a CSP that loads nothing', async () => {
    const anonymous = await raw(port, get('/api/auth/me'));
    const user = await createUser(platform.services, '头部');
    const client = new ApiClient(`http://127.0.0.1:${port}`);
    await client.login(user.mobile, TEST_PASSWORD);
    const me = await client.get('/auth/me');
    expect(me.status).toBe(200);
    expect(me.headers.get('cache-control')).toBe('no-store');
    for (const h of [anonymous.headers, Object.fromEntries(me.headers)]) {
      expect(h['cache-control']).toBe('no-store');
      expect(h['x-content-type-options']).toBe('nosniff');
      expect(h['referrer-policy']).toBe('no-referrer');
      expect(h['content-security-policy']).toContain("default-src 'none'");
      expect(h['x-powered-by']).toBeUndefined();
    }
  });

  it('UI pages get a CSP fit for the built react-admin apps, and may not be framed by anyone', async () => {
    for (const url of ['/', '/contracts/1/show', '/admin/', '/admin/sms-outbox', '/assets/app.js']) {
      const r = await raw(port, get(url));
      expect(r.status, url).toBe(200);
      const csp = r.headers['content-security-policy'] ?? '';
      expect(csp, url).toContain("frame-ancestors 'none'");
      expect(csp, url).toContain("script-src 'self'");
      expect(csp, url).toContain("object-src 'self'");
      expect(csp, url).not.toContain('unsafe-eval');
      expect(r.headers['x-frame-options'], url).toBe('DENY');
      expect(r.headers['x-content-type-options'], url).toBe('nosniff');
      expect(r.headers['referrer-policy'], url).toBe('no-referrer');
    }
  });
});

describe('no stack traces, client mistakes are 4xx', () => {
  const cases: Array<[string, string | Buffer, number]> = [
    ['bad percent-encoding in an API path', get('/api/contracts/%E0%A4%A'), 400],
    ['bad percent-encoding in an API query', get('/api/admin/contracts?filter=%E0%A4%A'), 400],
    ['encoded NUL in an API path', get('/api/contracts/ab%00cd'), 400],
    ['encoded NUL in a query', get('/api/auth/me?x=%00'), 400],
    ['bad percent-encoding in a page path', get('/%E0%A4%A'), 400],
    ['bad percent-encoding under /admin', get('/admin/%zz'), 400],
    ['bad percent-encoding in a static file path', get('/assets/%E0%A4%A.js'), 400],
    ['encoded NUL in a static file path', get('/assets/app%00.js'), 400],
    ['raw NUL byte in the request line', get('/api/auth/me\u0000'), 400],
    ['NUL in a JSON string', post('/api/auth/login', 'application/json', '{"mobile":"1380000\\u00000001","password":"x"}'), 400],
    ['NUL in a JSON key', post('/api/auth/login', 'application/json', '{"mo\\u0000bile":"13800000001","password":"x"}'), 400],
    ['truncated JSON', post('/api/auth/login', 'application/json', '{"mobile":'), 400],
    ['JSON with a bad charset', post('/api/auth/login', 'application/json; charset=koi8-r', '{}'), 415],
    ['JSON body over 1 MB', post('/api/auth/login', 'application/json', `{"mobile":"${'1'.repeat(1_100_000)}"}`), 413],
    ['gzip-compressed JSON', post('/api/auth/login', 'application/json', gzipSync('{"mobile":"13800000001","password":"x"}'), 'Content-Encoding: gzip\r\n'), 415],
    ['deflate-compressed body on an unknown route', post('/api/nothing-here', 'application/json', gzipSync('{}'), 'Content-Encoding: deflate\r\n'), 415],
    ['plain text to a JSON route', post('/api/auth/login', 'text/plain', 'mobile=13800000001'), 415],
    ['a form to a JSON route', post('/api/auth/login', 'application/x-www-form-urlencoded', 'mobile=13800000001&password=x'), 415],
    ['multipart to a JSON route', post('/api/auth/login', 'multipart/form-data; boundary=x', '--x--\r\n'), 415],
  ];

  it.each(cases)('%s', async (_name, request, status) => {
    const r = await raw(port, request);
    expect(r.status).toBe(status);
    expect(r.body).not.toMatch(LEAKS);
    expect(r.body.length).toBeLessThan(2000);
  });

  it('an error answer carries only a code and the two messages', async () => {
    const r = await raw(port, get('/api/contracts/%E0%A4%A'));
    expect(JSON.parse(r.body)).toEqual({ error: { code: 'BAD_URL', message: '请求地址格式不正确', messageEn: 'Malformed request URL' } });
  });
});

describe('connections', () => {
  it('an idle keep-alive connection stays open past Node\'s 5 s: a client or proxy reusing it gets an answer, not ECONNRESET', async () => {
    const socket = net.connect(port, '127.0.0.1');
    const answers: string[] = [];
    let buffered = '';
    socket.on('data', (c) => {
      buffered += c.toString('utf8');
      const m = /content-length: (\d+)/i.exec(buffered);
      const end = buffered.indexOf('\r\n\r\n');
      if (m && end !== -1 && Buffer.byteLength(buffered.slice(end + 4)) >= Number(m[1])) {
        answers.push(buffered.split('\r\n')[0]!);
        buffered = '';
      }
    });
    let closed = false;
    socket.on('close', () => (closed = true));
    socket.on('error', () => undefined);
    const get = `GET /api/signature-captures/${'x'.repeat(43)} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n`;
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write(get);
    await expect.poll(() => answers.length).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    expect(closed).toBe(false);
    socket.write(get);
    await expect.poll(() => answers.length).toBe(2);
    expect(answers[1]).toMatch(/^HTTP\/1\.1 \d{3}/);
    socket.destroy();
  }, 20_000);
});

describe('uploads', () => {
  const boundary = 'sealflowboundary';
  const head = (declaredBytes: number, cookie = '') =>
    `POST /api/contracts HTTP/1.1\r\nHost: test\r\nContent-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: ${declaredBytes}\r\n${cookie ? `Cookie: ${cookie}\r\n` : ''}\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\nContent-Type: application/pdf\r\n\r\n`;

  it('an anonymous 20 MB upload is refused (401) before its body is read', async () => {
    // Declare 20 MB but send only 64 KB: an answer now proves the server did not wait for (read) the rest.
    const r = await raw(port, Buffer.concat([Buffer.from(head(20 * 1024 * 1024 - 1024)), Buffer.alloc(64 * 1024, 0x25)]), { keepOpenMs: 4000 });
    expect(r.status).toBe(401);
    expect(r.ms).toBeLessThan(2000);
    expect(r.headers.connection).toBe('close');
  });

  it('a logged-in user without 实名认证 is refused (403) before the body is read too', async () => {
    const user = await createUser(platform.services, '未认证', null, 'unverified');
    const client = new ApiClient(`http://127.0.0.1:${port}`);
    await client.login(user.mobile, TEST_PASSWORD);
    const cookie = (client as unknown as { cookie: string }).cookie;
    const r = await raw(port, Buffer.concat([Buffer.from(head(10 * 1024 * 1024, cookie)), Buffer.alloc(32 * 1024, 0x25)]), { keepOpenMs: 4000 });
    expect(r.status).toBe(403);
    expect(r.ms).toBeLessThan(2000);
  });

  it('a verified user: a declared size over MAX_UPLOAD_MB is 413 at once, a JSON body 415, a truncated form 400', async () => {
    const user = await createUser(platform.services, '已认证');
    const client = new ApiClient(`http://127.0.0.1:${port}`);
    await client.login(user.mobile, TEST_PASSWORD);
    const cookie = (client as unknown as { cookie: string }).cookie;
    const tooBig = await raw(port, Buffer.from(head(platform.config.maxUploadBytes + 1024 * 1024, cookie)), { keepOpenMs: 4000 });
    expect(tooBig.status).toBe(413);
    expect(tooBig.ms).toBeLessThan(2000);
    const json = await raw(port, post('/api/contracts', 'application/json', '{"title":"x"}', `Cookie: ${cookie}\r\n`));
    expect(json.status).toBe(415);
    const noBoundary = await raw(port, post('/api/contracts', 'multipart/form-data', 'garbage', `Cookie: ${cookie}\r\n`));
    expect(noBoundary.status).toBe(400);
    expect(noBoundary.body).not.toMatch(LEAKS);
    const truncated = `--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nx`;
    const cut = await raw(port, post('/api/contracts', `multipart/form-data; boundary=${boundary}`, truncated, `Cookie: ${cookie}\r\n`));
    expect(cut.status).toBe(400);
    expect(cut.body).not.toMatch(LEAKS);
  });
});

describe('requests in flight per user', () => {
  it('heavy requests: at most 2 of one user in flight on all heavy routes together (文件验证, 发起合同, template preview and start); a third is 429 before its body is read, another user is served, and a slot frees when one ends', async () => {
    const login = async (name: string) => {
      const user = await createUser(platform.services, name);
      const client = new ApiClient(`http://127.0.0.1:${port}`);
      await client.login(user.mobile, TEST_PASSWORD);
      return client;
    };
    const [mine, other] = [await login('验证者甲'), await login('验证者乙')];
    const cookie = (mine as unknown as { cookie: string }).cookie;
    const boundary = 'sealflowboundary';
    // Two uploads whose bodies never finish: each holds its slot while the server waits for the rest. One that was
    // answered (it arrived while a probe below held a slot) is replaced, until both hold theirs.
    const hold = () => {
      const socket = net.connect(port, '127.0.0.1');
      const held = { socket, answered: false };
      socket.on('error', () => undefined);
      socket.on('data', () => (held.answered = true));
      socket.write(
        `POST /api/verifications HTTP/1.1\r\nHost: test\r\nContent-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: 100000\r\nCookie: ${cookie}\r\nX-Forwarded-For: ${mine.ip}\r\n\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.7\n`,
      );
      return held;
    };
    const held = [hold(), hold()];
    const holding = () => {
      for (const [i, h] of held.entries()) if (h.answered) held[i] = hold();
    };
    const form = () => {
      const f = new FormData();
      f.append('file', new Blob([Buffer.from('%PDF-1.7\n%%EOF\n')], { type: 'application/pdf' }), 'b.pdf');
      return f;
    };
    await expect
      .poll(async () => {
        holding();
        await new Promise((resolve) => setTimeout(resolve, 100));
        return (await mine.post('/verifications', form())).status;
      })
      .toBe(429);
    const third = await mine.post('/verifications', form());
    expect([third.status, third.json.error.code, third.json.error.message]).toEqual([429, 'REQUESTS_IN_PROGRESS', '您已有 2 个请求正在处理（文件、印章或轨迹校验），请等待完成后再试']);
    expect(third.headers.get('retry-after')).toBe('2');
    // The same two slots for the other heavy routes (refused before the body or the template is looked at).
    expect((await mine.post('/contracts', form())).json.error?.code).toBe('REQUESTS_IN_PROGRESS');
    expect((await mine.post('/templates/00000000-0000-0000-0000-000000000000/preview', {})).json.error?.code).toBe('REQUESTS_IN_PROGRESS');
    expect((await mine.post('/contracts/from-template', {})).json.error?.code).toBe('REQUESTS_IN_PROGRESS');
    // …and for every upload (it holds its body in memory until the last byte arrives): 企业认证 documents, a template.
    expect((await mine.post('/enterprises', form())).json.error?.code).toBe('REQUESTS_IN_PROGRESS');
    expect((await mine.post('/templates', form())).json.error?.code).toBe('REQUESTS_IN_PROGRESS');
    expect((await other.post('/verifications', form())).status).not.toBe(429);
    held[0]!.socket.destroy();
    await expect.poll(async () => (await mine.post('/verifications', form())).status).not.toBe(429);
    held[1]!.socket.destroy();
  });
});

describe('bodies that anyone may send', () => {
  it('a public route reads at most 16 KB of JSON (413 beyond, before the body is read when declared); the phone signature page takes its drawing; a whole request must arrive within 2 minutes', async () => {
    const big = JSON.stringify({ mobile: '13800000000', password: 'x'.repeat(20 * 1024) });
    const login = await raw(port, post('/api/auth/login', 'application/json', big));
    expect(login.status).toBe(413);
    expect(JSON.parse(login.body).error.code).toBe('BODY_TOO_LARGE');
    // Declared larger than the route reads: 413 at once, not after waiting for a body that may never come.
    const declared = await raw(port, `POST /api/auth/login HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: ${20 * 1024}\r\n\r\n{"mobile":"1380`);
    expect([declared.status, JSON.parse(declared.body).error.code, declared.headers.connection]).toEqual([413, 'BODY_TOO_LARGE', 'close']);
    // The capture link's drawing (300 KB as a data URL) is not too large; the unknown token is what refuses it, before the body is read.
    const drawing = JSON.stringify({ image: `data:image/png;base64,${'A'.repeat(300_000)}` });
    const capture = await raw(port, post('/api/signature-captures/no-such-token', 'application/json', drawing));
    expect([capture.status, JSON.parse(capture.body).error.code], capture.body).toEqual([404, 'CAPTURE_LINK_INVALID']);
    // A stalled body is dropped after 2 minutes (Node's default: 5), with what was read of it; longer only when the
    // configured upload limit needs it over a slow link.
    expect(server.requestTimeout).toBe(120_000);
    expect(requestTimeoutMs(20 * 1024 * 1024)).toBe(120_000);
    expect(requestTimeoutMs(100 * 1024 * 1024)).toBe(Math.ceil((100 * 1024 * 1024 * 8 * 1000) / 1_500_000)); // ≈ 9.3 min
  });
});

describe('TRUST_PROXY', () => {
  async function loginFailureIp(trustProxy: false | string[]): Promise<string | null> {
    const config = { ...platform.services.config, trustProxy };
    const custom = createApp({ services: { ...platform.services, config }, temporal: platform.temporal }, {});
    const s = custom.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => s.once('listening', () => resolve()));
    try {
      const user = await createUser(platform.services, '代理');
      const body = JSON.stringify({ mobile: user.mobile, password: 'Wrong@123456' });
      const r = await raw((s.address() as AddressInfo).port, post('/api/auth/login', 'application/json', body, 'X-Forwarded-For: 203.0.113.9\r\n'));
      expect(r.status).toBeGreaterThanOrEqual(400);
      const row = await platform.services.orm.em.fork().findOne(AuditEventSchema, { action: 'auth.login_failed', targetId: user.id }, { orderBy: { at: 'desc' } });
      return row?.ip ?? null;
    } finally {
      s.closeAllConnections();
      await new Promise((resolve) => s.close(resolve));
    }
  }

  it('trusts X-Forwarded-For from loopback by default, and not at all with TRUST_PROXY=false', async () => {
    expect(platform.services.config.trustProxy).toEqual(['loopback']);
    expect(await loginFailureIp(['loopback'])).toBe('203.0.113.9');
    expect(await loginFailureIp(false)).toMatch(/127\.0\.0\.1/);
  });
});
