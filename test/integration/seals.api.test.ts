// @sqlite-too: one seal per type and datetime bounds per dialect.
/**
 * 印章管理 (M12) over HTTP on a real database: seals drawn at certification (and lazily for rows
 * without an image), create generated/uploaded with one live seal per type/department (also under
 * parallel requests), 停用/启用 with version checks, 印章授权 with SMS code and validity, the lapse
 * sweep, the usability rule, and enterprise scoping.
 */
import { randomUUID } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEventSchema } from '../../domain/audit/audit-event.entity';
import { SigningCertificateSchema } from '../../domain/certificates/certificate.entities';
import { lapseExpiredSealAuthorizations } from '../../domain/enterprises/seal-authorizations';
import { SealAuthorizationSchema, SealSchema } from '../../domain/enterprises/seal.entities';
import { SmsChallengeSchema } from '../../domain/sms/sms.entities';
import { PlatformSettingSchema } from '../../domain/platform/platform-setting.entity';
import { SETTING_DEFAULTS } from '../../domain/platform/settings';
import { assertSealUsable } from '../../domain/seals/seal-usability';
import { sealRenders } from '../../documents/seals/seal-renders';
import { HEAVY_REQUESTS_PER_USER } from '../../api/http/route';
import { ApiClient } from '../harness/http-client';
import { addMember, createCertifiedEnterprise, uniqueUscc } from '../harness/enterprise-fixtures';
import { createUser, latestSmsCode, makePdf, TEST_PASSWORD } from '../harness/fixtures';
import { startTestPlatform, type TestPlatform } from '../harness/platform';
import { loggedInUser } from '../harness/signed-in-users';

let platform: TestPlatform;

beforeAll(async () => {
  platform = await startTestPlatform();
});
afterAll(async () => platform?.stop());

const em = () => platform.services.orm.em.fork();

const loggedIn = (name: string, role: 'operator' | null = null) => loggedInUser(platform, name, role);

/** An enterprise (公章 + 合同专用章) whose admin acts for it in the console. */
async function consoleOf(name: string, sealTypes = ['official', 'contract']) {
  const admin = await loggedIn(`${name}管理员`);
  const enterprise = await createCertifiedEnterprise(platform.services, admin.user, name, sealTypes);
  expect((await admin.c.post('/auth/acting', { enterpriseId: enterprise.id })).status).toBe(200);
  return { ...admin, enterprise };
}

const pngSize = (bytes: Uint8Array) => ({ width: Buffer.from(bytes).readUInt32BE(16), height: Buffer.from(bytes).readUInt32BE(20) });

async function grantCode(c: ApiClient, mobile: string) {
  // A second code in the same test: let the previous one's resend cooldown be over.
  await em().nativeUpdate(SmsChallengeSchema, { mobile }, { createdAt: new Date(Date.now() - 10 * 60_000) });
  expect((await c.post('/console/seal-grant-code')).status).toBe(200);
  return latestSmsCode(platform.services, mobile);
}

async function addSealCertificate(sealId: string, enterpriseId: string, notAfter = new Date(Date.now() + 365 * 86_400_000)) {
  const e = em();
  e.create(SigningCertificateSchema, {
    id: randomUUID(),
    ownerType: 'seal',
    ownerId: sealId,
    enterpriseId,
    orderId: null,
    subject: 'CN=test',
    issuer: 'CN=test CA',
    serialNumber: randomUUID().replace(/-/g, ''),
    notBefore: new Date(Date.now() - 60_000),
    notAfter,
    certificatePem: '-----BEGIN CERTIFICATE-----',
    privateKeyEncrypted: 'x',
    status: 'active',
    revokedAt: null,
    revocationReason: null,
    createdAt: new Date(),
  });
  await e.flush();
}

async function sealPng(type: 'png' | 'gif') {
  const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="500" height="500"><rect width="100%" height="100%" fill="#fff"/><circle cx="250" cy="250" r="200" fill="none" stroke="#c8161d" stroke-width="16"/><circle cx="250" cy="250" r="50" fill="#c8161d"/></svg>');
  return new Uint8Array(type === 'png' ? await sharp(svg).png().toBuffer() : await sharp(svg).gif().toBuffer());
}

function uploadForm(fields: Record<string, string>, bytes: Uint8Array, name = 'seal.png', mime = 'image/png') {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('file', new Blob([bytes as Uint8Array<ArrayBuffer>], { type: mime }), name);
  return form;
}

describe('seal images', () => {
  it('seals created at certification (and rows without an image) show drawn images at their physical size', async () => {
    const { c, enterprise } = await consoleOf('杭州印图科技有限公司');
    // Pre-M12 rows: no image, code or size.
    await em().nativeUpdate(SealSchema, { enterpriseId: enterprise.id }, { imageKey: null, imageSha256: null, securityCode: null, widthMm: null, heightMm: null });
    const list = await c.get('/console/seals');
    expect(list.status).toBe(200);
    expect(list.json).toHaveLength(2);
    const official = list.json.find((s: { type: string }) => s.type === 'official');
    expect(official).toMatchObject({ name: '杭州印图科技有限公司公章', typeName: '公章', status: 'active', widthMm: 42, heightMm: 42, authorizations: [], certificate: { state: 'none' } });
    const image = await c.get(official.imageUrl.replace(/^\/api/, ''));
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toBe('image/png');
    expect(image.headers.get('x-seal-width-mm')).toBe('42');
    expect(pngSize(image.bytes)).toEqual({ width: 992, height: 992 });
    const row = await em().findOneOrFail(SealSchema, { id: official.id });
    expect(row.securityCode).toMatch(/^\d{13}$/);
    expect(row.imageSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(row.source).toBe('generated');
    // The same bytes on the next request (stored, not redrawn).
    expect(Buffer.from((await c.get(official.imageUrl.replace(/^\/api/, ''))).bytes).equals(Buffer.from(image.bytes))).toBe(true);
    expect(await em().count(AuditEventSchema, { targetId: official.id, action: 'seal.image_generated' })).toBe(1);

    // A 部门章 applied for at certification before departments existed (no department name) still draws.
    const legacy = em();
    const dept = legacy.create(SealSchema, { id: randomUUID(), enterpriseId: enterprise.id, type: 'department', name: '杭州印图科技有限公司部门章', status: 'active', createdAt: new Date() });
    await legacy.flush();
    const deptImage = await c.get(`/console/seals/${dept.id}/image`);
    expect(deptImage.status).toBe(200);
    expect(pngSize(deptImage.bytes).width).toBe(898);
  });

  it('certification approval through the API draws the images; 部门章 is not offered at certification', async () => {
    const { c } = await loggedIn('认证人');
    const types = await c.get('/config/seal-types');
    expect(types.json.map((t: { code: string }) => t.code)).not.toContain('department');
    expect(types.json.map((t: { code: string }) => t.code)).toContain('contract');
    const form = async (sealTypes: string[]) => {
      const f = new FormData();
      for (const [k, v] of Object.entries({ name: '嘉兴审批印章有限公司', uscc: uniqueUscc(), legalRepresentative: '李娜', sealTypes: JSON.stringify(sealTypes) })) f.append(k, v);
      f.append('file', new Blob([(await makePdf(1)) as Uint8Array<ArrayBuffer>], { type: 'application/pdf' }), '授权书.pdf');
      return f;
    };
    expect((await c.post('/enterprises', await form(['official', 'department']))).json.error.code).toBe('UNKNOWN_SEAL_TYPE');
    const submitted = await c.post('/enterprises', await form(['official', 'legal_rep']));
    expect(submitted.status, JSON.stringify(submitted.json)).toBe(201);
    const op = await createUser(platform.services, '运营', 'operator');
    const operator = new ApiClient(platform.baseUrl);
    await operator.login(op.mobile, TEST_PASSWORD);
    expect((await operator.post(`/admin/enterprises/${submitted.json.id}/approve`, {})).json.status).toBe('certified');
    const seals = await em().find(SealSchema, { enterpriseId: submitted.json.id }, { orderBy: { type: 'asc' } });
    expect(seals.map((s) => [s.type, s.widthMm, s.heightMm, /^\d{13}$/.test(s.securityCode ?? ''), s.imageSha256 !== null])).toEqual([
      ['legal_rep', 20, 20, true, true],
      ['official', 42, 42, true, true],
    ]);
  });
});

describe('create seals', () => {
  it('creates enabled types (generated or uploaded); one per type, one 部门章 per department; refuses disabled, unknown and bad uploads', async () => {
    const { c, enterprise } = await consoleOf('宁波创章贸易有限公司');
    const finance = await c.post('/console/seals', { type: 'finance' });
    expect(finance.status, JSON.stringify(finance.json)).toBe(201);
    expect(finance.json).toMatchObject({ name: '宁波创章贸易有限公司财务专用章', source: 'generated', widthMm: 40, securityCode: expect.stringMatching(/^\d{13}$/) });
    expect((await c.post('/console/seals', { type: 'finance' })).json.error.code).toBe('SEAL_EXISTS');
    expect((await c.post('/console/seals', { type: 'official' })).status).toBe(409);
    expect((await c.post('/console/seals', { type: 'department' })).json.error.code).toBe('DEPARTMENT_REQUIRED');
    expect((await c.post('/console/seals', { type: 'contract', departmentName: '市场部' })).status).toBe(400);
    const market = await c.post('/console/seals', { type: 'department', departmentName: '市场部' });
    expect(market.status).toBe(201);
    expect(market.json).toMatchObject({ departmentName: '市场部', widthMm: 38 });
    expect((await c.post('/console/seals', { type: 'department', departmentName: ' 市场部 ' })).status).toBe(409);
    expect((await c.post('/console/seals', { type: 'department', departmentName: '财务部' })).status).toBe(201);
    expect((await c.post('/console/seals', { type: 'nope' })).json.error.code).toBe('UNKNOWN_SEAL_TYPE');
    const emoji = await c.post('/console/seals', { type: 'department', departmentName: '研发😀部' });
    expect(emoji.status).toBe(422);
    expect(emoji.json.error).toMatchObject({ code: 'SEAL_TEXT_NOT_DRAWABLE', message: expect.stringContaining('无法绘制'), messageEn: expect.stringContaining('😀') });

    // Operators switch 人事专用章 off: it can no longer be created.
    const e = em();
    e.create(PlatformSettingSchema, { key: 'sealTypes', value: JSON.stringify(SETTING_DEFAULTS.sealTypes.filter((code) => code !== 'hr')), updatedAt: new Date(), updatedBy: null });
    await e.flush();
    try {
      expect((await c.get('/console/seal-types')).json.map((t: { code: string }) => t.code)).not.toContain('hr');
      expect((await c.post('/console/seals', { type: 'hr' })).json.error.code).toBe('UNKNOWN_SEAL_TYPE');
    } finally {
      await em().nativeDelete(PlatformSettingSchema, { key: 'sealTypes' });
    }

    const uploaded = await c.post('/console/seals/upload', uploadForm({ type: 'hr' }, await sealPng('png')));
    expect(uploaded.status, JSON.stringify(uploaded.json)).toBe(201);
    expect(uploaded.json).toMatchObject({ source: 'uploaded', widthMm: 40 });
    const img = await c.get(uploaded.json.imageUrl.replace(/^\/api/, ''));
    const { data, info } = await sharp(img.bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    expect(data[3]).toBe(0); // white corner made transparent
    expect(info.width).toBeLessThan(500); // trimmed
    expect(await em().count(AuditEventSchema, { targetId: uploaded.json.id, action: { $in: ['seal.created', 'seal.image_uploaded'] } })).toBe(2);
    const gif = await c.post('/console/seals/upload', uploadForm({ type: 'department', departmentName: '行政部' }, await sealPng('gif'), 'seal.png'));
    expect(gif.status).toBe(415);
    expect(gif.json.error.messageEn).toMatch(/PNG or JPEG/);
    expect(await em().count(SealSchema, { enterpriseId: enterprise.id, departmentName: '行政部' })).toBe(0);
    // A seal image over 2 MB is refused by its route's own cap (413, naming it) before it is read, not at the platform's 20 MB.
    const huge = await c.post('/console/seals/upload', uploadForm({ type: 'department', departmentName: '行政部' }, new Uint8Array(3 * 1024 * 1024)));
    expect([huge.status, huge.json.error.code, huge.json.error.message]).toEqual([413, 'FILE_TOO_LARGE', '上传文件过大，不能超过 2 MB']);
    expect(await em().count(SealSchema, { enterpriseId: enterprise.id, departmentName: '行政部' })).toBe(0);

    // Replace an image by upload, then draw it again.
    const replaced = await c.request('PUT', `/console/seals/${finance.json.id}/image`, uploadForm({ version: String(finance.json.version) }, await sealPng('png')));
    expect(replaced.status, JSON.stringify(replaced.json)).toBe(200);
    expect(replaced.json.source).toBe('uploaded');
    const uploadedKey = (await em().findOneOrFail(SealSchema, { id: finance.json.id })).imageKey!;
    const redrawn = await c.post(`/console/seals/${finance.json.id}/redraw`, { version: replaced.json.version });
    expect(redrawn.json).toMatchObject({ source: 'generated', securityCode: finance.json.securityCode });
    // The replaced image is removed from storage.
    await expect(platform.services.store.get(uploadedKey)).rejects.toThrow();
    expect((await c.post(`/console/seals/${finance.json.id}/redraw`, { version: finance.json.version })).json.error.code).toBe('CONCURRENT_CHANGE');
  });

  it('parallel identical redraws: one wins, the others get 409 (or 429 beyond the slots), and the seal keeps a readable image', async () => {
    const { c } = await consoleOf('并发重绘有限公司');
    const created = await c.post('/console/seals', { type: 'finance' });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    // An uploaded image first, so each redraw stores the same new drawing (one content, five writes).
    const uploaded = await c.request('PUT', `/console/seals/${created.json.id}/image`, uploadForm({ version: String(created.json.version) }, await sealPng('png')));
    expect(uploaded.status, JSON.stringify(uploaded.json)).toBe(200);
    const results = await Promise.all(Array.from({ length: 5 }, () => c.post(`/console/seals/${created.json.id}/redraw`, { version: uploaded.json.version })));
    // Beyond the administrator's 2 heavy-request slots a redraw is 429 (below); of those drawn, one wins.
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.every((s) => s === 200 || s === 409 || s === 429), statuses.join()).toBe(true);
    const seal = await em().findOneOrFail(SealSchema, { id: created.json.id });
    expect(seal.source).toBe('generated');
    await expect(platform.services.store.get(seal.imageKey!)).resolves.toBeTruthy();
    expect((await c.get(`/console/seals/${created.json.id}/image`)).status).toBe(200);
  });

  it('drawing is heavy: a third redraw or create of one administrator while two draw is 429 before anything is drawn; the process draws 2 seals at a time', async () => {
    const { c } = await consoleOf('限流重绘有限公司');
    const created = await c.post('/console/seals', { type: 'finance' });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    const other = await consoleOf('另一家重绘有限公司');
    const otherSeal = (await other.c.get('/console/seals')).json[0];
    // This test holds both of the process's seal-drawing turns: the two redraws below wait for one, in their slots.
    const turns = [await sealRenders.acquire(), await sealRenders.acquire()];
    const release = () => turns.splice(0).forEach((r) => r());
    try {
      const redraw = () => c.post(`/console/seals/${created.json.id}/redraw`, { version: created.json.version });
      const drawing = [redraw(), redraw()];
      await expect.poll(() => sealRenders.waiting).toBe(2);
      const answered = <T>(p: Promise<T>) => Promise.race([p, new Promise<'still waiting'>((resolve) => setTimeout(() => resolve('still waiting'), 5000))]);
      const third = await answered(redraw());
      expect(third === 'still waiting' ? third : [third.status, third.json.error.code, third.headers.get('retry-after')]).toEqual([429, 'REQUESTS_IN_PROGRESS', '2']);
      const create = await answered(c.post('/console/seals', { type: 'hr' }));
      expect(create === 'still waiting' ? create : [create.status, create.json.error.code]).toEqual([429, 'REQUESTS_IN_PROGRESS']);
      // Another administrator has slots of their own: the request is taken (and waits for a drawing turn).
      const othersRedraw = other.c.post(`/console/seals/${otherSeal.id}/redraw`, { version: otherSeal.version });
      await expect.poll(() => sealRenders.waiting).toBe(3);
      release();
      expect((await Promise.all(drawing)).map((r) => r.status).sort()).toEqual([200, 409]);
      expect((await othersRedraw).status).toBe(200);
    } finally {
      release();
    }
    // The slots are free again.
    const fresh = (await c.get(`/console/seals/${created.json.id}`)).json;
    expect((await c.post(`/console/seals/${created.json.id}/redraw`, { version: fresh.version })).status).toBe(200);
    expect(await em().count(AuditEventSchema, { targetId: created.json.id, action: 'seal.image_generated' })).toBe(2);
  });

  it('parallel creates of the same type: exactly one wins, the other gets 409', async () => {
    const { c, enterprise } = await consoleOf('并发印章有限公司');
    // As many at once as the administrator's heavy-request slots take (a create draws the seal).
    const results = await Promise.all(Array.from({ length: HEAVY_REQUESTS_PER_USER }, () => c.post('/console/seals', { type: 'hr' })));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 409]);
    expect(results.filter((r) => r.status === 409).every((r) => r.json.error.code === 'SEAL_EXISTS')).toBe(true);
    expect(await em().count(SealSchema, { enterpriseId: enterprise.id, type: 'hr' })).toBe(1);
    const depts = await Promise.all(Array.from({ length: HEAVY_REQUESTS_PER_USER }, () => c.post('/console/seals', { type: 'department', departmentName: '采购部' })));
    expect(depts.map((r) => r.status).sort()).toEqual([201, 409]);
  });
});

describe('停用/启用, 印章授权 and the usability rule', () => {
  it('a disabled seal, a missing or lapsed authorisation and a missing certificate each make the seal unusable', async () => {
    const { c, user: admin, enterprise } = await consoleOf('温州用章实业有限公司');
    const member = await createUser(platform.services, '用章人');
    const membership = await addMember(platform.services, enterprise.id, admin, member);
    const contract = (await c.get('/console/seals')).json.find((s: { type: string }) => s.type === 'contract');
    const usable = (now = new Date()) => assertSealUsable(em(), { enterpriseId: enterprise.id, sealId: contract.id, userId: member.id, now });

    await expect(usable()).rejects.toMatchObject({ code: 'SEAL_NOT_AUTHORIZED', kind: 'forbidden' });
    expect((await c.post(`/console/seals/${contract.id}/authorizations`, { userId: member.id })).json.error.code).toBe('SEAL_GRANT_CODE_REQUIRED');
    const past = await c.post(`/console/seals/${contract.id}/authorizations`, { userId: member.id, expiresAt: '2020-01-01', code: '000000' });
    expect(past.json.error.code).toBe('EXPIRY_IN_PAST');
    const outsider = await createUser(platform.services, '外人');
    expect((await c.post(`/console/seals/${contract.id}/authorizations`, { userId: outsider.id, code: '000000' })).json.error.code).toBe('MEMBER_NOT_FOUND');
    // A far-future end is a typo, refused before anything is written (year 100000 was a DATETIME error on MariaDB; a
    // year past 9999 is no date the API reads at all: api/http/date-params.ts).
    const far = (expiresAt: string) => c.post(`/console/seals/${contract.id}/authorizations`, { userId: member.id, expiresAt, code: '000000' });
    for (const expiresAt of ['9999-12-31', new Date(Date.now() + 11 * 366 * 86_400_000).toISOString()]) {
      const r = await far(expiresAt);
      expect([r.status, r.json.error.message], expiresAt).toEqual([400, expect.stringContaining('授权有效期不能超过 10 年')]);
    }
    const beyond = await far('+100000-01-01T00:00:00.000Z');
    expect([beyond.status, beyond.json.error.message]).toEqual([400, expect.stringContaining('授权有效期格式不正确')]);

    const expiresAt = new Date(Math.floor((Date.now() + 10 * 86_400_000) / 1000) * 1000); // MariaDB datetime: whole seconds
    const granted = await c.post(`/console/seals/${contract.id}/authorizations`, { userId: member.id, expiresAt: expiresAt.toISOString(), code: await grantCode(c, admin.mobile) });
    expect(granted.status, JSON.stringify(granted.json)).toBe(201);
    expect(granted.json.authorizations).toEqual([expect.objectContaining({ userId: member.id, name: '用章人', expiresAt: expiresAt.toISOString(), lapsed: false })]);

    await expect(usable()).rejects.toMatchObject({ code: 'SEAL_NO_CERTIFICATE' });
    await addSealCertificate(contract.id, enterprise.id);
    const ok = await usable();
    expect(ok.seal.id).toBe(contract.id);
    expect(ok.certificate.ownerId).toBe(contract.id);
    expect((await c.get(`/console/seals/${contract.id}`)).json.certificate.state).toBe('issued');

    // 停用 with the version the admin saw; a stale version is a 409.
    const seen = (await c.get(`/console/seals/${contract.id}`)).json;
    const disabled = await c.post(`/console/seals/${contract.id}/disable`, { version: seen.version });
    expect(disabled.status).toBe(200);
    expect(disabled.json.status).toBe('disabled');
    await expect(usable()).rejects.toMatchObject({ code: 'SEAL_DISABLED', message: expect.stringContaining('已停用'), messageEn: expect.stringContaining('disabled') });
    // Editing the member keeps an authorisation they hold on a seal disabled meanwhile.
    const kept = await c.request('PUT', `/console/members/${membership.id}`, { role: 'member', businessTypes: [], sealIds: [contract.id] });
    expect(kept.status, JSON.stringify(kept.json)).toBe(200);
    expect(await em().count(SealAuthorizationSchema, { sealId: contract.id, userId: member.id })).toBe(1);
    expect((await c.post(`/console/seals/${contract.id}/disable`, {})).json.error.code).toBe('SEAL_ALREADY_DISABLED');
    expect((await c.post(`/console/seals/${contract.id}/enable`, { version: seen.version })).json.error.code).toBe('CONCURRENT_CHANGE');
    expect((await c.post(`/console/seals/${contract.id}/enable`, { version: disabled.json.version })).json.status).toBe('active');
    expect((await usable()).seal.status).toBe('active');

    // The authorisation lapses by itself at its end.
    const later = new Date(expiresAt.getTime() + 1000);
    await expect(usable(later)).rejects.toMatchObject({ code: 'SEAL_AUTHORIZATION_LAPSED', kind: 'forbidden' });
    expect(await lapseExpiredSealAuthorizations(em(), new Date())).toBe(0);
    const swept = await Promise.all([lapseExpiredSealAuthorizations(em(), later), lapseExpiredSealAuthorizations(em(), later)]);
    expect(swept[0] + swept[1]).toBe(1);
    expect(await em().count(SealAuthorizationSchema, { sealId: contract.id })).toBe(0);
    expect(await em().count(AuditEventSchema, { targetId: contract.id, action: 'seal.authorization_lapsed' })).toBe(1);
    await expect(usable(later)).rejects.toMatchObject({ code: 'SEAL_NOT_AUTHORIZED' });

    // Grant without end, revoke.
    const again = await c.post(`/console/seals/${contract.id}/authorizations`, { userId: member.id, code: await grantCode(c, admin.mobile) });
    expect(again.json.authorizations[0].expiresAt).toBeNull();
    expect((await usable(new Date(Date.now() + 300 * 86_400_000))).seal.id).toBe(contract.id); // no end: never lapses
    const revoked = await c.request('DELETE', `/console/seals/${contract.id}/authorizations/${again.json.authorizations[0].id}`);
    expect(revoked.json.authorizations).toEqual([]);
    const actions = (await em().find(AuditEventSchema, { targetId: contract.id }, { orderBy: { at: 'asc' } })).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['seal.created', 'seal.authorization_granted', 'seal.disabled', 'seal.enabled', 'seal.authorization_lapsed', 'seal.authorization_revoked']));
  });

  it("another enterprise's seal id is not found", async () => {
    const a = await consoleOf('甲方印章有限公司');
    const b = await consoleOf('乙方印章有限公司');
    const foreign = (await a.c.get('/console/seals')).json[0].id;
    for (const r of [
      await b.c.get(`/console/seals/${foreign}`),
      await b.c.get(`/console/seals/${foreign}/image`),
      await b.c.post(`/console/seals/${foreign}/disable`, {}),
      await b.c.post(`/console/seals/${foreign}/redraw`, {}),
      await b.c.post(`/console/seals/${foreign}/authorizations`, { userId: b.user.id, code: '123456' }),
    ]) {
      expect(r.status).toBe(404);
      expect(r.json.error.code).toBe('SEAL_NOT_FOUND');
    }
    expect((await em().findOneOrFail(SealSchema, { id: foreign })).status).toBe('active');
    await expect(assertSealUsable(em(), { enterpriseId: b.enterprise.id, sealId: foreign, userId: b.user.id, now: new Date() })).rejects.toMatchObject({ code: 'SEAL_NOT_FOUND' });
  });
});
