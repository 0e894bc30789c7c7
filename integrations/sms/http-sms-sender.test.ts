import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../domain/errors';
import { createHttpSmsSender, SIGNATURE_HEADER, TIMESTAMP_HEADER } from './http-sms-sender';

const SECRET = 'gateway-shared-secret-0123456789';

/** A stand-in SMS gateway that checks the signature as a real one must, and answers per script. */
interface Received {
  body: { id: string; mobile: string; purpose: string; content: string };
  idempotencyKey: string | undefined;
  signatureValid: boolean;
}
let received: Received[] = [];
let script: Array<'ok' | '500' | '400' | 'hang' | 'endless'> = [];
let server: http.Server;
let url = '';

function verify(secret: string, timestamp: string, raw: string, header: string): boolean {
  const expected = Buffer.from(`v1=${createHmac('sha256', secret).update(`${timestamp}.${raw}`).digest('hex')}`);
  const given = Buffer.from(header);
  const fresh = Math.abs(Date.now() / 1000 - Number(timestamp)) < 300;
  return fresh && given.length === expected.length && timingSafeEqual(given, expected);
}

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const signatureValid = verify(SECRET, String(req.headers[TIMESTAMP_HEADER]), raw, String(req.headers[SIGNATURE_HEADER]));
      received.push({ body: JSON.parse(raw), idempotencyKey: req.headers['idempotency-key'] as string | undefined, signatureValid });
      const step = script.shift() ?? 'ok';
      if (step === 'hang') return; // never answers: the sender's timeout must fire
      if (step === 'endless') {
        // 200, then a body that never ends: the sender must not read it.
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        const chunk = Buffer.alloc(64 * 1024, 120);
        const pump = () => {
          while (!res.destroyed && res.write(chunk));
          if (!res.destroyed) res.once('drain', pump);
        };
        return pump();
      }
      if (!signatureValid) return void res.writeHead(401).end('bad signature');
      res.writeHead(step === 'ok' ? 200 : Number(step)).end(step === 'ok' ? '{"accepted":true}' : 'error');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms/send`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const message = { mobile: '13800000001', purpose: 'contract_sign', content: '【SealFlow】您的签署验证码为 482913，5 分钟内有效。' };

function sender(overrides: { secret?: string; attempts?: number; timeoutMs?: number } = {}) {
  const logs: string[] = [];
  const s = createHttpSmsSender({ url, secret: overrides.secret ?? SECRET, timeoutMs: overrides.timeoutMs ?? 2000, attempts: overrides.attempts ?? 3, backoffMs: 20, log: (l) => logs.push(l) });
  return { s, logs };
}

describe('HTTP SMS gateway adapter', () => {
  it('an accepted message whose answer body never ends is done at once: the body is not read', async () => {
    received = [];
    script = ['endless'];
    const { s } = sender({ timeoutMs: 5000 });
    const t = performance.now();
    await s.send(message);
    expect(performance.now() - t).toBeLessThan(2000);
    expect(received).toHaveLength(1);
  });

  it('posts the message signed with HMAC-SHA256 over timestamp + body', async () => {
    received = [];
    script = ['ok'];
    await sender().s.send(message);
    expect(received).toHaveLength(1);
    expect(received[0]!.signatureValid).toBe(true);
    expect(received[0]!.body).toMatchObject(message);
    expect(received[0]!.idempotencyKey).toBe(received[0]!.body.id);
  });

  it('a gateway with another secret refuses it, and the sender fails clearly without retrying a 4xx', async () => {
    received = [];
    script = [];
    const { s, logs } = sender({ secret: 'not-the-gateway-secret-000000000' });
    const err = await s.send(message).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ kind: 'unavailable', code: 'SMS_SEND_FAILED' });
    expect(received).toHaveLength(1);
    expect(received[0]!.signatureValid).toBe(false);
    expect(logs.join('\n')).toContain('HTTP 401');
  });

  it('retries 5xx with backoff under the same idempotency key, then succeeds', async () => {
    received = [];
    script = ['500', '500', 'ok'];
    await sender({ attempts: 3 }).s.send(message);
    expect(received).toHaveLength(3);
    expect(received.every((r) => r.signatureValid)).toBe(true);
    expect(new Set(received.map((r) => r.idempotencyKey)).size).toBe(1);
  });

  it('gives up after the configured attempts (timeouts included) with a 503-kind error and a log line free of codes and secrets', async () => {
    received = [];
    script = ['hang', '500', 'hang', 'ok'];
    const { s, logs } = sender({ attempts: 3, timeoutMs: 300 });
    const started = Date.now();
    const err = await s.send(message).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(err).toMatchObject({ kind: 'unavailable', code: 'SMS_SEND_FAILED', details: { retryAfterSeconds: 30 } });
    expect(received).toHaveLength(3);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/did not accept message .* \(contract_sign to 138\*\*\*\*0001\): no answer within 300 ms/);
    expect(logs[0]).not.toContain('482913');
    expect(logs[0]).not.toContain(SECRET);
    script = [];
  });

  it('fails clearly when nothing listens at the gateway address', async () => {
    const spare = http.createServer();
    await new Promise<void>((resolve) => spare.listen(0, '127.0.0.1', resolve));
    const port = (spare.address() as AddressInfo).port;
    await new Promise((resolve) => spare.close(resolve));
    const logs: string[] = [];
    const closed = createHttpSmsSender({ url: `http://127.0.0.1:${port}/send`, secret: SECRET, timeoutMs: 500, attempts: 2, backoffMs: 10, log: (l) => logs.push(l) });
    await expect(closed.send(message)).rejects.toMatchObject({ code: 'SMS_SEND_FAILED' });
    expect(logs[0]).toMatch(/ECONNREFUSED/);
  });
});
