/**
 * M3 certify, M4 join, M10 join review, M11 people, M5 apply to become administrator, M9 my
 * enterprises, identity switch, enterprise scoping and audit — over HTTP, real database.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEventSchema } from '../../domain/audit/audit-event.entity';
import { AdminApplicationSchema } from '../../domain/enterprises/admin-change.entities';
import { SealAuthorizationSchema } from '../../domain/enterprises/seal.entities';
import { ApiClient } from '../harness/http-client';
import { addMember, createCertifiedEnterprise, uniqueUscc } from '../harness/enterprise-fixtures';
import { contractForm, createUser, latestSmsCode, makePdf, TEST_PASSWORD } from '../harness/fixtures';
import { startTestPlatform, type TestPlatform } from '../harness/platform';

let platform: TestPlatform;
let operator: ApiClient;

beforeAll(async () => {
  platform = await startTestPlatform();
  const op = await createUser(platform.services, '运营', 'operator');
  operator = new ApiClient(platform.baseUrl);
  await operator.login(op.mobile, TEST_PASSWORD);
});
afterAll(async () => platform?.stop());

async function loggedIn(name: string) {
  const user = await createUser(platform.services, name);
  const c = new ApiClient(platform.baseUrl);
  await c.login(user.mobile, TEST_PASSWORD);
  return { user, c };
}

/** A logged-in administrator of a new certified enterprise, acting for it in the console. */
async function consoleAdmin(name: string, enterpriseName: string) {
  const { user, c } = await loggedIn(name);
  const enterprise = await createCertifiedEnterprise(platform.services, user, enterpriseName);
  await c.post('/auth/acting', { enterpriseId: enterprise.id });
  return { admin: user, adminC: c, enterprise };
}

async function certifyForm(fields: Record<string, string>, file?: { bytes: Uint8Array; name: string; type: string }) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  const f = file ?? { bytes: await makePdf(1), name: '授权书.pdf', type: 'application/pdf' };
  form.append('file', new Blob([f.bytes as Uint8Array<ArrayBuffer>], { type: f.type }), f.name);
  return form;
}

const validFields = (name: string, uscc = uniqueUscc()) => ({ name, uscc, legalRepresentative: '王法人', sealTypes: JSON.stringify(['official', 'contract']) });

describe('M3 certify an enterprise', () => {
  it('validates, refuses a reused USCC, supports 撤销/继续认证, and the approved certifier becomes the single admin', async () => {
    const { user, c } = await loggedIn('认证人');
    const bad = await c.post('/enterprises', await certifyForm({ ...validFields('坏码公司'), uscc: '91350100M000100Y44' }));
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toMatch(/统一社会信用代码不正确/);
    const notImage = await c.post('/enterprises', await certifyForm(validFields('坏文件公司'), { bytes: new TextEncoder().encode('MZ executable'), name: 'a.png', type: 'image/png' }));
    expect(notImage.status).toBe(400);
    expect(notImage.json.error.code).toBe('LETTER_BAD_TYPE');
    const noType = await c.post('/enterprises', await certifyForm({ ...validFields('无章公司'), sealTypes: '["nope"]' }));
    expect(noType.json.error.code).toBe('UNKNOWN_SEAL_TYPE');

    const fields = validFields('上海示例科技有限公司');
    const created = await c.post('/enterprises', await certifyForm(fields));
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    expect(created.json).toMatchObject({ status: 'pending', statusLabel: '认证中', sealTypeNames: ['公章', '合同专用章'] });
    const id = created.json.id;

    const { c: rival } = await loggedIn('抢注人');
    const dup = await rival.post('/enterprises', await certifyForm({ ...fields, name: '别的名字' }));
    expect(dup.status).toBe(409);
    expect(dup.json.error.code).toBe('USCC_TAKEN');
    expect((await rival.post(`/enterprises/${id}/cancel`)).status).toBe(404);

    expect((await c.post(`/enterprises/${id}/cancel`)).json.status).toBe('cancelled');
    expect((await c.post(`/enterprises/${id}/cancel`)).status).toBe(409);
    const resumed = await c.post(`/enterprises/${id}/resume`, new FormData());
    expect(resumed.json.status).toBe('pending');

    const shown = await operator.get(`/admin/enterprises/${id}`);
    expect(shown.json).toMatchObject({ name: '上海示例科技有限公司', certifierName: '认证人' });
    const letter = await operator.get(`/admin/enterprises/${id}/authorization-letter`);
    expect(letter.headers.get('content-type')).toBe('application/pdf');
    expect((await operator.post(`/admin/enterprises/${id}/reject`, {})).json.error.code).toBe('REASON_REQUIRED');
    expect((await operator.post(`/admin/enterprises/${id}/reject`, { reason: '授权书不清晰' })).json.status).toBe('rejected');
    const mine = await c.get('/my/enterprises');
    expect(mine.json.certified[0]).toMatchObject({ id, status: 'rejected', rejectReason: '授权书不清晰' });
    expect((await c.post(`/enterprises/${id}/resume`, new FormData())).json.status).toBe('pending');
    const approved = await operator.post(`/admin/enterprises/${id}/approve`, {});
    expect(approved.json).toMatchObject({ status: 'certified', adminUserId: user.id });
    expect((await c.get('/my/enterprises')).json.certified[0]).toMatchObject({ id, status: 'certified', isAdministrator: true });

    const me = await c.get('/auth/me');
    expect(me.json.enterprises).toEqual([expect.objectContaining({ id, role: 'admin', roleLabel: '管理员' })]);
    const acting = await c.post('/auth/acting', { enterpriseId: id });
    expect(acting.json.acting).toMatchObject({ enterpriseId: id, role: 'admin' });
    const seals = await c.get('/console/seals');
    expect(seals.json.map((s: { name: string }) => s.name).sort()).toEqual(['上海示例科技有限公司公章', '上海示例科技有限公司合同专用章'].sort());
    const events = await c.get('/console/audit-events');
    expect(events.json.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['enterprise.certification_submitted', 'enterprise.certification_cancelled', 'enterprise.certified', 'seal.created']));
  });

  it('撤销认证 / 继续认证 with a new 授权书 each time keeps only the current letter in storage', async () => {
    const { user, c } = await loggedIn('循环认证人');
    const created = await c.post('/enterprises', await certifyForm(validFields('循环认证有限公司')));
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    const id = created.json.id as string;
    for (let i = 0; i < 3; i++) {
      expect((await c.post(`/enterprises/${id}/cancel`)).json.status).toBe('cancelled');
      const form = new FormData();
      form.append('file', new Blob([(await makePdf(i + 2)) as Uint8Array<ArrayBuffer>], { type: 'application/pdf' }), '授权书.pdf');
      expect((await c.post(`/enterprises/${id}/resume`, form)).json.status).toBe('pending');
    }
    const stored: string[] = [];
    for await (const entry of platform.services.store.list(`letters/${user.id}/`)) stored.push(entry.key);
    expect(stored).toHaveLength(1);
    const letter = await operator.get(`/admin/enterprises/${id}/authorization-letter`);
    expect(letter.status).toBe(200);
    expect(letter.headers.get('content-type')).toBe('application/pdf');
  });
});

describe('M4 join, M10 join review, M11 people', () => {
  it('a verified user applies, withdraws, re-applies; the admin approves with a seal authorisation confirmed by SMS', async () => {
    const { admin, adminC, enterprise } = await consoleAdmin('甲管理员', '甲方科技有限公司');
    const { user: joiner, c: joinerC } = await loggedIn('求职者');

    const found = await joinerC.get(`/enterprises/search?q=${encodeURIComponent('甲方科技')}`);
    expect(found.json).toEqual([expect.objectContaining({ id: enterprise.id })]);
    const applied = await joinerC.post(`/enterprises/${enterprise.id}/join`, { message: '销售部新人' });
    expect(applied.status).toBe(201);
    expect((await joinerC.post(`/enterprises/${enterprise.id}/join`, {})).json.error.code).toBe('APPLICATION_PENDING');
    expect((await joinerC.post(`/memberships/${applied.json.id}/withdraw`)).json.status).toBe('withdrawn');
    const again = await joinerC.post(`/enterprises/${enterprise.id}/join`, { message: '再次申请' });

    const pending = await adminC.get('/console/join-applications');
    expect(pending.json).toEqual([expect.objectContaining({ id: again.json.id, name: '求职者', message: '再次申请' })]);
    const seal = (await adminC.get('/console/seals')).json.find((s: { type: string }) => s.type === 'contract');
    const noCode = await adminC.post(`/console/join-applications/${again.json.id}/approve`, { role: 'seal_admin', businessTypes: ['sales'], sealIds: [seal.id] });
    expect(noCode.status).toBe(400);
    expect(noCode.json.error.code).toBe('SEAL_GRANT_CODE_REQUIRED');
    expect((await adminC.post(`/console/join-applications/${again.json.id}/approve`, { role: 'boss', sealIds: [] })).status).toBe(400);
    expect((await adminC.post('/console/seal-grant-code')).status).toBe(200);
    const code = await latestSmsCode(platform.services, admin.mobile);
    const ok = await adminC.post(`/console/join-applications/${again.json.id}/approve`, { role: 'seal_admin', businessTypes: ['sales'], sealIds: [seal.id], code });
    expect(ok.status, JSON.stringify(ok.json)).toBe(200);

    const members = (await adminC.get('/console/members')).json;
    const member = members.find((m: { userId: string }) => m.userId === joiner.id);
    expect(member).toMatchObject({ role: 'seal_admin', roleLabel: '印章管理员', businessTypes: ['sales'], sealNames: ['甲方科技有限公司合同专用章'] });
    const joined = (await joinerC.get('/my/enterprises')).json.joined;
    expect(joined.find((j: { enterpriseId: string }) => j.enterpriseId === enterprise.id)).toMatchObject({ status: 'active', role: 'seal_admin' });

    // A seal admin uses the console but may not edit or remove people.
    await joinerC.post('/auth/acting', { enterpriseId: enterprise.id });
    expect((await joinerC.get('/console/members')).status).toBe(200);
    expect((await joinerC.request('DELETE', `/console/members/${member.id}`)).status).toBe(403);

    // Edit: drop the seal (no code needed), change role.
    const edited = await adminC.request('PUT', `/console/members/${member.id}`, { role: 'member', businessTypes: [], sealIds: [] });
    expect(edited.json).toMatchObject({ role: 'member', sealIds: [] });
    // The same terms saved again change nothing and write no audit row.
    const updates = () => platform.services.orm.em.fork().count(AuditEventSchema, { targetId: member.id, action: 'membership.updated' });
    expect(await updates()).toBe(1);
    const unchanged = await adminC.request('PUT', `/console/members/${member.id}`, { role: 'member', businessTypes: [], sealIds: [] });
    expect(unchanged.status, JSON.stringify(unchanged.json)).toBe(200);
    expect(await updates()).toBe(1);
    // Removing the admin is refused; removing the member takes their authorisations with them.
    const adminRow = (await adminC.get('/console/members')).json.find((m: { role: string }) => m.role === 'admin');
    expect((await adminC.request('DELETE', `/console/members/${adminRow.id}`)).json.error.code).toBe('CANNOT_REMOVE_ADMIN');
    const removed = await adminC.request('DELETE', `/console/members/${member.id}`);
    expect(removed.status).toBe(200);
    expect(await platform.services.orm.em.fork().count(SealAuthorizationSchema, { userId: joiner.id })).toBe(0);
    expect((await joinerC.get('/console/members')).status).toBe(403);
    expect((await joinerC.get('/auth/me')).json.acting).toBeNull();
  });

  it('a 印章管理员 approves applications as members (with seals, by their own SMS code) but cannot appoint another 印章管理员 (403, nothing changes)', async () => {
    const { admin, adminC, enterprise } = await consoleAdmin('丙管理员', '丙方印章有限公司');
    const { user: sealAdmin, c: sealAdminC } = await loggedIn('丙印章管理员');
    await addMember(platform.services, enterprise.id, admin, sealAdmin, 'seal_admin');
    await sealAdminC.post('/auth/acting', { enterpriseId: enterprise.id });
    const { user: puppet, c: puppetC } = await loggedIn('丙马甲');
    const applied = await puppetC.post(`/enterprises/${enterprise.id}/join`, { message: '新人' });
    const seal = (await adminC.get('/console/seals')).json.find((s: { type: string }) => s.type === 'contract');
    expect((await sealAdminC.post('/console/seal-grant-code')).status).toBe(200);
    const code = await latestSmsCode(platform.services, sealAdmin.mobile);

    const appoint = await sealAdminC.post(`/console/join-applications/${applied.json.id}/approve`, { role: 'seal_admin', businessTypes: [], sealIds: [seal.id], code });
    expect([appoint.status, appoint.json.error?.code]).toEqual([403, 'SEAL_ADMIN_BY_ADMIN_ONLY']);
    expect(appoint.json.error.message).toBe('只有企业管理员可以任命印章管理员');
    expect((await sealAdminC.get('/console/join-applications')).json.map((a: { id: string }) => a.id)).toEqual([applied.json.id]);
    expect(await platform.services.orm.em.fork().count(SealAuthorizationSchema, { userId: puppet.id })).toBe(0);

    const asMember = await sealAdminC.post(`/console/join-applications/${applied.json.id}/approve`, { role: 'member', businessTypes: [], sealIds: [seal.id], code });
    expect(asMember.status, JSON.stringify(asMember.json)).toBe(200);
    expect((await adminC.get('/console/members')).json.find((m: { userId: string }) => m.userId === puppet.id)).toMatchObject({ role: 'member', sealIds: [seal.id] });
  });

  it('rejects with a reason that the applicant sees', async () => {
    const { adminC, enterprise } = await consoleAdmin('乙管理员', '乙方贸易有限公司');
    const { c: joinerC } = await loggedIn('被拒者');
    const applied = await joinerC.post(`/enterprises/${enterprise.id}/join`, {});
    expect((await adminC.post(`/console/join-applications/${applied.json.id}/reject`, {})).status).toBe(400);
    expect((await adminC.post(`/console/join-applications/${applied.json.id}/reject`, { reason: '非本公司员工' })).status).toBe(200);
    const joined = (await joinerC.get('/my/enterprises')).json.joined;
    expect(joined[0]).toMatchObject({ status: 'rejected', rejectReason: '非本公司员工' });
  });

  it("never lets one enterprise see or touch another's people", async () => {
    const { user: adminA, c: a } = await loggedIn('A 管理员');
    const { user: adminB, c: b } = await loggedIn('B 管理员');
    const ea = await createCertifiedEnterprise(platform.services, adminA, 'A 公司');
    const eb = await createCertifiedEnterprise(platform.services, adminB, 'B 公司');
    await a.post('/auth/acting', { enterpriseId: ea.id });
    await b.post('/auth/acting', { enterpriseId: eb.id });
    const { user: worker } = await loggedIn('A 员工');
    const membership = await addMember(platform.services, ea.id, adminA, worker);
    const { c: applicant } = await loggedIn('A 申请人');
    const application = await applicant.post(`/enterprises/${ea.id}/join`, {});

    expect((await b.get('/console/members')).json.map((m: { userId: string }) => m.userId)).not.toContain(worker.id);
    expect((await b.get('/console/join-applications')).json).toEqual([]);
    expect((await b.get(`/console/members/${membership.id}`)).status).toBe(404);
    expect((await b.request('PUT', `/console/members/${membership.id}`, { role: 'member', businessTypes: [], sealIds: [] })).status).toBe(404);
    expect((await b.request('DELETE', `/console/members/${membership.id}`)).status).toBe(404);
    expect((await b.post(`/console/join-applications/${application.json.id}/approve`, { role: 'member' })).status).toBe(404);
    expect((await b.post('/auth/acting', { enterpriseId: ea.id })).status).toBe(404);
    expect((await b.get('/console/audit-events')).json.every((e: { enterpriseId: string }) => e.enterpriseId === eb.id)).toBe(true);
  });
});

describe('enterprise console audit log', () => {
  it("reads one enterprise's page and count through the (enterprise_id, at) index, not the whole platform's log (EXPLAIN)", async () => {
    const e = platform.services.orm.em.fork();
    const now = Date.now();
    const rows = Array.from({ length: 2000 }, (_, i) => ({ id: randomUUID(), at: new Date(now - i * 1000), actorId: null, actorName: '系统', action: 'seal.created', targetType: 'seal', targetId: randomUUID(), enterpriseId: `explain-${i % 20}`, detail: null, ip: null }));
    for (let i = 0; i < rows.length; i += 500) await e.insertMany(AuditEventSchema, rows.slice(i, i + 500) as never[]);
    await e.getConnection().execute('analyze table audit_events');
    const explain = async (sql: string) => (await e.getConnection().execute(`explain ${sql}`, ['explain-3'])) as Record<string, unknown>[];
    for (const sql of ['select * from audit_events where enterprise_id = ? order by at desc limit 20 offset 40', 'select count(*) from audit_events where enterprise_id = ?']) {
      const plan = await explain(sql);
      expect(plan.map((p) => p.key), sql).toEqual(['audit_events_enterprise_id_at_index']);
      expect(JSON.stringify(plan), sql).not.toMatch(/filesort|temporary/i);
    }
  });

  it("shows the addresses of the enterprise's own members only, not those of outsiders who acted on its contracts (it showed them all)", async () => {
    const { admin, adminC, enterprise } = await consoleAdmin('审计管理员', '审计地址有限公司');
    const { user: outsider, c: outsiderC } = await loggedIn('外部签署人');
    const started = await adminC.post('/contracts', contractForm(await makePdf(1), { title: '地址可见性', signers: [{ mobile: outsider.mobile, name: outsider.name, page: 1, x: 100, y: 600 }], spec: { actAs: 'enterprise' } }));
    expect(started.status, JSON.stringify(started.json)).toBe(201);
    expect((await outsiderC.get(`/contracts/${started.json.id}`)).status).toBe(200);
    expect((await outsiderC.post(`/contracts/${started.json.id}/sms-code`, {})).status).toBe(200);

    const console = (await adminC.get('/console/audit-events?range=[0,199]')).json as { actorId: string | null; action: string; ip: string | null }[];
    const theirs = console.filter((e) => e.actorId === outsider.id);
    expect(theirs.map((e) => e.action)).toEqual(expect.arrayContaining(['contract.viewed', 'contract.sms_code_sent']));
    expect(theirs.every((e) => e.ip === null)).toBe(true);
    const mine = console.filter((e) => e.actorId === admin.id && e.action === 'contract.created');
    expect(mine.map((e) => e.ip)).toEqual([adminC.ip]);

    // The outsider joins: what they did before (their application, their steps as a counterparty) stays theirs;
    // what they do as a member is shown (all of it was shown once they were a member).
    const applied = await outsiderC.post(`/enterprises/${enterprise.id}/join`, { message: '加入' });
    expect(applied.status, JSON.stringify(applied.json)).toBe(201);
    expect((await adminC.post(`/console/join-applications/${applied.json.id}/approve`, { role: 'member', businessTypes: [], sealIds: [] })).status).toBe(200);
    // Something they do as a member a moment later (past the second the membership began: datetime columns).
    const asMemberId = randomUUID();
    await platform.services.orm.em.fork().insert(AuditEventSchema, { id: asMemberId, at: new Date(Date.now() + 1100), actorId: outsider.id, actorName: outsider.name, action: 'contract.viewed', targetType: 'contract', targetId: started.json.id, enterpriseId: enterprise.id, detail: null, ip: '198.51.100.7' });
    const after = (await adminC.get('/console/audit-events?range=[0,199]')).json as { id: string; actorId: string | null; action: string; ip: string | null }[];
    const before = after.filter((e) => e.actorId === outsider.id && e.id !== asMemberId);
    expect(before.map((e) => e.action)).toEqual(expect.arrayContaining(['contract.viewed', 'contract.sms_code_sent', 'membership.applied']));
    expect(before.filter((e) => e.ip !== null), JSON.stringify(before)).toEqual([]);
    expect(after.find((e) => e.id === asMemberId)?.ip).toBe('198.51.100.7');
    // A page offset past the bound is a 400, not a database error (1e20 was a 500).
    const deep = await adminC.get(`/console/audit-events?range=${encodeURIComponent('[1e20,1e20]')}`);
    expect([deep.status, deep.json.error?.code]).toEqual([400, 'BAD_RANGE']);
  });
});

describe('separation of duties', () => {
  it('an operator cannot decide the certification of an enterprise they certify, nor an administrator application of an enterprise they belong to (403 OWN_REVIEW); another operator can', async () => {
    const self = await createUser(platform.services, '自审运营', 'operator');
    const selfC = new ApiClient(platform.baseUrl);
    await selfC.login(self.mobile, TEST_PASSWORD);
    const created = await selfC.post('/enterprises', await certifyForm(validFields('自审实业有限公司')));
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    const own = await selfC.post(`/admin/enterprises/${created.json.id}/approve`, {});
    expect([own.status, own.json.error?.code]).toEqual([403, 'OWN_REVIEW']);
    expect((await operator.get(`/admin/enterprises/${created.json.id}`)).json.status).toBe('pending');
    expect((await operator.post(`/admin/enterprises/${created.json.id}/approve`, {})).json.status).toBe('certified');

    // Now its administrator: an application to replace them is decided by someone else.
    const { user: applicant, c: applicantC } = await loggedIn('申请接任');
    await addMember(platform.services, created.json.id, self, applicant);
    const form = new FormData();
    form.append('reason', '接任管理员');
    form.append('file', new Blob([(await makePdf(1)) as Uint8Array<ArrayBuffer>], { type: 'application/pdf' }), 'letter.pdf');
    const applied = await applicantC.post(`/enterprises/${created.json.id}/admin-applications`, form);
    expect(applied.status, JSON.stringify(applied.json)).toBe(201);
    const mine = await selfC.post(`/admin/admin-applications/${applied.json.id}/reject`, { reason: '不同意' });
    expect([mine.status, mine.json.error?.code]).toEqual([403, 'OWN_REVIEW']);
    expect((await operator.post(`/admin/admin-applications/${applied.json.id}/approve`, {})).json.status).toBe('approved');
  });
});

describe('M5 apply to become administrator', () => {
  it('only a member applies: an outsider is refused with 403 NOT_A_MEMBER, nothing is stored or audited', async () => {
    const { user: admin } = await loggedIn('守门管理员');
    const enterprise = await createCertifiedEnterprise(platform.services, admin, '守门实业有限公司');
    const { user: outsider, c: outsiderC } = await loggedIn('外部申请人');
    const form = new FormData();
    form.append('reason', '我想管理这家企业');
    form.append('file', new Blob([(await makePdf(1)) as Uint8Array<ArrayBuffer>], { type: 'application/pdf' }), 'letter.pdf');
    const refused = await outsiderC.post(`/enterprises/${enterprise.id}/admin-applications`, form);
    expect([refused.status, refused.json.error?.code]).toEqual([403, 'NOT_A_MEMBER']);
    expect(refused.json.error.message).toMatch(/成员/);
    const em = platform.services.orm.em.fork();
    expect(await em.count(AdminApplicationSchema, { enterpriseId: enterprise.id })).toBe(0);
    expect(await em.count(AuditEventSchema, { enterpriseId: enterprise.id, action: 'admin.application_submitted' })).toBe(0);
    // Once a member, the same application goes through.
    await addMember(platform.services, enterprise.id, admin, outsider);
    expect((await outsiderC.post(`/enterprises/${enterprise.id}/admin-applications`, form)).status).toBe(201);
  });

  it('the operator approves; the previous administrator loses the role and leaves', async () => {
    const { user: oldAdmin, c: oldC } = await loggedIn('老管理员');
    const enterprise = await createCertifiedEnterprise(platform.services, oldAdmin, '丙方实业有限公司');
    const { user: applicant, c: applicantC } = await loggedIn('新管理员');
    await addMember(platform.services, enterprise.id, oldAdmin, applicant);
    const form = new FormData();
    form.append('reason', '原管理员已离职');
    const noLetter = await applicantC.post(`/enterprises/${enterprise.id}/admin-applications`, form);
    expect(noLetter.json.error.code).toBe('LETTER_REQUIRED');
    form.append('file', new Blob([(await makePdf(1)) as Uint8Array<ArrayBuffer>], { type: 'application/pdf' }), 'letter.pdf');
    const applied = await applicantC.post(`/enterprises/${enterprise.id}/admin-applications`, form);
    expect(applied.status, JSON.stringify(applied.json)).toBe(201);
    const listed = (await operator.get('/admin/admin-applications')).json.find((x: { id: string }) => x.id === applied.json.id);
    expect(listed).toMatchObject({ enterpriseName: '丙方实业有限公司', applicantName: '新管理员', status: 'pending' });
    expect((await operator.post(`/admin/admin-applications/${applied.json.id}/approve`, {})).json.status).toBe('approved');

    expect((await applicantC.get('/auth/me')).json.enterprises).toEqual([expect.objectContaining({ id: enterprise.id, role: 'admin' })]);
    expect((await oldC.get('/auth/me')).json.enterprises).toEqual([]);
    // The former administrator certified it, but no longer sees its live details under 我的企业.
    expect((await oldC.get('/my/enterprises')).json.certified).toEqual([]);
    // Back as an ordinary member: the row again, but the console's administrator actions are not theirs.
    await addMember(platform.services, enterprise.id, applicant, oldAdmin);
    expect((await oldC.get('/my/enterprises')).json.certified).toEqual([expect.objectContaining({ id: enterprise.id, isAdministrator: false })]);
    const events = await platform.services.orm.em.fork().find(AuditEventSchema, { enterpriseId: enterprise.id, action: { $in: ['admin.application_approved', 'membership.removed', 'membership.became_admin'] } });
    expect(events.map((e) => e.action).sort()).toEqual(['admin.application_approved', 'membership.became_admin', 'membership.became_admin', 'membership.removed']);
    // The promoted member's membership has its own row (the first one is the certifier's, at certification).
    const promoted = events.filter((e) => e.action === 'membership.became_admin').map((e) => JSON.parse(e.detail!) as Record<string, unknown>);
    expect(promoted).toEqual(expect.arrayContaining([{ user: oldAdmin.id, created: true }, { user: applicant.id, previousRole: 'member', previousStatus: 'active' }]));
  });
});
