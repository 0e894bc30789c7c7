// @sqlite-too: the template search escapes LIKE wildcards per dialect.
/**
 * 模板文件 management over HTTP on a real database (issue 11, part D): the owner party (personal /
 * acting enterprise), the console role, shares (view-only vs editable), optimistic versions (stale →
 * 409, parallel writers → one wins), publish through the generation workflow, 启用/停用, permanent
 * delete (shares and source file gone), hostile uploads refused fast, and an audit row per change. An edit or a
 * publish commits only while its right holds: 取消共享, 是否可编辑 withdrawn or the console role lost meanwhile → 409.
 */
import fs from 'node:fs';
import PizZip from 'pizzip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEventSchema } from '../../domain/audit/audit-event.entity';
import { MembershipSchema, type MemberRole } from '../../domain/enterprises/membership.entity';
import { AppError } from '../../domain/errors';
import { deleteTemplate } from '../../domain/templates/delete-template';
import { publishTemplate } from '../../domain/templates/publish-template';
import { setTemplateEnabled } from '../../domain/templates/template-state';
import type { TemplateActor } from '../../domain/templates/template-access';
import { shareTemplate, unshareTemplate } from '../../domain/templates/template-shares';
import { TemplateShareSchema } from '../../domain/templates/template-share.entity';
import { DocumentTemplateSchema } from '../../domain/templates/template.entity';
import { replaceTemplateSource } from '../../domain/templates/update-template';
import { runTemplateGenerationWorkflow } from '../../workflows/clients/template-generation';
import { ApiClient } from '../harness/http-client';
import { forkRacedBeforeWrite, outcomeOf } from '../harness/race-hooks';
import { addMember, createCertifiedEnterprise } from '../harness/enterprise-fixtures';
import { createUser, makePdf, TEST_PASSWORD } from '../harness/fixtures';
import { startTestPlatform, type TestPlatform } from '../harness/platform';

let platform: TestPlatform;

beforeAll(async () => {
  platform = await startTestPlatform();
});
afterAll(async () => platform?.stop());

const em = () => platform.services.orm.em.fork();
const DOCX = new Uint8Array(fs.readFileSync('templates/demo/purchase-contract.docx'));
const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

async function loggedIn(name: string) {
  const user = await createUser(platform.services, name);
  const c = new ApiClient(platform.baseUrl);
  await c.login(user.mobile, TEST_PASSWORD);
  return { user, c };
}

/** A certified enterprise whose admin acts for it, plus a plain member acting for it. */
async function enterpriseWithMember(name: string) {
  const admin = await loggedIn(`${name}管理员`);
  const enterprise = await createCertifiedEnterprise(platform.services, admin.user, name, ['official', 'contract']);
  expect((await admin.c.post('/auth/acting', { enterpriseId: enterprise.id })).status).toBe(200);
  const member = await loggedIn(`${name}成员`);
  await addMember(platform.services, enterprise.id, admin.user, member.user, 'member');
  expect((await member.c.post('/auth/acting', { enterpriseId: enterprise.id })).status).toBe(200);
  return { admin, member, enterprise };
}

function templateForm(kind: 'word' | 'web', bytes: Uint8Array, info: Record<string, unknown> = {}) {
  const form = new FormData();
  form.append('info', JSON.stringify({ kind, name: kind === 'word' ? '采购合同' : '服务协议', businessType: '采购', scenario: '年度框架', ...info }));
  form.append('file', new Blob([bytes as Uint8Array<ArrayBuffer>], { type: kind === 'word' ? DOCX_TYPE : 'application/pdf' }), kind === 'word' ? 't.docx' : 't.pdf');
  return form;
}

const box = (page: number, x: number, y: number) => ({ page, x, y, width: 200, height: 20, fontSize: 12, align: 'left' });
const webDefinition = {
  fields: [
    { key: 'buyer', label: '买方名称', type: 'text', required: true, box: box(1, 100, 100) },
    { key: 'amount', label: '金额', type: 'amount', required: true, box: box(1, 100, 140) },
  ],
  roles: [
    { id: 'r1', name: '甲方', kind: 'enterprise', step: 1, marks: [{ kind: 'seal', sealType: 'contract', page: 2, x: 300, y: 500 }] },
    { id: 'r2', name: '乙方', kind: 'person', step: 2, canRefuse: true, marks: [{ kind: 'handwritten', page: 2, x: 100, y: 500 }] },
  ],
};

async function createWeb(c: ApiClient, info: Record<string, unknown> = {}) {
  const r = await c.request('POST', '/templates', templateForm('web', await makePdf(2), info));
  expect(r.status, JSON.stringify(r.json)).toBe(201);
  return r.json;
}

async function defineAndPublish(c: ApiClient, t: { id: string; version: number; name: string }) {
  const put = await c.request('PUT', `/templates/${t.id}`, { version: t.version, name: t.name, businessType: '采购', scenario: null, definition: webDefinition });
  expect(put.status, JSON.stringify(put.json)).toBe(200);
  const pub = await c.post(`/templates/${t.id}/publish`, { version: put.json.version });
  expect(pub.status, JSON.stringify(pub.json)).toBe(200);
  return pub.json;
}

const auditActions = async (templateId: string) => (await em().find(AuditEventSchema, { targetType: 'template', targetId: templateId }, { orderBy: { at: 'asc' } })).map((a) => a.action);

describe('personal templates', () => {
  it('a Word upload lists its tags as optional text fields; other users do not find it; stale version → 409', async () => {
    const { c } = await loggedIn('模板作者');
    const created = await c.request('POST', '/templates', templateForm('word', DOCX));
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    const t = created.json;
    expect(t).toMatchObject({ kind: 'word', name: '采购合同', status: 'draft', enabled: true, shared: false, editable: true, canManage: true, owner: { type: 'user' }, pages: null, version: 1 });
    for (const tag of ['合同编号', '甲方名称', '总金额', '总金额大写']) expect(t.tags).toContain(tag);
    expect(t.definition.fields.map((f: { key: string }) => f.key)).toEqual(t.tags);
    expect(t.definition.fields[0]).toMatchObject({ type: 'text', required: false, label: t.tags[0] });

    const source = await c.get(`/templates/${t.id}/source`);
    expect(source.status).toBe(200);
    expect(source.headers.get('content-type')).toBe(DOCX_TYPE);
    expect(Buffer.from(source.bytes).equals(Buffer.from(DOCX))).toBe(true);

    const list = await c.get('/templates?kind=word');
    expect(list.json.total).toBe(1);
    expect(list.json.data[0]).toMatchObject({ id: t.id, shared: false, canManage: true });

    const other = await loggedIn('旁人');
    expect((await other.c.get(`/templates/${t.id}`)).status).toBe(404);
    expect((await other.c.get(`/templates/${t.id}/source`)).status).toBe(404);
    expect((await other.c.get('/templates')).json.total).toBe(0);
    expect((await other.c.request('DELETE', `/templates/${t.id}`)).status).toBe(404);

    const fields = t.definition.fields.map((f: { key: string }) => (f.key === '总金额' ? { ...f, label: '总金额', type: 'amount', required: true } : f));
    const edit = await c.request('PUT', `/templates/${t.id}`, { version: 1, name: '采购合同（2026）', businessType: '采购', scenario: null, definition: { fields, roles: [] } });
    expect(edit.status, JSON.stringify(edit.json)).toBe(200);
    expect(edit.json).toMatchObject({ version: 2, name: '采购合同（2026）', status: 'draft' });
    const stale = await c.request('PUT', `/templates/${t.id}`, { version: 1, name: '旧版本', businessType: null, scenario: null, definition: { fields, roles: [] } });
    expect(stale.status).toBe(409);
    expect(stale.json.error.code).toBe('VERSION_CONFLICT');

    const badKey = await c.request('PUT', `/templates/${t.id}`, { version: 2, name: 'x', definition: { fields: [{ key: '不存在', label: '不存在', type: 'text' }], roles: [] } });
    expect(badKey.status).toBe(400);
    expect(badKey.json.error).toMatchObject({ code: 'TEMPLATE_DEFINITION_INVALID', message: '字段「不存在」：模板文件中没有标签 {不存在}' });
    expect(await auditActions(t.id)).toEqual(['template.created', 'template.updated']);
    expect((await c.get(`/templates?q=${encodeURIComponent('（2026')}`)).json.total).toBe(1);
    expect((await c.get(`/templates?q=${encodeURIComponent('%')}`)).json.total).toBe(0); // a wildcard is text
    expect((await c.get('/templates?status=published')).json.total).toBe(0);
    expect((await c.get('/templates?kind=web')).json.total).toBe(0);
  });

  it('a Word template publishes once its keywords are found in the generated PDF; a missing keyword is 422 at publish', async () => {
    const { c } = await loggedIn('Word发布作者');
    const t = (await c.request('POST', '/templates', templateForm('word', DOCX))).json;
    const fields = t.definition.fields.map((f: { key: string }) =>
      f.key === '总金额' ? { ...f, type: 'amount' } : f.key === '总金额大写' ? { ...f, type: 'amount_capital', derivedFrom: '总金额' } : f.key === '签订日期' ? { ...f, type: 'date' } : f,
    );
    const roles = [
      { id: 'r1', name: '甲方', kind: 'enterprise', step: 1, marks: [{ kind: 'seal', sealType: 'contract', keyword: '甲方（盖章）：', occurrence: 'last', offsetX: 60, offsetY: -40 }] },
      { id: 'r2', name: '乙方', kind: 'person', step: 2, marks: [{ kind: 'handwritten', keyword: '乙方（签字）：', offsetX: 60, offsetY: -20 }] },
    ];
    const missing = [...roles, { id: 'r3', name: '丙方', kind: 'person', step: 3, marks: [{ kind: 'name_seal', keyword: '丙方（签字）：' }] }];
    const put = await c.request('PUT', `/templates/${t.id}`, { version: t.version, name: t.name, definition: { fields, roles: missing } });
    expect(put.status, JSON.stringify(put.json)).toBe(200);
    const refused = await c.post(`/templates/${t.id}/publish`, { version: put.json.version });
    expect(refused.status, JSON.stringify(refused.json)).toBe(422);
    expect(refused.json.error.code).toBe('TEMPLATE_KEYWORD_MISSING');
    expect(refused.json.error.message).toContain('丙方');
    expect((await c.get(`/templates/${t.id}`)).json.status).toBe('draft');

    const fixed = await c.request('PUT', `/templates/${t.id}`, { version: put.json.version, name: t.name, definition: { fields, roles } });
    const published = await c.post(`/templates/${t.id}/publish`, { version: fixed.json.version });
    expect(published.status, JSON.stringify(published.json)).toBe(200);
    expect(published.json).toMatchObject({ status: 'published', version: fixed.json.version + 1 });
  });

  it('personal templates cannot be shared', async () => {
    const { c } = await loggedIn('个人作者');
    const t = await createWeb(c);
    const other = await enterpriseWithMember('共享目标甲公司');
    const r = await c.request('PUT', `/templates/${t.id}/shares/${other.enterprise.id}`, { editable: false });
    expect(r.status).toBe(400);
    expect(r.json.error.code).toBe('TEMPLATE_NOT_SHAREABLE');
  });
});

describe('enterprise templates: console role, members, shares', () => {
  it('members see published + enabled only; managing needs the console role; disable hides it again', async () => {
    const { admin, member, enterprise } = await enterpriseWithMember('模板企业');
    const denied = await member.c.request('POST', '/templates', templateForm('web', await makePdf(1)));
    expect(denied.status).toBe(403);
    expect(denied.json.error.code).toBe('TEMPLATE_MANAGE_FORBIDDEN');

    const t = await createWeb(admin.c);
    expect(t.owner).toMatchObject({ type: 'enterprise', id: enterprise.id, name: '模板企业' });
    expect(t.pages).toHaveLength(2);
    expect((await member.c.get(`/templates/${t.id}`)).status).toBe(404);
    expect((await member.c.get('/templates')).json.total).toBe(0);
    // The admin acting personally does not see the enterprise's templates either.
    const personal = new ApiClient(platform.baseUrl);
    await personal.login(admin.user.mobile, TEST_PASSWORD);
    expect((await personal.get(`/templates/${t.id}`)).status).toBe(404);

    const published = await defineAndPublish(admin.c, t);
    expect(published).toMatchObject({ status: 'published', enabled: true });
    expect(published.publishedAt).not.toBeNull();

    const seen = await member.c.get(`/templates/${t.id}`);
    expect(seen.status).toBe(200);
    expect(seen.json).toMatchObject({ canManage: false, editable: false });
    expect((await member.c.get('/templates?usable=1')).json.data.map((s: { id: string }) => s.id)).toEqual([t.id]);
    const memberDisable = await member.c.post(`/templates/${t.id}/disable`);
    expect(memberDisable.status).toBe(403);

    const disabled = await admin.c.post(`/templates/${t.id}/disable`);
    expect(disabled.status).toBe(200);
    expect(disabled.json).toMatchObject({ enabled: false, status: 'published' });
    expect((await member.c.get(`/templates/${t.id}`)).status).toBe(404);
    expect((await admin.c.get('/templates?usable=1')).json.total).toBe(0);
    expect((await admin.c.get('/templates?enabled=0')).json.data.map((s: { id: string }) => s.id)).toEqual([t.id]);
    expect((await admin.c.post(`/templates/${t.id}/enable`)).json.enabled).toBe(true);

    // Editing the definition of a published template returns it to draft.
    const current = (await admin.c.get(`/templates/${t.id}`)).json;
    const changed = { ...webDefinition, fields: [webDefinition.fields[0]] };
    const edit = await admin.c.request('PUT', `/templates/${t.id}`, { version: current.version, name: current.name, businessType: current.businessType, scenario: null, definition: changed });
    expect(edit.json).toMatchObject({ status: 'draft' });
    expect(await auditActions(t.id)).toEqual(['template.created', 'template.updated', 'template.published', 'template.disabled', 'template.enabled', 'template.updated']);
  });

  it('a share is view-only unless editable; only the owner manages; another enterprise does not find it', async () => {
    const owner = await enterpriseWithMember('共享方公司');
    const receiver = await enterpriseWithMember('接收方公司');
    const stranger = await enterpriseWithMember('无关公司');
    const t = await createWeb(owner.admin.c, { name: '共享的协议' });

    const share = await owner.admin.c.request('PUT', `/templates/${t.id}/shares/${receiver.enterprise.id}`, { editable: false });
    expect(share.status, JSON.stringify(share.json)).toBe(200);
    expect(share.json).toMatchObject({ enterpriseId: receiver.enterprise.id, enterpriseName: '接收方公司', editable: false });
    expect((await owner.member.c.get(`/templates/${t.id}/shares`)).status).toBe(404); // a member does not see the draft at all

    const listed = await receiver.admin.c.get('/templates');
    expect(listed.json.data).toEqual([expect.objectContaining({ id: t.id, shared: true, editable: false, canManage: false })]);
    const view = await receiver.admin.c.get(`/templates/${t.id}`);
    expect(view.json).toMatchObject({ shared: true, editable: false, owner: { name: '共享方公司' } });
    const readOnly = await receiver.admin.c.request('PUT', `/templates/${t.id}`, { version: view.json.version, name: '改名', definition: view.json.definition });
    expect(readOnly.status).toBe(403);
    expect(readOnly.json.error.code).toBe('TEMPLATE_READ_ONLY');
    expect((await receiver.member.c.get(`/templates/${t.id}`)).status).toBe(404); // draft: members of the receiver do not see it

    expect((await owner.admin.c.request('PUT', `/templates/${t.id}/shares/${receiver.enterprise.id}`, { editable: true })).json.editable).toBe(true);
    // A share change leaves the template's version: the content the receiver read is unchanged, and its edit, judged
    // on the share as it is now (editable), saves with the version it read.
    const reread = await receiver.admin.c.get(`/templates/${t.id}`);
    expect(reread.json).toMatchObject({ editable: true, version: view.json.version });
    const edited = await receiver.admin.c.request('PUT', `/templates/${t.id}`, { version: view.json.version, name: '接收方改名', businessType: null, scenario: null, definition: webDefinition });
    expect(edited.status, JSON.stringify(edited.json)).toBe(200);
    expect(edited.json).toMatchObject({ name: '接收方改名', editable: true, shared: true });
    for (const [method, path] of [
      ['POST', `/templates/${t.id}/disable`],
      ['DELETE', `/templates/${t.id}`],
      ['GET', `/templates/${t.id}/shares`],
      ['PUT', `/templates/${t.id}/shares/${stranger.enterprise.id}`],
    ] as const) {
      const r = await receiver.admin.c.request(method, path, method === 'PUT' ? { editable: true } : undefined);
      expect(r.status, `${method} ${path}`).toBe(403);
      expect(r.json.error.code).toBe('TEMPLATE_OWNER_ONLY');
    }

    expect((await stranger.admin.c.get(`/templates/${t.id}`)).status).toBe(404);
    expect((await stranger.admin.c.get('/templates')).json.total).toBe(0);
    expect((await owner.admin.c.request('PUT', `/templates/${t.id}/shares/${owner.enterprise.id}`, { editable: true })).json.error.code).toBe('TEMPLATE_SHARE_SELF');

    const shares = await owner.admin.c.get(`/templates/${t.id}/shares`);
    expect(shares.json).toEqual([expect.objectContaining({ enterpriseId: receiver.enterprise.id, editable: true })]);
    expect((await owner.admin.c.request('DELETE', `/templates/${t.id}/shares/${receiver.enterprise.id}`)).status).toBe(204);
    expect((await receiver.admin.c.get(`/templates/${t.id}`)).status).toBe(404);
    expect(await auditActions(t.id)).toEqual(['template.created', 'template.shared', 'template.shared', 'template.updated', 'template.unshared']);
  });

  it('delete is permanent: the row, its shares and the stored source file are gone', async () => {
    const owner = await enterpriseWithMember('删除方公司');
    const receiver = await enterpriseWithMember('删除接收方公司');
    const t = await createWeb(owner.admin.c);
    await owner.admin.c.request('PUT', `/templates/${t.id}/shares/${receiver.enterprise.id}`, { editable: true });
    const row = await em().findOneOrFail(DocumentTemplateSchema, { id: t.id });
    expect((await platform.services.store.get(row.sourceKey)).length).toBeGreaterThan(0);

    expect((await owner.member.c.request('DELETE', `/templates/${t.id}`)).status).toBe(404);
    const del = await owner.admin.c.request('DELETE', `/templates/${t.id}`);
    expect(del.status).toBe(204);
    expect(await em().count(DocumentTemplateSchema, { id: t.id })).toBe(0);
    expect(await em().count(TemplateShareSchema, { templateId: t.id })).toBe(0);
    await expect(platform.services.store.get(row.sourceKey)).rejects.toThrow();
    expect((await receiver.admin.c.get(`/templates/${t.id}`)).status).toBe(404);
    expect((await receiver.admin.c.get('/templates')).json.total).toBe(0);
    expect(await auditActions(t.id)).toEqual(['template.created', 'template.shared', 'template.deleted']);
  });
});

describe('an edit commits only while its right holds', () => {
  const actorOf = (u: { user: { id: string; name: string } }, enterpriseId: string, role: MemberRole = 'admin'): TemplateActor => ({ id: u.user.id, name: u.user.name, ip: null, acting: { enterpriseId, role } });
  const generate = (generationId: string) => runTemplateGenerationWorkflow(platform.temporal, platform.config.temporal.taskQueue, generationId, { callTimeoutMs: platform.config.contracts.callTimeoutMs });
  const rejection = (p: Promise<unknown>) => p.then(() => null, (err: unknown) => (err instanceof AppError ? [err.kind, err.code] : err));
  const row = (id: string) => em().findOneOrFail(DocumentTemplateSchema, { id });

  async function sharedEditable(name: string) {
    const owner = await enterpriseWithMember(`${name}所有方`);
    const receiver = await enterpriseWithMember(`${name}接收方`);
    const t = await createWeb(owner.admin.c, { name });
    const put = await owner.admin.c.request('PUT', `/templates/${t.id}`, { version: t.version, name, definition: webDefinition });
    expect(put.status, JSON.stringify(put.json)).toBe(200);
    expect((await owner.admin.c.request('PUT', `/templates/${t.id}/shares/${receiver.enterprise.id}`, { editable: true })).status).toBe(200);
    const ownerActor = actorOf(owner.admin, owner.enterprise.id);
    const receiverActor = actorOf(receiver.admin, receiver.enterprise.id);
    return { owner, receiver, t, ownerActor, receiverActor, version: (await row(t.id)).version };
  }

  it('取消共享 committing while the receiver publishes (the sample document being generated) → 409, still a draft', async () => {
    const { receiver, t, ownerActor, receiverActor, version } = await sharedEditable('发布中取消共享');
    const run = async (generationId: string) => {
      const outcome = await generate(generationId);
      await unshareTemplate(em(), ownerActor, t.id, receiver.enterprise.id);
      return outcome;
    };
    expect(await rejection(publishTemplate({ em: em(), store: platform.services.store, run }, receiverActor, t.id, version))).toEqual(['conflict', 'VERSION_CONFLICT']);
    expect(await row(t.id)).toMatchObject({ status: 'draft', publishedAt: null, version });
    expect(await auditActions(t.id)).not.toContain('template.published');
  });

  it('是否可编辑 withdrawn while the receiver replaces the source (its file being stored) → 409, nothing changed, the new file gone', async () => {
    const { receiver, t, ownerActor, receiverActor, version } = await sharedEditable('替换中改只读');
    const before = await row(t.id);
    const stored: string[] = [];
    const store = {
      ...platform.services.store,
      put: async (key: string, bytes: Uint8Array) => {
        await platform.services.store.put(key, bytes);
        stored.push(key);
        await shareTemplate(em(), ownerActor, t.id, receiver.enterprise.id, false);
      },
    };
    const limits = { maxBytes: platform.config.maxUploadBytes, maxPages: platform.config.maxPages };
    expect(await rejection(replaceTemplateSource({ em: em(), store, limits }, receiverActor, t.id, version, await makePdf(3)))).toEqual(['conflict', 'VERSION_CONFLICT']);
    expect(await row(t.id)).toMatchObject({ sourceKey: before.sourceKey, sourcePages: before.sourcePages, version });
    expect(stored).toHaveLength(1);
    await expect(platform.services.store.get(stored[0]!)).rejects.toThrow();
    expect((await em().findOneOrFail(TemplateShareSchema, { templateId: t.id, enterpriseId: receiver.enterprise.id })).editable).toBe(false);
  });

  it('a 印章管理员 demoted while publishing the enterprise\'s own template → 409, still a draft', async () => {
    const { admin, enterprise } = await enterpriseWithMember('发布中降级公司');
    const sealAdmin = await loggedIn('发布中降级印章管理员');
    await addMember(platform.services, enterprise.id, admin.user, sealAdmin.user, 'seal_admin');
    const t = await createWeb(admin.c, { name: '降级模板' });
    const put = await admin.c.request('PUT', `/templates/${t.id}`, { version: t.version, name: t.name, definition: webDefinition });
    const run = async (generationId: string) => {
      const outcome = await generate(generationId);
      await em().nativeUpdate(MembershipSchema, { enterpriseId: enterprise.id, userId: sealAdmin.user.id }, { role: 'member' });
      return outcome;
    };
    const actor = actorOf(sealAdmin, enterprise.id, 'seal_admin');
    expect(await rejection(publishTemplate({ em: em(), store: platform.services.store, run }, actor, t.id, put.json.version))).toEqual(['conflict', 'CONCURRENT_CHANGE']);
    expect((await row(t.id)).status).toBe('draft');
  });

  it('a 印章管理员 demoted after the access check neither disables nor deletes the enterprise\'s template (409); the template stays', async () => {
    const { admin, enterprise } = await enterpriseWithMember('停用中移除公司');
    const sealAdmin = await loggedIn('停用中移除印章管理员');
    await addMember(platform.services, enterprise.id, admin.user, sealAdmin.user, 'seal_admin');
    const t = await createWeb(admin.c, { name: '移除人模板' });
    const actor = actorOf(sealAdmin, enterprise.id, 'seal_admin'); // as the request's access check read it
    await em().nativeUpdate(MembershipSchema, { enterpriseId: enterprise.id, userId: sealAdmin.user.id }, { role: 'member' });
    const before = await row(t.id);
    expect(await rejection(setTemplateEnabled(em(), actor, t.id, !before.enabled))).toEqual(['conflict', 'CONCURRENT_CHANGE']);
    expect(await rejection(deleteTemplate({ em: em(), store: platform.services.store }, actor, t.id))).toEqual(['conflict', 'CONCURRENT_CHANGE']);
    expect(await row(t.id)).toMatchObject({ enabled: before.enabled, version: before.version });
  });

  it('two parallel deletes: one deletes, the other (its DELETE removed nothing) answers 404; one audit row', async () => {
    const { admin, enterprise } = await enterpriseWithMember('并行删除公司');
    const t = await createWeb(admin.c, { name: '并行删除模板' });
    const actor = actorOf(admin, enterprise.id);
    const store = platform.services.store;
    // The other tab's delete commits after this one read the template, before it writes.
    let raced = '';
    const request = forkRacedBeforeWrite(platform.services.orm.em, async () => (raced = await outcomeOf(deleteTemplate({ em: em(), store }, actor, t.id))));
    expect(await outcomeOf(deleteTemplate({ em: request, store }, actor, t.id))).toBe('not_found TEMPLATE_NOT_FOUND');
    expect(raced).toBe('ok');
    expect(await em().count(DocumentTemplateSchema, { id: t.id })).toBe(0);
    expect((await auditActions(t.id)).filter((a) => a === 'template.deleted')).toHaveLength(1);
  });

  it('a share change is no edit of the template: the owner\'s edit and a start from it with the version read before it go through', async () => {
    const { receiver, t, owner, version } = await sharedEditable('所有方并发');
    expect((await owner.admin.c.request('DELETE', `/templates/${t.id}/shares/${receiver.enterprise.id}`)).status).toBe(204);
    expect((await row(t.id)).version).toBe(version);
    const saved = await owner.admin.c.request('PUT', `/templates/${t.id}`, { version, name: '所有方改名', definition: webDefinition });
    expect(saved.status, JSON.stringify(saved.json)).toBe(200);
    expect(saved.json).toMatchObject({ name: '所有方改名', version: version + 1 });
  });
});

describe('versions and sources', () => {
  it('parallel writers of one version: exactly one wins, the others get 409', async () => {
    const { admin } = await enterpriseWithMember('并发公司');
    for (let round = 0; round < 3; round++) {
      const t = await createWeb(admin.c, { name: `并发模板${round}` });
      const put = await admin.c.request('PUT', `/templates/${t.id}`, { version: 1, name: t.name, definition: webDefinition });
      const v = put.json.version;
      const results = await Promise.all([
        admin.c.post(`/templates/${t.id}/publish`, { version: v }),
        admin.c.post(`/templates/${t.id}/disable`, { version: v }),
        admin.c.request('PUT', `/templates/${t.id}`, { version: v, name: '另一个名字', definition: webDefinition }),
      ]);
      const statuses = results.map((r) => r.status);
      expect(statuses.filter((s) => s === 200), JSON.stringify(results.map((r) => r.json?.error?.code ?? r.status))).toHaveLength(1);
      expect(statuses.filter((s) => s === 409)).toHaveLength(2);
      for (const r of results.filter((x) => x.status === 409)) expect(r.json.error.code).toBe('VERSION_CONFLICT');
      const final = (await admin.c.get(`/templates/${t.id}`)).json;
      expect(final.version).toBe(v + 1);
    }
  });

  it('replacing the source re-lists the tags, keeps the definition and returns a published template to draft', async () => {
    const { c } = await loggedIn('替换作者');
    const t = await createWeb(c);
    const published = await defineAndPublish(c, t);
    const form = new FormData();
    form.append('version', String(published.version));
    form.append('file', new Blob([(await makePdf(3)) as Uint8Array<ArrayBuffer>], { type: 'application/pdf' }), 'v2.pdf');
    const replaced = await c.request('PUT', `/templates/${t.id}/source`, form);
    expect(replaced.status, JSON.stringify(replaced.json)).toBe(200);
    expect(replaced.json).toMatchObject({ status: 'draft', version: published.version + 1 });
    expect(replaced.json.pages).toHaveLength(3);
    expect(replaced.json.definition).toEqual(published.definition);
    const old = new FormData();
    old.append('version', String(published.version));
    old.append('file', new Blob([(await makePdf(1)) as Uint8Array<ArrayBuffer>], { type: 'application/pdf' }), 'v3.pdf');
    expect((await c.request('PUT', `/templates/${t.id}/source`, old)).status).toBe(409);
    expect((await c.get(`/templates/${t.id}/source`)).bytes.length).toBeGreaterThan(0);
    expect(await auditActions(t.id)).toEqual(['template.created', 'template.updated', 'template.published', 'template.source_replaced']);
  });

  it('publishing an incomplete definition is refused with the rule (no roles)', async () => {
    const { c } = await loggedIn('未完成作者');
    const t = await createWeb(c);
    const r = await c.post(`/templates/${t.id}/publish`, { version: t.version });
    expect(r.status).toBe(400);
    expect(r.json.error).toMatchObject({ code: 'TEMPLATE_DEFINITION_INVALID', message: '请至少添加一个签署角色' });
    expect((await c.get(`/templates/${t.id}`)).json.status).toBe('draft');
  });
});

describe('hostile and wrong uploads', () => {
  it('refuses them with 4xx quickly and stores nothing', async () => {
    const { c } = await loggedIn('上传测试');
    const bomb = new PizZip();
    bomb.file('[Content_Types].xml', '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>');
    bomb.file('word/document.xml', `<w:document>${' '.repeat(40 * 1024 * 1024)}</w:document>`);
    const bombBytes = bomb.generate({ type: 'uint8array', compression: 'DEFLATE' });
    expect(bombBytes.length).toBeLessThan(200_000);
    const cases: [string, 'word' | 'web', Uint8Array, number[]][] = [
      ['a PDF as Word', 'word', await makePdf(1), [415]],
      ['text as Web', 'web', new TextEncoder().encode('not a pdf at all'), [415]],
      ['a zip that is not a docx', 'word', new PizZip().file('a.txt', 'x').generate({ type: 'uint8array' }), [415, 422]],
      ['a zip bomb', 'word', bombBytes, [422]],
      ['a truncated PDF', 'web', (await makePdf(1)).slice(0, 300), [400, 422]],
    ];
    for (const [what, kind, bytes, expected] of cases) {
      const started = Date.now();
      // An error answer to an upload may close the connection while the client still sends the form's last
      // bytes (errors.ts: Connection: close for a body not read to its end): then the request is sent once more.
      const send = () => c.request('POST', '/templates', templateForm(kind, bytes));
      const r = await send().catch((err: unknown) => {
        if ((err as { cause?: { code?: string } }).cause?.code !== 'ECONNRESET') throw new Error(`${what}: ${String(err)}`, { cause: err });
        return send();
      });
      expect(expected, `${what}: ${r.status} ${JSON.stringify(r.json)}`).toContain(r.status);
      expect(r.json.error.message).toMatch(/[\u4e00-\u9fff]/);
      expect(Date.now() - started, what).toBeLessThan(5_000);
    }
    const badInfo = await c.request('POST', '/templates', templateForm('web', await makePdf(1), { name: '' }));
    expect(badInfo.status).toBe(400);
    expect((await c.get('/templates')).json.total).toBe(0);
  });
});
