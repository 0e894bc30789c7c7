// @sqlite-too: the name search escapes LIKE wildcards per dialect.
/**
 * 管理后台 模板 (M37) over HTTP on a real database: an operator lists the templates of every owner
 * (persons and enterprises) with owner names, kinds, states and share counts, filters them by
 * status / kind / enabled / owner type / name, reads one (definition and shares, no document bytes),
 * and 停用 / 启用 one with a reason: audited, and the owner's template stops (and resumes) being
 * usable. Nobody else reaches these routes.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEventSchema } from '../../domain/audit/audit-event.entity';
import { DocumentTemplateSchema } from '../../domain/templates/template.entity';
import { createCertifiedEnterprise } from '../harness/enterprise-fixtures';
import { createUser, makePdf, TEST_PASSWORD } from '../harness/fixtures';
import { ApiClient } from '../harness/http-client';
import { startTestPlatform, type TestPlatform } from '../harness/platform';

let platform: TestPlatform;
let op: ApiClient;
const tag = randomUUID().slice(0, 6);
const em = () => platform.services.orm.em.fork();

async function loggedIn(name: string, role: 'operator' | null = null) {
  const user = await createUser(platform.services, name, role);
  const c = new ApiClient(platform.baseUrl);
  await c.login(user.mobile, TEST_PASSWORD);
  return { user, c };
}

async function createWeb(c: ApiClient, name: string) {
  const form = new FormData();
  form.append('info', JSON.stringify({ kind: 'web', name, businessType: '采购', scenario: null }));
  form.append('file', new Blob([(await makePdf(2)) as Uint8Array<ArrayBuffer>], { type: 'application/pdf' }), 't.pdf');
  const r = await c.request('POST', '/templates', form);
  expect(r.status, JSON.stringify(r.json)).toBe(201);
  return r.json as { id: string; version: number; name: string };
}

const box = (page: number, x: number, y: number) => ({ page, x, y, width: 200, height: 20, fontSize: 12, align: 'left' });
const definition = {
  fields: [{ key: 'buyer', label: '买方名称', type: 'text', required: true, box: box(1, 100, 100) }],
  roles: [{ id: 'r1', name: '甲方', kind: 'person', step: 1, marks: [{ kind: 'handwritten', page: 2, x: 100, y: 500 }] }],
};

async function defineAndPublish(c: ApiClient, t: { id: string; version: number; name: string }) {
  const put = await c.request('PUT', `/templates/${t.id}`, { version: t.version, name: t.name, businessType: '采购', scenario: null, definition });
  expect(put.status, JSON.stringify(put.json)).toBe(200);
  const pub = await c.post(`/templates/${t.id}/publish`, { version: put.json.version });
  expect(pub.status, JSON.stringify(pub.json)).toBe(200);
  return pub.json as { id: string; version: number; status: string };
}

const list = async (filter: Record<string, unknown>, extra = '') => {
  const r = await op.get(`/admin/templates?filter=${encodeURIComponent(JSON.stringify(filter))}${extra}`);
  expect(r.status, JSON.stringify(r.json)).toBe(200);
  return { rows: r.json as Record<string, any>[], range: r.headers.get('content-range') };
};

let person: Awaited<ReturnType<typeof loggedIn>>;
let entAdmin: Awaited<ReturnType<typeof loggedIn>>;
let otherAdmin: Awaited<ReturnType<typeof loggedIn>>;
let enterpriseName: string;
let otherName: string;
let personal: { id: string; version: number; name: string };
let enterpriseTpl: { id: string; version: number; name: string };
let published: { id: string; version: number; status: string };

beforeAll(async () => {
  platform = await startTestPlatform();
  ({ c: op } = await loggedIn('模板运营', 'operator'));
  person = await loggedIn(`模板个人${tag}`);
  entAdmin = await loggedIn('模板甲管理员');
  otherAdmin = await loggedIn('模板乙管理员');
  enterpriseName = `模板甲${tag}科技有限公司`;
  otherName = `模板乙${tag}贸易有限公司`;
  const a = await createCertifiedEnterprise(platform.services, entAdmin.user, enterpriseName, ['official', 'contract']);
  const b = await createCertifiedEnterprise(platform.services, otherAdmin.user, otherName, ['official', 'contract']);
  expect((await entAdmin.c.post('/auth/acting', { enterpriseId: a.id })).status).toBe(200);
  personal = await createWeb(person.c, `运营检索${tag}个人协议`);
  enterpriseTpl = await createWeb(entAdmin.c, `运营检索${tag}采购合同`);
  expect((await entAdmin.c.request('PUT', `/templates/${enterpriseTpl.id}/shares/${b.id}`, { editable: false })).status).toBe(200);
  const toPublish = await createWeb(entAdmin.c, `运营检索${tag}服务协议_50%`);
  published = await defineAndPublish(entAdmin.c, toPublish);
});
afterAll(async () => platform?.stop());

describe('operator template list', () => {
  it('lists the templates of every owner, newest change first, with owner names and share counts', async () => {
    const { rows, range } = await list({ q: `运营检索${tag}` });
    expect(rows.map((t) => t.id)).toEqual([published.id, enterpriseTpl.id, personal.id]);
    expect(range).toBe('admin/templates 0-2/3');
    expect(rows[1]).toMatchObject({ kind: 'web', status: 'draft', enabled: true, owner: { type: 'enterprise', name: enterpriseName }, sharesCount: 1, businessType: '采购' });
    expect(rows[2]).toMatchObject({ owner: { type: 'user', id: person.user.id, name: person.user.name }, sharesCount: 0 });
    expect(rows[0]).toMatchObject({ status: 'published', canManage: false, editable: false });
    expect(typeof rows[0]!.createdAt).toBe('string');
    // A list row carries no definition nor document.
    for (const key of ['definition', 'sourceKey', 'sourceSha256', 'tags', 'pages']) expect(rows[0]).not.toHaveProperty(key);
  });

  it('filters by status, kind, enabled, owner type and name (wildcards literal); pages with Content-Range', async () => {
    const ids = async (f: Record<string, unknown>) => (await list({ q: `运营检索${tag}`, ...f })).rows.map((t) => t.id);
    expect(await ids({ status: 'published' })).toEqual([published.id]);
    expect(await ids({ status: 'draft' })).toEqual([enterpriseTpl.id, personal.id]);
    expect(await ids({ kind: 'word' })).toEqual([]);
    expect(await ids({ kind: 'web', ownerType: 'user' })).toEqual([personal.id]);
    expect(await ids({ enabled: false })).toEqual([]);
    expect((await list({ q: `运营检索${tag}服务协议_50%` })).rows.map((t) => t.id)).toEqual([published.id]);
    expect((await list({ q: `${tag}服务协议_5%0` })).rows).toEqual([]);
    const page = await list({ q: `运营检索${tag}` }, `&range=${encodeURIComponent('[1,1]')}&sort=${encodeURIComponent('["name","ASC"]')}`);
    expect(page.range).toBe('admin/templates 1-1/3');
    expect(page.rows).toHaveLength(1);
    expect((await op.get(`/admin/templates?filter=${encodeURIComponent('{"status":"gone"}')}`)).status).toBe(400);
  });

  it('shows one template with its definition and shares; unknown id → 404', async () => {
    const r = await op.get(`/admin/templates/${enterpriseTpl.id}`);
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    expect(r.json).toMatchObject({ id: enterpriseTpl.id, owner: { type: 'enterprise', name: enterpriseName }, sharesCount: 1, shares: [{ enterpriseName: otherName, editable: false }] });
    expect(r.json).not.toHaveProperty('sourceKey');
    const p = await op.get(`/admin/templates/${published.id}`);
    expect(p.json.definition.fields.map((f: { key: string }) => f.key)).toEqual(['buyer']);
    const missing = await op.get(`/admin/templates/${randomUUID()}`);
    expect([missing.status, missing.json.error.code]).toEqual([404, 'TEMPLATE_NOT_FOUND']);
  });
});

describe('operator 停用 / 启用', () => {
  it('needs a reason; disables with an audit row; the owner can no longer use it nor enable it (platform lock); enabling restores it', async () => {
    expect((await op.post(`/admin/templates/${published.id}/disable`, {})).status).toBe(400);
    expect((await op.post(`/admin/templates/${published.id}/disable`, { reason: '  ' })).status).toBe(400);
    expect((await op.post(`/admin/templates/${published.id}/disable`, { reason: '涉嫌违规', version: published.version + 5 })).status).toBe(409);

    const off = await op.post(`/admin/templates/${published.id}/disable`, { reason: '涉嫌违规' });
    expect(off.status, JSON.stringify(off.json)).toBe(200);
    expect(off.json).toMatchObject({ id: published.id, enabled: false, status: 'published' });
    expect((await em().findOneOrFail(DocumentTemplateSchema, { id: published.id })).enabled).toBe(false);
    expect((await list({ q: `运营检索${tag}`, enabled: false })).rows.map((t) => t.id)).toEqual([published.id]);
    expect((await list({ q: `运营检索${tag}`, enabled: 'false' })).rows.map((t) => t.id)).toEqual([published.id]); // as the console's select sends it

    // The owner sees it disabled by the platform, cannot start from it, and cannot enable it again (nothing recorded).
    expect((await entAdmin.c.get(`/templates/${published.id}`)).json).toMatchObject({ enabled: false, disabledByPlatform: true });
    const form = await entAdmin.c.get(`/templates/${published.id}/form`);
    expect([form.status, form.json.error.code, form.json.error.message]).toEqual([409, 'TEMPLATE_NOT_USABLE', '模板已停用，不能用于发起合同']);
    const ownerOn = await entAdmin.c.post(`/templates/${published.id}/enable`, {});
    expect([ownerOn.status, ownerOn.json.error?.code]).toEqual([409, 'TEMPLATE_DISABLED_BY_PLATFORM']);
    expect(ownerOn.json.error.message).toMatch(/平台/);
    expect((await em().findOneOrFail(DocumentTemplateSchema, { id: published.id })).enabled).toBe(false);

    // Disabling again changes nothing and records nothing.
    expect((await op.post(`/admin/templates/${published.id}/disable`, { reason: '再次' })).status).toBe(200);

    const on = await op.post(`/admin/templates/${published.id}/enable`, { reason: '复核无误' });
    expect(on.status, JSON.stringify(on.json)).toBe(200);
    expect(on.json).toMatchObject({ enabled: true, disabledByPlatform: false });
    expect((await entAdmin.c.get(`/templates/${published.id}/form`)).status).toBe(200);
    // The lock is lifted: the owner manages it again as before.
    expect((await entAdmin.c.post(`/templates/${published.id}/disable`, {})).json).toMatchObject({ enabled: false, disabledByPlatform: false });
    expect((await entAdmin.c.post(`/templates/${published.id}/enable`, {})).json).toMatchObject({ enabled: true });

    const events = await em().find(AuditEventSchema, { targetType: 'template', targetId: published.id, action: { $in: ['template.disabled', 'template.enabled'] } }, { orderBy: { at: 'asc' } });
    expect(events.map((e) => [e.action, e.actorName, JSON.parse(e.detail ?? '{}')]).slice(0, 2)).toEqual([
      ['template.disabled', '模板运营', expect.objectContaining({ byOperator: true, reason: '涉嫌违规', name: expect.stringContaining('服务协议') })],
      ['template.enabled', '模板运营', expect.objectContaining({ byOperator: true, reason: '复核无误' })],
    ]);
    expect(events).toHaveLength(4); // then the owner's 停用 and 启用
    expect(events[0]!.enterpriseId).not.toBeNull();
  });

  it('refuses everybody but operators (403), owners included', async () => {
    for (const c of [entAdmin.c, person.c, otherAdmin.c]) {
      expect((await c.get('/admin/templates')).status).toBe(403);
      expect((await c.get(`/admin/templates/${published.id}`)).status).toBe(403);
      expect((await c.post(`/admin/templates/${published.id}/disable`, { reason: 'x' })).status).toBe(403);
    }
    expect((await em().findOneOrFail(DocumentTemplateSchema, { id: published.id })).enabled).toBe(true);
  });
});
