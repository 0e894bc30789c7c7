// @sqlite-too: the multipart reader and the start spec's checks run before any SQL; the counts after them are plain.
/**
 * Hostile form fields over HTTP (a fuzzer's findings; each was a 500 or a contract made of nonsense):
 * - a multipart field name with brackets (`version[x]`, `spec[title]`, `spec[]`) made multer build a nested
 *   object without a prototype, on which `z.coerce.*` threw a TypeError (500) — or, for `spec[title]=…`, a
 *   contract started from bracket fields; a name sent twice made an array. Each is 400 INVALID_FORM_FIELD
 *   before any route code runs, and nothing changes;
 * - POST /api/enterprises without any body (no Content-Type, no Content-Length) read `undefined.sealTypes` (500);
 * - the start spec read `step: true`, `page: true`, `x: ""`, `y: []` as 1, 1, 0, 0 and started the contract.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContractSchema } from '../../domain/contracts/contract.entity';
import { EnterpriseSchema } from '../../domain/enterprises/enterprise.entity';
import { SealSchema } from '../../domain/enterprises/seal.entities';
import { DocumentTemplateSchema } from '../../domain/templates/template.entity';
import { createCertifiedEnterprise } from '../harness/enterprise-fixtures';
import { contractForm, createUser, makePdf, TEST_PASSWORD } from '../harness/fixtures';
import { ApiClient } from '../harness/http-client';
import { startTestPlatform, type TestPlatform } from '../harness/platform';

let platform: TestPlatform;
let alice: Awaited<ReturnType<typeof createUser>>;
let api: ApiClient;

beforeAll(async () => {
  platform = await startTestPlatform();
  alice = await createUser(platform.services, '韩梅梅');
  api = new ApiClient(platform.baseUrl);
  await api.login(alice.mobile, TEST_PASSWORD);
});
afterAll(async () => platform?.stop());

const em = () => platform.services.orm.em.fork();
const inOneDay = () => new Date(Date.now() + 24 * 3600_000);
const pdfBlob = async (pages = 1) => new Blob([(await makePdf(pages)) as Uint8Array<ArrayBuffer>], { type: 'application/pdf' });

/** A form of `fields` (in order; a name may repeat) and a file. */
function formOf(fields: [string, string][], file: Blob, fileName: string) {
  const form = new FormData();
  for (const [k, v] of fields) form.append(k, v);
  form.append('file', file, fileName);
  return form;
}

/** The 400 every bracketed or repeated field gets, naming the field. */
function expectInvalidField(r: { status: number; json: any }, name: string) {
  expect(r.status, JSON.stringify(r.json)).toBe(400);
  expect(r.json.error).toEqual({
    code: 'INVALID_FORM_FIELD',
    message: `表单字段“${name}”无效：字段名不能含方括号，且每个字段只能出现一次`,
    messageEn: `Invalid form field "${name}": field names cannot contain brackets and each field may appear once`,
  });
}

/** A spec the start accepts: alice signs herself with a 人名章 on page 1. */
const validSpec = (title: string, over: Record<string, unknown> = {}) => ({
  title,
  expiresAt: inOneDay().toISOString(),
  participants: [{ kind: 'person', step: 1, mobile: alice.mobile, name: alice.name, marks: [{ kind: 'name_seal', page: 1, x: 100, y: 600 }] }],
  ...over,
});

describe('multipart fields with brackets or sent twice', () => {
  it('PUT /templates/:id/source with version[x]=1 is 400 INVALID_FORM_FIELD (was a 500) and keeps the template; a plain version still works', async () => {
    const info = JSON.stringify({ kind: 'web', name: '服务协议', businessType: '采购', scenario: null });
    const created = await api.request('POST', '/templates', formOf([['info', info]], await pdfBlob(2), 't.pdf'));
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    const t = created.json as { id: string; version: number };
    const before = await em().findOneOrFail(DocumentTemplateSchema, { id: t.id });

    expectInvalidField(await api.request('PUT', `/templates/${t.id}/source`, formOf([['version[x]', '1']], await pdfBlob(3), 'v2.pdf')), 'version[x]');
    expectInvalidField(await api.request('PUT', `/templates/${t.id}/source`, formOf([['version[]', String(t.version)]], await pdfBlob(3), 'v2.pdf')), 'version[]');
    // The same name twice (multer makes an array of it).
    expectInvalidField(await api.request('PUT', `/templates/${t.id}/source`, formOf([['version', String(t.version)], ['version', String(t.version)]], await pdfBlob(3), 'v2.pdf')), 'version');
    const after = await em().findOneOrFail(DocumentTemplateSchema, { id: t.id });
    expect([after.version, after.sourceSha256]).toEqual([before.version, before.sourceSha256]);

    const replaced = await api.request('PUT', `/templates/${t.id}/source`, formOf([['version', String(t.version)]], await pdfBlob(3), 'v2.pdf'));
    expect(replaced.status, JSON.stringify(replaced.json)).toBe(200);
    expect(replaced.json).toMatchObject({ version: t.version + 1 });
    expect(replaced.json.pages).toHaveLength(3);
  });

  it('PUT /console/seals/:id/image with version[x]=1 is 400 INVALID_FORM_FIELD (was a 500); the seal keeps its image', async () => {
    const admin = await createUser(platform.services, '李雷');
    const c = new ApiClient(platform.baseUrl);
    await c.login(admin.mobile, TEST_PASSWORD);
    const enterprise = await createCertifiedEnterprise(platform.services, admin, '方括号测试有限公司');
    expect((await c.post('/auth/acting', { enterpriseId: enterprise.id })).status).toBe(200);
    const seals = (await c.get('/console/seals')).json as { id: string; version: number }[];
    const seal = seals[0]!;
    const before = await em().findOneOrFail(SealSchema, { id: seal.id });
    // Any PNG: the field is refused before the image is looked at.
    const png = new Blob([Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex')], { type: 'image/png' });

    expectInvalidField(await c.request('PUT', `/console/seals/${seal.id}/image`, formOf([['version[x]', '1']], png, 'seal.png')), 'version[x]');
    expectInvalidField(await c.request('PUT', `/console/seals/${seal.id}/image`, formOf([['version', String(seal.version)], ['version', '1']], png, 'seal.png')), 'version');
    const after = await em().findOneOrFail(SealSchema, { id: seal.id });
    expect([after.version, after.imageKey, after.source]).toEqual([before.version, before.imageKey, before.source]);
  });

  it.each([
    // The fuzzer's forms: a 500 (z.coerce on an object without a prototype).
    ['spec[expiresAt][x]', () => [['spec[expiresAt][x]', '1']]],
    ['spec[participants][0][step][a]', () => [['spec[participants][0][step][a]', '1']]],
    // Beside a valid spec.
    ['spec[expiresAt][y]', (title: string) => [['spec', JSON.stringify(validSpec(title))], ['spec[expiresAt][y]', '1']]],
    // A spec made of bracket fields only: it started a contract.
    ['spec[title]', (title: string) => [['spec[title]', title], ['spec[participants][0][kind]', 'person'], ['spec[participants][0][step]', '1'], ['spec[participants][0][mobile]', alice.mobile], ['spec[participants][0][name]', alice.name], ['spec[participants][0][placement]', 'free']]],
    ['spec', (title: string) => [['spec', JSON.stringify(validSpec(title))], ['spec', JSON.stringify(validSpec(title))]]],
  ] as [string, (title: string) => [string, string][]][])('POST /contracts with %s is 400 INVALID_FORM_FIELD; no contract is started', async (name, fields) => {
    const title = `方括号合同 ${name}`;
    const r = await api.post('/contracts', formOf(fields(title), await pdfBlob(), 'contract.pdf'));
    expectInvalidField(r, name);
    expect(await em().count(ContractSchema, { title })).toBe(0);
  });

  it('a normal form (spec as one JSON string beside the file) still starts the contract', async () => {
    const r = await api.post('/contracts', contractForm(await makePdf(1), { title: '正常表单合同', expiresAt: inOneDay(), signers: [{ mobile: alice.mobile, name: alice.name, page: 1, x: 100, y: 600 }] }));
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    expect(await em().count(ContractSchema, { title: '正常表单合同' })).toBe(1);
  });
});

describe('POST /enterprises without a body', () => {
  /** Sends the request line and headers only: no Content-Type, no Content-Length, no Transfer-Encoding. */
  async function bodiless(path: string, cookie: string, ip: string): Promise<{ status: number; json: any; raw: string }> {
    const { hostname, port } = new URL(platform.baseUrl);
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(Number(port), hostname, () => {
        socket.write(`POST /api${path} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nCookie: ${cookie}\r\nX-Forwarded-For: ${ip}\r\nConnection: close\r\n\r\n`);
      });
      const chunks: Buffer[] = [];
      socket.on('data', (d) => chunks.push(d));
      socket.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      socket.on('error', reject);
    });
    const [head, ...rest] = raw.split('\r\n\r\n');
    return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head ?? '')?.[1]), json: JSON.parse(rest.join('\r\n\r\n')), raw };
  }

  it('is 400 naming the first missing field (was a 500 reading sealTypes of undefined); nothing is created', async () => {
    const user = await createUser(platform.services, '王小明');
    const ip = '10.250.1.7';
    const login = await fetch(`${platform.baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': ip }, body: JSON.stringify({ mobile: user.mobile, password: TEST_PASSWORD }) });
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;

    const r = await bodiless('/enterprises', cookie, ip);
    expect(r.status, r.raw).toBe(400);
    expect(r.json.error).toMatchObject({ code: 'VALIDATION_FAILED', message: '请输入企业名称', messageEn: 'Invalid input: name' });

    // The same through fetch (an empty POST: Content-Length 0, no Content-Type).
    const c = new ApiClient(platform.baseUrl);
    await c.login(user.mobile, TEST_PASSWORD);
    const empty = await c.post('/enterprises');
    expect(empty.status, JSON.stringify(empty.json)).toBe(400);
    expect(empty.json.error).toMatchObject({ code: 'VALIDATION_FAILED', message: '请输入企业名称' });
    expect(await em().count(EnterpriseSchema, { certifierUserId: user.id })).toBe(0);
  });
});

describe('the start spec reads numbers and dates only as numbers and dates', () => {
  const participant = (over: Record<string, unknown> = {}, mark: Record<string, unknown> = {}) => ({
    kind: 'person',
    step: 1,
    mobile: alice.mobile,
    name: alice.name,
    marks: [{ kind: 'name_seal', page: 1, x: 100, y: 600, ...mark }],
    ...over,
  });
  it.each([
    ['step: true', () => ({ participants: [participant({ step: true })] }), '签署顺序须为数字', 'participants.0.step'],
    ['page: true', () => ({ participants: [participant({}, { page: true })] }), '页码须为数字', 'participants.0.marks.0.page'],
    ['x: ""', () => ({ participants: [participant({}, { x: '' })] }), '坐标须为数字', 'participants.0.marks.0.x'],
    ['y: []', () => ({ participants: [participant({}, { y: [] })] }), '坐标须为数字', 'participants.0.marks.0.y'],
    ['expiresAt: true', () => ({ expiresAt: true }), '截止时间格式不正确', 'expiresAt'],
    ['expiresAt: {}', () => ({ expiresAt: {} }), '截止时间格式不正确', 'expiresAt'],
  ] as [string, () => Record<string, unknown>, string, string][])('%s is 400 VALIDATION_FAILED naming the field (was read as a number and started)', async (label, over, message, where) => {
    const title = `非数字合同 ${label}`;
    const form = new FormData();
    form.append('file', await pdfBlob(), 'contract.pdf');
    form.append('spec', JSON.stringify(validSpec(title, over())));
    const r = await api.post('/contracts', form);
    expect(r.status, JSON.stringify(r.json)).toBe(400);
    expect(r.json.error).toEqual({ code: 'VALIDATION_FAILED', message, messageEn: `Invalid input: ${where}` });
    expect(await em().count(ContractSchema, { title })).toBe(0);
  });

  it('numbers written as plain decimal strings are still read (a form’s text)', async () => {
    const title = '数字文本合同';
    const form = new FormData();
    form.append('file', await pdfBlob(), 'contract.pdf');
    form.append('spec', JSON.stringify(validSpec(title, { participants: [participant({ step: '1' }, { page: '1', x: '100.5', y: '600' })] })));
    const r = await api.post('/contracts', form);
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    expect(await em().count(ContractSchema, { title })).toBe(1);
  });
});
