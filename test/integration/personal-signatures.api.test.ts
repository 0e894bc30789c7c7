// @sqlite-too: one-time capture tokens under parallel use.
/**
 * 个人签章 over HTTP on the run's database (MariaDB in one run, SQLite in the other): the QR-code
 * capture of a handwritten signature (one-time token, expiry, parallel use), list / default /
 * delete with the fallback to the 人名章, 日期章 settings, and the signing activity stamping the
 * default signature into the PDF.
 */
import { createHash } from 'node:crypto';
import net from 'node:net';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditAction } from '../../domain/audit/audit-actions';
import { AuditEventSchema } from '../../domain/audit/audit-event.entity';
import { pruneStaleCaptureSessions, STALE_CAPTURE_MS } from '../../domain/signatures/signature-capture';
import { PersonalSignatureSchema, SignatureCaptureSessionSchema } from '../../domain/signatures/signature.entities';
import { CAPTURE_BODY_MAX_BYTES, CAPTURE_EVENTS } from '../../api/routes/signatures';
import { SIGNATURE_PNG_MAX_BYTES } from '../../domain/signatures/signature-png';
import { warmDocumentWorkers } from '../../documents';
import { ApiClient } from '../harness/http-client';
import { contractForm, createUser, latestSmsCode, makePdf, TEST_PASSWORD } from '../harness/fixtures';
import { startTestPlatform, type TestPlatform } from '../harness/platform';
import { drawnSignature, pngDataUrl } from '../harness/signature-fixtures';

let platform: TestPlatform;
const PUBLIC_URL = 'https://sign.example.test';

beforeAll(async () => {
  platform = await startTestPlatform({ PUBLIC_URL });
  // A drawing's ink scan runs in the document threads; the API starts loading them when it starts (a few seconds).
  await warmDocumentWorkers();
});
afterAll(async () => platform?.stop());

async function loggedIn(name: string) {
  const user = await createUser(platform.services, name);
  const api = new ApiClient(platform.baseUrl);
  await api.login(user.mobile, TEST_PASSWORD);
  return { user, api };
}

/** The phone: no session, its own address. */
const phone = () => new ApiClient(platform.baseUrl);
const tokenOf = (url: string) => url.split('/capture/')[1]!;

async function startCapture(api: ApiClient) {
  const r = await api.post('/me/signature-captures');
  expect(r.status, JSON.stringify(r.json)).toBe(201);
  return r.json as { id: string; url: string; expiresAt: string; status: string };
}

async function captureOne(api: ApiClient, png?: Uint8Array) {
  const started = await startCapture(api);
  const r = await phone().post(`/signature-captures/${tokenOf(started.url)}`, { image: pngDataUrl(png ?? (await drawnSignature())) });
  expect(r.status, JSON.stringify(r.json)).toBe(201);
  const list = await api.get('/me/signatures');
  return { started, signature: list.json.signatures[0] as { id: string; width: number; height: number; imageUrl: string; isDefault: boolean } };
}

const audits = (action: AuditAction, actorId: string) => platform.services.orm.em.fork().find(AuditEventSchema, { action, actorId }, { orderBy: { at: 'asc' } });

/** Reads server-sent events until `until` matches one or `ms` pass. */
async function readEvents(api: ApiClient, path: string, until: (data: any) => boolean, ms: number) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), ms);
  const cookie = (api as unknown as { cookie: string }).cookie;
  const res = await fetch(`${platform.baseUrl}/api${path}`, { headers: { cookie, 'x-forwarded-for': api.ip }, signal: controller.signal });
  const events: { data: any; at: number }[] = [];
  try {
    const reader = res.body!.getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += new TextDecoder().decode(value);
      let cut;
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const data = block.split('\n').find((l) => l.startsWith('data: '));
        if (!data) continue;
        const parsed = JSON.parse(data.slice(6));
        events.push({ data: parsed, at: Date.now() });
        if (until(parsed)) {
          controller.abort();
          return { res, events };
        }
      }
    }
  } catch (err) {
    if (!controller.signal.aborted) throw err;
  } finally {
    clearTimeout(timer);
  }
  return { res, events };
}

/**
 * A POST from a raw socket: the headers (Content-Length `declared`) and the first `send` bytes of a JSON body, then
 * nothing more. Resolves with the answer, if one comes within 5 s while the body is incomplete (status 0 if none).
 */
function partialPost(path: string, declared: number, send: number): Promise<{ status: number; headers: Record<string, string>; json: any; bodyBytesSent: number }> {
  const { hostname, port } = new URL(platform.baseUrl);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    socket.on('error', () => undefined);
    const body = Buffer.from(`{"image":"data:image/png;base64,${'A'.repeat(Math.max(0, send - 34))}`);
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const text = Buffer.concat(chunks).toString('utf8');
      const headEnd = text.indexOf('\r\n\r\n');
      const [statusLine = '', ...lines] = (headEnd === -1 ? '' : text.slice(0, headEnd)).split('\r\n');
      const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      let json: any = null;
      try {
        json = JSON.parse(text.slice(headEnd + 4));
      } catch {
        // no complete JSON answer
      }
      resolve({ status: Number(statusLine.split(' ')[1] ?? 0), headers, json, bodyBytesSent: body.length });
    };
    const timer = setTimeout(finish, 5000);
    socket.on('data', (c) => {
      chunks.push(c);
      const text = Buffer.concat(chunks).toString('utf8');
      const length = /content-length: (\d+)/i.exec(text);
      const headEnd = text.indexOf('\r\n\r\n');
      if (length && headEnd !== -1 && Buffer.byteLength(text.slice(headEnd + 4)) >= Number(length[1])) finish();
    });
    socket.on('close', finish);
    socket.write(`POST ${path} HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: ${declared}\r\nX-Forwarded-For: ${phone().ip}\r\n\r\n`);
    socket.write(body);
  });
}

/** A PNG of random pixels (they barely compress) as close below `maxBytes` as a square side gives. */
async function noisePngNear(maxBytes: number): Promise<Uint8Array> {
  let side = Math.floor(Math.sqrt(maxBytes / 3));
  for (;;) {
    const pixels = Buffer.alloc(side * side * 3);
    // Red never near white, so every pixel is ink.
    for (let i = 0; i < pixels.length; i++) pixels[i] = Math.floor(Math.random() * (i % 3 === 0 ? 200 : 256));
    const png = await sharp(pixels, { raw: { width: side, height: side, channels: 3 } }).png({ compressionLevel: 9 }).toBuffer();
    if (png.length <= maxBytes) {
      expect(png.length).toBeGreaterThan(maxBytes * 0.97);
      return new Uint8Array(png);
    }
    side -= 1;
  }
}

describe('handwritten signature capture via QR link', () => {
  it('PC starts a capture, the phone submits, the PC event stream reports it within 2 s, the list shows it', async () => {
    const { user, api } = await loggedIn('张三丰');
    const started = await startCapture(api);
    expect(started.url).toMatch(new RegExp(`^${PUBLIC_URL}/capture/[A-Za-z0-9_-]{43}$`));
    expect(started.status).toBe('waiting');
    const ttl = new Date(started.expiresAt).getTime() - Date.now();
    expect(ttl).toBeGreaterThan(9 * 60_000);
    expect(ttl).toBeLessThanOrEqual(10 * 60_000);
    // Only the hash of the token is stored.
    const row = await platform.services.orm.em.fork().findOneOrFail(SignatureCaptureSessionSchema, { id: started.id });
    expect(row.tokenHash).toBe(createHash('sha256').update(tokenOf(started.url)).digest('hex'));
    expect(JSON.stringify(row)).not.toContain(tokenOf(started.url));

    const info = await phone().get(`/signature-captures/${tokenOf(started.url)}`);
    expect(info.status).toBe(200);
    expect(info.json).toMatchObject({ maskedName: '**丰', status: 'waiting' });

    const watching = readEvents(api, `/me/signature-captures/${started.id}/events`, (d) => d.status === 'submitted', 8000);
    await new Promise((r) => setTimeout(r, 300)); // the stream is open and has sent 'waiting'
    const submittedAt = Date.now();
    const drawing = await drawnSignature();
    const posted = await phone().post(`/signature-captures/${tokenOf(started.url)}`, { image: pngDataUrl(drawing) });
    expect(posted.status, JSON.stringify(posted.json)).toBe(201);
    const { res, events } = await watching;
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    expect(events[0]!.data.status).toBe('waiting');
    const last = events[events.length - 1]!;
    expect(last.data).toMatchObject({ status: 'submitted', signatureId: expect.any(String) });
    expect(last.at - submittedAt).toBeLessThan(2000);

    const list = await api.get('/me/signatures');
    expect(list.json.signatures).toHaveLength(1);
    const sig = list.json.signatures[0];
    expect(sig).toMatchObject({ id: last.data.signatureId, kind: 'handwritten', isDefault: false, imageUrl: `/api/me/signatures/${sig.id}/image` });
    expect(list.json.nameSeal.isDefault).toBe(true);
    const image = await api.get(`/me/signatures/${sig.id}/image`);
    expect(image.headers.get('content-type')).toBe('image/png');
    const meta = await sharp(image.bytes).metadata();
    expect([meta.width, meta.height, meta.hasAlpha]).toEqual([sig.width, sig.height, true]);
    expect(sig.width).toBeLessThan(600); // trimmed to the ink
    expect((await api.get(`/me/signature-captures/${started.id}`)).json.status).toBe('submitted');
    const added = await audits('signature.added', user.id);
    expect(added.map((a) => a.targetId)).toEqual([sig.id]);
  });

  it('a used link is refused (409); an unknown one is 404; neither adds a signature', async () => {
    const { user, api } = await loggedIn('李四');
    const { started } = await captureOne(api);
    const again = await phone().post(`/signature-captures/${tokenOf(started.url)}`, { image: pngDataUrl(await drawnSignature()) });
    expect([again.status, again.json.error.code]).toEqual([409, 'CAPTURE_LINK_USED']);
    expect((await phone().get(`/signature-captures/${tokenOf(started.url)}`)).json.status).toBe('submitted');
    const unknown = await phone().post(`/signature-captures/${'A'.repeat(43)}`, { image: pngDataUrl(await drawnSignature()) });
    expect([unknown.status, unknown.json.error.code]).toEqual([404, 'CAPTURE_LINK_INVALID']);
    expect(await platform.services.orm.em.fork().count(PersonalSignatureSchema, { userId: user.id })).toBe(1);
  });

  it('an expired link is refused (422) and reported expired', async () => {
    const { user, api } = await loggedIn('王五');
    const started = await startCapture(api);
    await platform.services.orm.em.fork().nativeUpdate(SignatureCaptureSessionSchema, { id: started.id }, { expiresAt: new Date(Date.now() - 1000) });
    const late = await phone().post(`/signature-captures/${tokenOf(started.url)}`, { image: pngDataUrl(await drawnSignature()) });
    expect([late.status, late.json.error.code]).toEqual([422, 'CAPTURE_LINK_EXPIRED']);
    expect((await api.get(`/me/signature-captures/${started.id}`)).json.status).toBe('expired');
    const stream = await readEvents(api, `/me/signature-captures/${started.id}/events`, () => false, 3000);
    expect(stream.events.map((e) => e.data.status)).toEqual(['expired']); // and the stream ended by itself
    expect(await platform.services.orm.em.fork().count(PersonalSignatureSchema, { userId: user.id })).toBe(0);
  });

  it('the event stream sends heartbeats and ends by itself when the link expires (server-side time limit)', async () => {
    const { api } = await loggedIn('蒋十三');
    const started = await startCapture(api);
    await platform.services.orm.em.fork().nativeUpdate(SignatureCaptureSessionSchema, { id: started.id }, { expiresAt: new Date(Date.now() + 1500) });
    const saved = CAPTURE_EVENTS.heartbeatMs;
    CAPTURE_EVENTS.heartbeatMs = 200;
    try {
      const cookie = (api as unknown as { cookie: string }).cookie;
      const openedAt = Date.now();
      const res = await fetch(`${platform.baseUrl}/api/me/signature-captures/${started.id}/events`, { headers: { cookie }, signal: AbortSignal.timeout(15_000) });
      const text = await res.text(); // resolves only when the server ends the stream
      const endedAfter = Date.now() - openedAt;
      expect(text).toContain(': ping');
      const statuses = [...text.matchAll(/^data: (.*)$/gm)].map((m) => JSON.parse(m[1]!).status);
      expect(statuses).toEqual(['waiting', 'expired']);
      expect(endedAfter).toBeLessThan(6000);
    } finally {
      CAPTURE_EVENTS.heartbeatMs = saved;
    }
  });

  it('parallel submissions with one link: exactly one succeeds', async () => {
    const { user, api } = await loggedIn('赵六');
    const started = await startCapture(api);
    const drawing = pngDataUrl(await drawnSignature());
    const results = await Promise.all(Array.from({ length: 8 }, () => phone().post(`/signature-captures/${tokenOf(started.url)}`, { image: drawing })));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s !== 201).every((s) => s === 409)).toBe(true);
    expect(await platform.services.orm.em.fork().count(PersonalSignatureSchema, { userId: user.id })).toBe(1);
    expect(await audits('signature.added', user.id)).toHaveLength(1);
  });

  it('hostile drawings are 4xx and do not consume the link', async () => {
    const { api } = await loggedIn('孙七');
    const started = await startCapture(api);
    const token = tokenOf(started.url);
    const jpeg = await sharp(await drawnSignature()).flatten({ background: '#fff' }).jpeg().toBuffer();
    const asJpeg = await phone().post(`/signature-captures/${token}`, { image: `data:image/png;base64,${jpeg.toString('base64')}` });
    expect([asJpeg.status, asJpeg.json.error.code]).toEqual([415, 'SIGNATURE_NOT_PNG']);
    const blank = await sharp({ create: { width: 390, height: 200, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } }).png().toBuffer();
    const empty = await phone().post(`/signature-captures/${token}`, { image: pngDataUrl(new Uint8Array(blank)) });
    expect([empty.status, empty.json.error.code]).toEqual([400, 'SIGNATURE_BLANK']);
    const notData = await phone().post(`/signature-captures/${token}`, { image: 'hello' });
    expect(notData.status).toBe(400);
    const ok = await phone().post(`/signature-captures/${token}`, { image: pngDataUrl(await drawnSignature()) });
    expect(ok.status).toBe(201);
  });

  it("the phone's POST: a link that cannot take a drawing is refused before the body is read (answered while it still arrives, Connection: close); a body over what a 512 KB PNG needs is 413; a drawing of 512 KB still goes in", async () => {
    const { user, api } = await loggedIn('钱十四');
    const used = await captureOne(api);
    const expired = await startCapture(api);
    await platform.services.orm.em.fork().nativeUpdate(SignatureCaptureSessionSchema, { id: expired.id }, { expiresAt: new Date(Date.now() - 1000) });
    // Headers and the first 4 KB of a 600 KB body; the rest never comes.
    const declared = 600_000;
    for (const [token, status, code] of [
      ['A'.repeat(43), 404, 'CAPTURE_LINK_INVALID'],
      ['not-a-token', 404, 'CAPTURE_LINK_INVALID'],
      [tokenOf(used.started.url), 409, 'CAPTURE_LINK_USED'],
      [tokenOf(expired.url), 422, 'CAPTURE_LINK_EXPIRED'],
    ] as const) {
      const r = await partialPost(`/api/signature-captures/${token}`, declared, 4096);
      expect([r.status, r.json?.error?.code, r.headers.connection], token).toEqual([status, code, 'close']);
      expect(r.bodyBytesSent).toBeLessThan(declared);
    }
    // The body limit: what the longest data URL of a 512 KB PNG needs (and the JSON around it), not 1.1 MB.
    expect(CAPTURE_BODY_MAX_BYTES).toBeLessThan(720 * 1024);
    const open = await startCapture(api);
    const tooBig = await partialPost(`/api/signature-captures/${tokenOf(open.url)}`, CAPTURE_BODY_MAX_BYTES + 1, 4096);
    expect([tooBig.status, tooBig.json?.error?.code]).toEqual([413, 'BODY_TOO_LARGE']);
    // A drawing just under 512 KB (noise barely compresses) fits, on the same link: the refusals consumed nothing.
    const big = await noisePngNear(SIGNATURE_PNG_MAX_BYTES);
    const ok = await phone().post(`/signature-captures/${tokenOf(open.url)}`, { image: pngDataUrl(big) });
    expect(ok.status, JSON.stringify(ok.json)).toBe(201);
    expect(await platform.services.orm.em.fork().count(PersonalSignatureSchema, { userId: user.id })).toBe(2);
  });

  it('a submission that fails inside (storage down) is a 500 whose log line names the route, never the link token; the link still works afterwards', async () => {
    const { api } = await loggedIn('卫十三');
    const started = await startCapture(api);
    const token = tokenOf(started.url);
    const store = platform.services.store;
    const put = store.put.bind(store);
    const logged: string[] = [];
    const error = console.error;
    console.error = (...args: unknown[]) => void logged.push(args.map((a) => (a instanceof Error ? `${a.message}\n${a.stack}` : String(a))).join(' '));
    store.put = async () => {
      throw Object.assign(new Error('EIO: simulated storage outage'), { code: 'EIO' });
    };
    try {
      const failed = await phone().post(`/signature-captures/${token}`, { image: pngDataUrl(await drawnSignature()) });
      expect([failed.status, failed.json.error.code]).toEqual([500, 'INTERNAL']);
    } finally {
      store.put = put;
      console.error = error;
    }
    expect(logged.join('\n')).toContain('POST /signature-captures/:token');
    expect(logged.join('\n')).not.toContain(token);
    const retried = await phone().post(`/signature-captures/${token}`, { image: pngDataUrl(await drawnSignature()) });
    expect(retried.status, JSON.stringify(retried.json)).toBe(201);
  });

  it('the cap on open capture links holds under parallel starts: 8 at once, 3 opened', async () => {
    const { api, user } = await loggedIn('并发二维码');
    const answers = await Promise.all(Array.from({ length: 8 }, () => api.post('/me/signature-captures')));
    expect(answers.map((a) => a.status).sort()).toEqual([201, 201, 201, 409, 409, 409, 409, 409]);
    expect(answers.filter((a) => a.status === 409).every((a) => a.json.error.code === 'TOO_MANY_OPEN_CAPTURES')).toBe(true);
    expect(await platform.services.orm.em.fork().count(SignatureCaptureSessionSchema, { userId: user.id })).toBe(3);
  });

  it('limits open capture links per user, and event streams per user', async () => {
    const { api } = await loggedIn('周八');
    const open: { id: string }[] = [];
    for (let i = 0; i < 3; i++) open.push(await startCapture(api));
    const fourth = await api.post('/me/signature-captures');
    expect([fourth.status, fourth.json.error.code]).toEqual([409, 'TOO_MANY_OPEN_CAPTURES']);

    // Four streams may stay open; a fifth is refused until one closes.
    const controllers = Array.from({ length: 4 }, () => new AbortController());
    const cookie = (api as unknown as { cookie: string }).cookie;
    const streams = await Promise.all(controllers.map((c, i) => fetch(`${platform.baseUrl}/api/me/signature-captures/${open[i % 3]!.id}/events`, { headers: { cookie }, signal: c.signal })));
    expect(streams.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const fifth = await api.get(`/me/signature-captures/${open[0]!.id}/events`);
    expect([fifth.status, fifth.json.error.code]).toEqual([429, 'TOO_MANY_CAPTURE_STREAMS']);
    controllers[0]!.abort();
    await expect.poll(async () => {
      const c = new AbortController();
      const r = await fetch(`${platform.baseUrl}/api/me/signature-captures/${open[0]!.id}/events`, { headers: { cookie }, signal: c.signal });
      c.abort();
      return r.status;
    }).toBe(200);
    controllers.forEach((c) => c.abort());
  });

  it('at most 10 handwritten signatures; deleting one makes room again', async () => {
    const { api } = await loggedIn('陈十一');
    for (let i = 0; i < 10; i++) await captureOne(api);
    const full = await api.post('/me/signature-captures');
    expect([full.status, full.json.error.code]).toEqual([409, 'SIGNATURE_LIMIT_REACHED']);
    const list = await api.get('/me/signatures');
    expect(list.json.signatures).toHaveLength(10);
    expect((await api.request('DELETE', `/me/signatures/${list.json.signatures[0].id}`)).status).toBe(200);
    await captureOne(api);
    expect((await api.get('/me/signatures')).json.signatures).toHaveLength(10);
  });

  it('housekeeping removes links that expired unused over a day ago, and keeps used ones', async () => {
    const { api } = await loggedIn('褚十二');
    const unused = await startCapture(api);
    const { started: used } = await captureOne(api);
    const em = platform.services.orm.em.fork();
    const longAgo = new Date(Date.now() - STALE_CAPTURE_MS - 60_000);
    await em.nativeUpdate(SignatureCaptureSessionSchema, { id: { $in: [unused.id, used.id] } }, { expiresAt: longAgo });
    expect(await pruneStaleCaptureSessions(em)).toBeGreaterThanOrEqual(1);
    expect(await em.count(SignatureCaptureSessionSchema, { id: unused.id })).toBe(0);
    expect(await em.count(SignatureCaptureSessionSchema, { id: used.id })).toBe(1);
  });
});

describe('default signature, delete, 日期章', () => {
  it("another user's signature is not found: image, default, delete all 404", async () => {
    const owner = await loggedIn('吴九');
    const other = await loggedIn('郑十');
    const { signature } = await captureOne(owner.api);
    expect((await other.api.get(`/me/signatures/${signature.id}/image`)).status).toBe(404);
    expect((await other.api.request('PUT', '/me/signatures/default', { signatureId: signature.id })).status).toBe(404);
    expect((await other.api.request('DELETE', `/me/signatures/${signature.id}`)).status).toBe(404);
    expect((await owner.api.get(`/me/signatures/${signature.id}/image`)).status).toBe(200);
  });

  it('set default, then deleting it falls back to the 人名章; everything audited', async () => {
    const { user, api } = await loggedIn('钱多多');
    const { signature } = await captureOne(api);
    const set = await api.request('PUT', '/me/signatures/default', { signatureId: signature.id });
    expect(set.status, JSON.stringify(set.json)).toBe(200);
    let list = await api.get('/me/signatures');
    expect(list.json.defaultSignatureId).toBe(signature.id);
    expect(list.json.nameSeal.isDefault).toBe(false);
    expect(list.json.signatures[0].isDefault).toBe(true);

    const deleted = await api.request('DELETE', `/me/signatures/${signature.id}`);
    expect(deleted.json).toEqual({ defaultFellBack: true });
    list = await api.get('/me/signatures');
    expect(list.json).toMatchObject({ defaultSignatureId: null, signatures: [], nameSeal: { isDefault: true } });
    expect((await api.get(`/me/signatures/${signature.id}/image`)).status).toBe(404);
    expect((await api.request('DELETE', `/me/signatures/${signature.id}`)).status).toBe(404);
    const changes = await audits('signature.default_changed', user.id);
    expect(changes.map((a) => JSON.parse(a.detail!).to)).toEqual([signature.id, 'name_seal']);
    expect(await audits('signature.deleted', user.id)).toHaveLength(1);

    const seal = await api.get('/me/signatures/name-seal');
    expect([seal.status, seal.headers.get('content-type')]).toEqual([200, 'image/png']);
  });

  it('日期章 settings: saved and audited, invalid values 400, preview PNG', async () => {
    const { user, api } = await loggedIn('孔一');
    expect((await api.get('/me/signatures')).json.dateSeal).toMatchObject({ enabled: true, format: 'YYYY年MM月DD日', color: 'red' });
    const saved = await api.request('PUT', '/me/signatures/date-settings', { enabled: true, format: 'YYYY-MM-DD', color: 'black' });
    expect(saved.json).toEqual({ enabled: true, format: 'YYYY-MM-DD', color: 'black' });
    expect((await api.get('/me/signatures')).json.dateSeal).toMatchObject({ format: 'YYYY-MM-DD', color: 'black' });
    expect((await api.request('PUT', '/me/signatures/date-settings', { enabled: true, format: 'DD/MM', color: 'black' })).status).toBe(400);
    expect((await api.request('PUT', '/me/signatures/date-settings', { enabled: true, format: 'YYYY-MM-DD', color: 'green' })).status).toBe(400);
    expect(await audits('signature.date_settings_changed', user.id)).toHaveLength(1);
    const preview = await api.get('/me/signatures/date-seal?format=YYYY.MM.DD&color=red');
    expect(preview.headers.get('content-type')).toBe('image/png');
    expect((await sharp(preview.bytes).metadata()).width).toBeGreaterThan(200);
    expect((await api.get('/me/signatures/date-seal?format=bad')).status).toBe(400);
  });

  it('a 手写签名 mark stamps the default handwritten signature, not the 人名章', async () => {
    const { user, api } = await loggedIn('冯小刚');
    const { signature } = await captureOne(api, await drawnSignature(700, 300, { x0: 50, y0: 60, x1: 640, y1: 230, thick: 9 }));
    expect((await api.request('PUT', '/me/signatures/default', { signatureId: signature.id })).status).toBe(200);
    const form = contractForm(await makePdf(1), { title: '手写签名合同', expiresAt: new Date(Date.now() + 86400_000), signers: [{ mobile: user.mobile, name: user.name, page: 1, x: 100, y: 600, mark: 'handwritten' }] });
    const contract = await api.post('/contracts', form);
    expect(contract.status, JSON.stringify(contract.json)).toBe(201);
    expect((await api.post(`/contracts/${contract.json.id}/sms-code`)).status).toBe(200);
    const signed = await api.post(`/contracts/${contract.json.id}/sign`, { code: await latestSmsCode(platform.services, user.mobile) });
    expect(signed.status, JSON.stringify(signed.json)).toBe(200);
    const pdf = Buffer.from((await api.get(`/contracts/${contract.json.id}/document`)).bytes).toString('latin1');
    // The stamped image XObject has the handwritten signature's size; the 人名章 is 360×360.
    expect(pdf).toMatch(new RegExp(`/Width ${signature.width}\\b[^>]*/Height ${signature.height}\\b|/Height ${signature.height}\\b[^>]*/Width ${signature.width}\\b`));
    expect(pdf).not.toMatch(/\/Width 360\b/);
  });
});
