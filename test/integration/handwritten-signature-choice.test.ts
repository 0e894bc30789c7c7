/**
 * Issue 10: a person placing a 手写签名 chooses which of their handwritten signatures is stamped
 * (`signatureId`). The chosen (non-default) one is stamped — checked on the rendered page by its
 * colour (chosen: red, default: blue) — and recorded on the mark; another user's signature is 404,
 * a `signatureId` on a non-handwritten mark 400; without it the default is stamped as before.
 */
import { createHash, randomUUID } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContractMarkSchema } from '../../domain/contracts/contract-mark.entity';
import { DocumentVersionSchema } from '../../domain/contracts/document-version.entity';
import { markSize } from '../../domain/contracts/mark-geometry';
import type { User } from '../../domain/identity/user.entity';
import { PersonalSignatureSchema, SignatureSettingsSchema } from '../../domain/signatures/signature.entities';
import { SmsChallengeSchema } from '../../domain/sms/sms.entities';
import { redPixels, renderPage, type Raster } from '../../documents/pdf/test-helpers';
import { contractForm, createUser, latestSmsCode, makePdf, TEST_PASSWORD } from '../harness/fixtures';
import { ApiClient } from '../harness/http-client';
import { startTestPlatform, type TestPlatform } from '../harness/platform';

let platform: TestPlatform;
let alice: User, bob: User, carol: User;
/** bob's signatures: red (older, not the default) and blue (newest, the default); carol's: one. */
let bobRed: string, bobBlue: string, carolSig: string;
const em = () => platform.services.orm.em.fork();

async function login(u: User) {
  const c = new ApiClient(platform.baseUrl);
  await c.login(u.mobile, TEST_PASSWORD);
  return c;
}

/** A solid-colour handwritten signature PNG stored for `user`. */
async function addSignature(user: User, rgb: { r: number; g: number; b: number }, createdAt: Date): Promise<string> {
  const png = new Uint8Array(await sharp({ create: { width: 300, height: 120, channels: 4, background: { ...rgb, alpha: 1 } } }).png().toBuffer());
  const id = randomUUID();
  const imageKey = `signatures/${user.id}/${id}.png`;
  await platform.services.store.put(imageKey, png);
  const x = em();
  x.create(PersonalSignatureSchema, { id, userId: user.id, kind: 'handwritten', imageKey, imageSha256: createHash('sha256').update(png).digest('hex'), width: 300, height: 120, createdAt, deletedAt: null });
  await x.flush();
  return id;
}

async function setDefault(user: User, signatureId: string, count: number) {
  const x = em();
  x.create(SignatureSettingsSchema, { id: randomUUID(), userId: user.id, defaultSignatureId: signatureId, dateSealEnabled: true, dateFormat: 'YYYY年MM月DD日', dateColor: 'red', handwrittenCount: count, updatedAt: new Date() });
  await x.flush();
}

beforeAll(async () => {
  platform = await startTestPlatform();
  [alice, bob, carol] = (await Promise.all(['发起人甲', '手写签乙', '他人丙'].map((n) => createUser(platform.services, n)))) as [User, User, User];
  bobRed = await addSignature(bob, { r: 220, g: 0, b: 0 }, new Date(Date.now() - 60_000));
  bobBlue = await addSignature(bob, { r: 0, g: 0, b: 220 }, new Date());
  await setDefault(bob, bobBlue, 2);
  carolSig = await addSignature(carol, { r: 220, g: 0, b: 0 }, new Date());
  await setDefault(carol, carolSig, 1);
});
afterAll(async () => platform?.stop());

async function startFree() {
  const spec = { title: '选择手写签名', participants: [{ kind: 'person', step: 1, mobile: bob.mobile, name: bob.name, placement: 'free', marks: [] }] };
  const r = await (await login(alice)).post('/contracts', contractForm(await makePdf(2), { title: spec.title, spec }));
  expect(r.status, JSON.stringify(r.json)).toBe(201);
  return { id: r.json.id as string, participantId: r.json.participants[0].id as string };
}

async function sign(client: ApiClient, contractId: string, participantId: string, body: Record<string, unknown>) {
  await em().nativeUpdate(SmsChallengeSchema, { mobile: bob.mobile }, { createdAt: new Date(Date.now() - 120_000) });
  const sent = await client.post(`/contracts/${contractId}/sms-code`, { participantId });
  expect(sent.status, JSON.stringify(sent.json)).toBe(200);
  return client.post(`/contracts/${contractId}/sign`, { code: await latestSmsCode(platform.services, bob.mobile), participantId, ...body });
}

function bluePixels(r: Raster, x0: number, y0: number, w: number, h: number): number {
  let n = 0;
  for (let y = Math.floor(y0); y < Math.min(r.height, y0 + h); y++) {
    for (let x = Math.floor(x0); x < Math.min(r.width, x0 + w); x++) {
      const i = (y * r.width + x) * 3;
      if (r.rgb[i]! < 100 && r.rgb[i + 1]! < 100 && r.rgb[i + 2]! > 150) n++;
    }
  }
  return n;
}

const box = markSize('handwritten');
const at = { page: 1, x: 100, y: 200 };
const stampedPage = async (contractId: string, version: number) =>
  renderPage(await platform.services.store.get((await em().findOneOrFail(DocumentVersionSchema, { contractId, version })).storageKey), 1);

describe('手写签名: the signer chooses which handwritten signature is stamped', () => {
  it('sign options list both signatures with id, image URL and the default marked', async () => {
    const c = await startFree();
    const api = await login(bob);
    const options = await api.get(`/contracts/${c.id}/sign-options?participantId=${c.participantId}`);
    expect(options.status, JSON.stringify(options.json)).toBe(200);
    const sigs = options.json.signatures as { id: string; imageUrl: string; isDefault: boolean }[];
    expect(sigs.map((s) => [s.id, s.isDefault]).sort()).toEqual([[bobBlue, true], [bobRed, false]].sort());
    for (const s of sigs) {
      const img = await api.get(s.imageUrl.replace(/^\/api/, ''));
      expect(img.status).toBe(200);
    }
  });

  it('another user’s signature → 404, a deleted one → 404, signatureId on a 人名章 → 400; the code is not used', async () => {
    const c = await startFree();
    const api = await login(bob);
    const foreign = await sign(api, c.id, c.participantId, { marks: [{ kind: 'handwritten', ...at, signatureId: carolSig }] });
    expect(foreign.status, JSON.stringify(foreign.json)).toBe(404);
    expect(foreign.json).toMatchObject({ error: { code: 'SIGNATURE_NOT_FOUND' } });
    expect(JSON.stringify(foreign.json)).toMatch(/手写签名/);
    const unknown = await sign(api, c.id, c.participantId, { marks: [{ kind: 'handwritten', ...at, signatureId: randomUUID() }] });
    expect(unknown.status).toBe(404);
    const deletedId = await addSignature(bob, { r: 220, g: 0, b: 0 }, new Date(Date.now() - 120_000));
    await em().nativeUpdate(PersonalSignatureSchema, { id: deletedId }, { deletedAt: new Date() });
    const deleted = await sign(api, c.id, c.participantId, { marks: [{ kind: 'handwritten', ...at, signatureId: deletedId }] });
    expect(deleted.status, JSON.stringify(deleted.json)).toBe(404);
    const wrongKind = await sign(api, c.id, c.participantId, { marks: [{ kind: 'name_seal', ...at, signatureId: bobRed }] });
    expect(wrongKind.status, JSON.stringify(wrongKind.json)).toBe(400);
    expect(wrongKind.json).toMatchObject({ error: { code: 'SIGNATURE_NOT_ALLOWED' } });
    expect(await em().count(ContractMarkSchema, { contractId: c.id })).toBe(0);
  });

  it('the chosen non-default signature is stamped and recorded; without signatureId the default is', async () => {
    const c = await startFree();
    const api = await login(bob);
    const first = await sign(api, c.id, c.participantId, { finish: false, marks: [{ kind: 'handwritten', ...at, signatureId: bobRed }] });
    expect(first.status, JSON.stringify(first.json)).toBe(200);
    const page1 = await stampedPage(c.id, 1);
    const area = box.width * box.height;
    expect(redPixels(page1, at.x + 2, at.y + 2, box.width - 4, box.height - 4)).toBeGreaterThan(area * 0.25);
    expect(bluePixels(page1, at.x, at.y, box.width, box.height)).toBe(0);

    // Round 2 without signatureId: the default (blue) one, at another place.
    const second = await sign(api, c.id, c.participantId, { finish: true, marks: [{ kind: 'handwritten', page: 1, x: 300, y: 500 }] });
    expect(second.status, JSON.stringify(second.json)).toBe(200);
    const page2 = await stampedPage(c.id, 2);
    expect(bluePixels(page2, 302, 502, box.width - 4, box.height - 4)).toBeGreaterThan(area * 0.25);
    expect(redPixels(page2, 300, 500, box.width, box.height)).toBe(0);

    const marks = await em().find(ContractMarkSchema, { contractId: c.id }, { orderBy: { appliedVersion: 'asc' } });
    expect(marks.map((m) => [m.kind, m.appliedVersion, m.signatureId])).toEqual([
      ['handwritten', 1, bobRed],
      ['handwritten', 2, bobBlue],
    ]);
  });
});
