// @sqlite-too: each dialect stores (or refuses) a lone surrogate in its own way.
/**
 * Hostile free text over HTTP (found by the fuzzer): lone surrogates, bidi overrides and zero-width
 * characters in 信息管理 contact details, 拒签 / 撤销 reasons, 加入企业 messages, 驳回 reasons, 申请管理员
 * reasons, 证书订单撤销 reasons and a template's field default / 字段库 id are refused with a 400 under the
 * one shared rule (domain/text/hidden-characters.ts), and nothing is changed: before, they were stored
 * mangled ("\uFFFD") or, in a template's JSON definition on MariaDB, answered 500. Also 编辑模板: a
 * missing or null definition is refused (it wiped the template's fields and roles), and a version must be
 * an integer ([5] was read as 5).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CertificateOrderSchema } from '../../domain/certificates/certificate-order.entity';
import { ContractSchema } from '../../domain/contracts/contract.entity';
import { ContractSignerSchema } from '../../domain/contracts/contract-signer.entity';
import { MembershipSchema } from '../../domain/enterprises/membership.entity';
import { SealSchema } from '../../domain/enterprises/seal.entities';
import { DocumentTemplateSchema } from '../../domain/templates/template.entity';
import { submitCertification } from '../../domain/enterprises/certification';
import { EnterpriseSchema } from '../../domain/enterprises/enterprise.entity';
import { UserSchema } from '../../domain/identity/user.entity';
import { addMember, uniqueUscc } from '../harness/enterprise-fixtures';
import { createUser, makePdf, TEST_PASSWORD } from '../harness/fixtures';
import { ApiClient } from '../harness/http-client';
import { startTestPlatform, type TestPlatform } from '../harness/platform';
import { signedInUser, startTwoStepContract, type SignedInUser } from '../harness/two-step-contract';
import { enterpriseAdmin, loggedInUser } from '../harness/signed-in-users';

let platform: TestPlatform;

beforeAll(async () => {
  platform = await startTestPlatform();
});
afterAll(async () => platform?.stop());

const em = () => platform.services.orm.em.fork();

const loggedIn = (name: string, role: 'operator' | null = null) => loggedInUser(platform, name, role);

const enterpriseWithAdmin = (name: string) => enterpriseAdmin(platform, name);

type Answer = { status: number; json: any };
/** A 400 VALIDATION_FAILED (or `code`) whose message names the hidden character's field and code point. */
function expectRefused(r: Answer, message: string, code = 'VALIDATION_FAILED') {
  expect(r.status, JSON.stringify(r.json)).toBe(400);
  expect(r.json.error.code).toBe(code);
  expect(r.json.error.message).toContain(message);
  expect(typeof r.json.error.messageEn).toBe('string');
}

describe('信息管理 contact details', () => {
  it('a lone surrogate, a bidi override or a zero-width character is refused (400) and the stored details stay as they were', async () => {
    const { admin } = await enterpriseWithAdmin('隐藏字符联系');
    const info = await admin.c.get('/console/enterprise-info');
    const saved = await admin.c.request('PATCH', '/console/enterprise-info', { contactName: '王五', address: '上海市浦东新区世纪大道 100 号', version: info.json.version });
    expect(saved.status, JSON.stringify(saved.json)).toBe(200);
    const version = saved.json.version;

    expectRefused(await admin.c.request('PATCH', '/console/enterprise-info', { contactName: '\ud800x', version }), '联系人姓名含有不可见或控制字符（U+D800）');
    expectRefused(await admin.c.request('PATCH', '/console/enterprise-info', { address: 'a\u202eb\u200b', version }), '地址含有不可见或控制字符（U+202E）');
    expectRefused(await admin.c.request('PATCH', '/console/enterprise-info', { contactName: '王\u200b五', version }), '联系人姓名含有不可见或控制字符（U+200B）');
    expectRefused(await admin.c.request('PATCH', '/console/enterprise-info', { address: '第一行\n第二行', version }), '地址含有不可见或控制字符（U+000A）');

    const after = await admin.c.get('/console/enterprise-info');
    expect(after.json).toMatchObject({ contactName: '王五', address: '上海市浦东新区世纪大道 100 号', version });
  });
});

describe('拒签 / 撤销 reasons', () => {
  let alice: SignedInUser;
  let bob: SignedInUser;
  let carol: SignedInUser;
  beforeAll(async () => {
    [alice, bob, carol] = [await signedInUser(platform, '钱隐藏'), await signedInUser(platform, '孙隐藏'), await signedInUser(platform, '猪隐藏')];
  });

  it('a hidden character in the reason is refused (400); the contract stays 签署中; a multi-line reason is kept as written', async () => {
    const id = await startTwoStepContract(platform, { initiator: alice, first: bob, second: carol }, '隐藏字符的拒签');
    expectRefused(await bob.api.post(`/contracts/${id}/refuse`, { reason: '\ud800' }), '原因含有不可见或控制字符（U+D800）');
    expectRefused(await bob.api.post(`/contracts/${id}/refuse`, { reason: '金额\u202e不对' }), '原因含有不可见或控制字符（U+202E）');
    expectRefused(await alice.api.post(`/contracts/${id}/revoke`, { reason: '撤\u200b销' }), '原因含有不可见或控制字符（U+200B）');
    expectRefused(await alice.api.post(`/contracts/${id}/revoke`, { reason: 'a\ud800b' }), '原因含有不可见或控制字符（U+D800）');
    expect(await em().findOneOrFail(ContractSchema, { id })).toMatchObject({ status: 'in_progress', voidReason: null, voidNote: null });
    expect((await em().findOneOrFail(ContractSignerSchema, { contractId: id, userId: bob.id })).status).toBe('pending');

    const refused = await bob.api.post(`/contracts/${id}/refuse`, { reason: '金额不对\n请修改后重发' });
    expect(refused.status, JSON.stringify(refused.json)).toBe(200);
    expect(refused.json).toMatchObject({ status: 'voided', voidReason: 'refused', voidNote: '金额不对\n请修改后重发' });
  });
});

describe('加入企业 and its review', () => {
  it('申请说明 with a hidden character is refused (400) and no application is made; 驳回原因 likewise', async () => {
    const { admin, enterprise } = await enterpriseWithAdmin('隐藏字符加入');
    const applicant = await loggedIn('隐藏申请人');
    expectRefused(await applicant.c.post(`/enterprises/${enterprise.id}/join`, { message: 'a\ud800b' }), '申请说明含有不可见或控制字符（U+D800）');
    expectRefused(await applicant.c.post(`/enterprises/${enterprise.id}/join`, { message: '我是\u202e财务' }), '申请说明含有不可见或控制字符（U+202E）');
    expect(await em().count(MembershipSchema, { enterpriseId: enterprise.id, userId: applicant.user.id })).toBe(0);

    const applied = await applicant.c.post(`/enterprises/${enterprise.id}/join`, { message: '财务部\n张三' });
    expect(applied.status, JSON.stringify(applied.json)).toBe(201);
    expect((await em().findOneOrFail(MembershipSchema, { id: applied.json.id })).message).toBe('财务部\n张三');

    expectRefused(await admin.c.post(`/console/join-applications/${applied.json.id}/reject`, { reason: '不\ud800认识' }), '驳回原因含有不可见或控制字符（U+D800）');
    expect((await em().findOneOrFail(MembershipSchema, { id: applied.json.id })).status).toBe('pending');
    const rejected = await admin.c.post(`/console/join-applications/${applied.json.id}/reject`, { reason: '查无此人' });
    expect(rejected.status, JSON.stringify(rejected.json)).toBe(200);
  });

  it('申请管理员 with a hidden character in its reason is refused (400) before anything is stored', async () => {
    const { admin, enterprise } = await enterpriseWithAdmin('隐藏字符管理员');
    const member = await loggedIn('隐藏成员');
    await addMember(platform.services, enterprise.id, admin.user, member.user);
    const form = new FormData();
    // A multipart text field is UTF-8: a lone surrogate cannot be sent in one (it arrives as U+FFFD); a bidi override can.
    form.append('reason', '原管理员已\u202e离职');
    form.append('file', new Blob([(await makePdf(1)) as Uint8Array<ArrayBuffer>], { type: 'application/pdf' }), 'letter.pdf');
    expectRefused(await member.c.post(`/enterprises/${enterprise.id}/admin-applications`, form), '申请理由含有不可见或控制字符（U+202E）');
  });
});

describe('operators’ reasons', () => {
  it('驳回 of an enterprise certification with a hidden character in the reason is refused (400, in the rule’s own English too); the application stays pending', async () => {
    const applicant = await loggedIn('隐藏字符认证申请人');
    const x = em();
    const pending = await submitCertification(x, platform.services.store, await x.findOneOrFail(UserSchema, { id: applicant.user.id }), { name: '隐藏字符认证有限公司', uscc: uniqueUscc(), legalRepresentative: '法人代表', sealTypes: ['official'] }, await makePdf(1), { id: applicant.user.id, name: applicant.user.name, ip: null });
    const operator = await createUser(platform.services, '隐藏字符运营', 'operator');
    const op = new ApiClient(platform.baseUrl);
    await op.login(operator.mobile, TEST_PASSWORD);
    const r = await op.post(`/admin/enterprises/${pending.id}/reject`, { reason: '材料\u200b不全' });
    expectRefused(r, '原因含有不可见或控制字符（U+200B）');
    expect(r.json.error.messageEn).toContain('U+200B');
    expect((await em().findOneOrFail(EnterpriseSchema, { id: pending.id })).status).toBe('pending');
    expect((await op.post(`/admin/enterprises/${pending.id}/reject`, { reason: '材料不全\n请补充' })).status).toBe(200);
  });
});

describe('证书订单 撤销原因', () => {
  it('a hidden character in the reason is refused (400) before the order is looked at', async () => {
    const { admin, enterprise } = await enterpriseWithAdmin('隐藏字符证书');
    const seal = await em().findOneOrFail(SealSchema, { enterpriseId: enterprise.id, status: 'active' }, { orderBy: { createdAt: 'asc' } });
    const orderId = randomUUID();
    const now = new Date();
    const e = em();
    e.create(CertificateOrderSchema, {
      id: orderId, enterpriseId: enterprise.id, sealId: seal.id, kind: 'new', renewsCertificateId: null, status: 'cancelled', caOrderId: null, amountFen: null, rejectReason: '已撤销',
      privateKeyEncrypted: null, csrPem: null, certificateId: null, createdBy: admin.user.id, createdAt: now, submittedAt: null, paidAt: null, auditedAt: null, issuedAt: null, endedAt: now, lastPolledAt: null,
    });
    await e.flush();
    expectRefused(await admin.c.post(`/console/certificate-orders/${orderId}/cancel`, { reason: '重复\ud800申请' }), '撤销原因含有不可见或控制字符（U+D800）');
    expectRefused(await admin.c.post(`/console/certificate-orders/${orderId}/cancel`, { reason: '重复\u2066申请' }), '撤销原因含有不可见或控制字符（U+2066）');
    // A plain reason reaches the order's own rule (it has ended).
    expect((await admin.c.post(`/console/certificate-orders/${orderId}/cancel`, { reason: '重复申请' })).status).toBe(409);
  });
});

describe('编辑模板', () => {
  const box = (page: number, x: number, y: number) => ({ page, x, y, width: 200, height: 20, fontSize: 12, align: 'left' });
  const definition = {
    fields: [{ key: 'buyer', label: '买方名称', type: 'text', required: true, box: box(1, 100, 100) }],
    roles: [{ id: 'r1', name: '甲方', kind: 'enterprise', step: 1, marks: [{ kind: 'seal', sealType: 'contract', page: 2, x: 300, y: 500 }] }],
  };

  /** A published web template (1 field, 1 role) of an enterprise. */
  async function publishedTemplate(c: ApiClient) {
    const form = new FormData();
    form.append('info', JSON.stringify({ kind: 'web', name: '服务协议', businessType: '采购', scenario: null }));
    form.append('file', new Blob([(await makePdf(2)) as Uint8Array<ArrayBuffer>], { type: 'application/pdf' }), 't.pdf');
    const created = await c.request('POST', '/templates', form);
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    const put = await c.request('PUT', `/templates/${created.json.id}`, { version: created.json.version, name: '服务协议', businessType: '采购', scenario: null, definition });
    expect(put.status, JSON.stringify(put.json)).toBe(200);
    const pub = await c.post(`/templates/${created.json.id}/publish`, { version: put.json.version });
    expect(pub.status, JSON.stringify(pub.json)).toBe(200);
    expect(pub.json).toMatchObject({ status: 'published' });
    return pub.json as { id: string; version: number };
  }

  /** The template as stored: unchanged by every refused request. */
  async function expectUnchanged(id: string, version: number) {
    const t = await em().findOneOrFail(DocumentTemplateSchema, { id });
    expect({ status: t.status, name: t.name, version: t.version, fields: t.definition.fields.length, roles: t.definition.roles.length }).toEqual({ status: 'published', name: '服务协议', version, fields: 1, roles: 1 });
    expect(t.definition.fields[0]).toMatchObject({ key: 'buyer', defaultValue: null, libraryFieldId: null });
  }

  it('a lone surrogate (or another hidden character) in a field default or 字段库 id is refused (400: MariaDB answered 500) and the template is unchanged', async () => {
    const { admin } = await enterpriseWithAdmin('隐藏字符模板');
    const t = await publishedTemplate(admin.c);
    const withField = (over: Record<string, unknown>) => ({ version: t.version, name: '服务协议', businessType: '采购', scenario: null, definition: { ...definition, fields: [{ ...definition.fields[0], ...over }] } });
    const cases: [Record<string, unknown>, string][] = [
      [{ defaultValue: '\ud800x' }, '字段「买方名称」：默认值含有不可见或控制字符（U+D800）'],
      [{ defaultValue: '甲\u202e乙' }, '字段「买方名称」：默认值含有不可见或控制字符（U+202E）'],
      [{ libraryFieldId: '\ud800x' }, '字段「买方名称」：字段库标识含有不可见或控制字符（U+D800）'],
      [{ libraryFieldId: 'a\u200bb' }, '字段「买方名称」：字段库标识含有不可见或控制字符（U+200B）'],
    ];
    for (const [over, message] of cases) {
      const r = await admin.c.request('PUT', `/templates/${t.id}`, withField(over));
      expectRefused(r, message, 'TEMPLATE_DEFINITION_INVALID');
      expect(r.json.error.message).toBe(message);
    }
    await expectUnchanged(t.id, t.version);
  });

  it('a missing or null definition is refused (400): before, the fields and roles were wiped and the template went back to draft', async () => {
    const { admin } = await enterpriseWithAdmin('缺定义模板');
    const t = await publishedTemplate(admin.c);
    for (const body of [
      { version: t.version, name: '改名', businessType: null, scenario: null },
      { version: t.version, name: '改名', businessType: null, scenario: null, definition: null },
    ]) {
      const r = await admin.c.request('PUT', `/templates/${t.id}`, body);
      expectRefused(r, '缺少模板定义（字段与签署角色）', 'TEMPLATE_DEFINITION_INVALID');
      expect(r.json.error.messageEn).toBe('The template definition (fields and signer roles) is missing');
    }
    await expectUnchanged(t.id, t.version);
    // The editor's request (the whole definition, as read) renames it and keeps it published.
    const view = (await admin.c.get(`/templates/${t.id}`)).json;
    const renamed = await admin.c.request('PUT', `/templates/${t.id}`, { version: view.version, name: '改名', businessType: null, scenario: null, definition: view.definition });
    expect(renamed.status, JSON.stringify(renamed.json)).toBe(200);
    expect(renamed.json).toMatchObject({ name: '改名', status: 'published' });
    expect([renamed.json.definition.fields.length, renamed.json.definition.roles.length]).toEqual([1, 1]);
  });

  it('a version that is not an integer ([5], true, "0x5") is refused (400); a multipart form sends its digits', async () => {
    const { admin } = await enterpriseWithAdmin('版本号模板');
    const t = await publishedTemplate(admin.c);
    for (const version of [[t.version], true, `0x${t.version}`, ` ${t.version} `, t.version + 0.5]) {
      const put = await admin.c.request('PUT', `/templates/${t.id}`, { version, name: '改名', businessType: null, scenario: null, definition });
      expectRefused(put, '版本号不正确');
      expectRefused(await admin.c.post(`/templates/${t.id}/disable`, { version }), '版本号不正确');
    }
    await expectUnchanged(t.id, t.version);
    const form = new FormData();
    form.append('version', String(t.version));
    form.append('file', new Blob([(await makePdf(2)) as Uint8Array<ArrayBuffer>], { type: 'application/pdf' }), 't.pdf');
    const replaced = await admin.c.request('PUT', `/templates/${t.id}/source`, form);
    expect(replaced.status, JSON.stringify(replaced.json)).toBe(200);
    expect(replaced.json.version).toBe(t.version + 1);
  });
});
