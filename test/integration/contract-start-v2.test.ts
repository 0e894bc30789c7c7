/**
 * 发起合同 v2 through the API (real database, real Temporal dev server): participants by step (a
 * person, an enterprise with a named operator, a department, an invited unregistered number), marks
 * with their fixed sizes, CC; who may read the contract; the invitation SMS and its claim at 实名认证;
 * options and the enterprise lookup; validation answers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../domain/audit/record-audit';
import { ContractMarkSchema } from '../../domain/contracts/contract-mark.entity';
import { ContractSignerSchema } from '../../domain/contracts/contract-signer.entity';
import { ContractEventSchema } from '../../domain/contracts/trail/contract-event.entity';
import { MARK_SIZES, sealMarkSize } from '../../domain/contracts/mark-geometry';
import { EnterpriseSchema } from '../../domain/enterprises/enterprise.entity';
import { SealSchema } from '../../domain/enterprises/seal.entities';
import { createUser as newUser } from '../../domain/identity/create-user';
import { maskMobile } from '../../domain/identity/masking';
import { reviewRealName, submitRealName } from '../../domain/identity/real-name';
import { UserSchema, type User } from '../../domain/identity/user.entity';
import { createSeal } from '../../domain/seals/create-seal';
import { ensureSealImage } from '../../domain/seals/seal-image';
import { updateSetting } from '../../domain/platform/settings';
import { SmsOutboxMessageSchema } from '../../domain/sms/sms.entities';
import { createIdentityVerifier } from '../../integrations/identity';
import { createCertifiedEnterprise, addMember } from '../harness/enterprise-fixtures';
import { contractForm, createUser, makePdf, TEST_PASSWORD, uniqueMobile } from '../harness/fixtures';
import { ApiClient } from '../harness/http-client';
import { startTestPlatform, type TestPlatform } from '../harness/platform';
import { uniqueIdNumber } from '../harness/registration';

let platform: TestPlatform;
let alice: User, bob: User, admin: User, op: User, carol: User, stranger: User;
let enterpriseId: string;
let enterpriseName: string;
const invitedMobile = uniqueMobile();
const em = () => platform.services.orm.em.fork();

async function login(u: User) {
  const c = new ApiClient(platform.baseUrl);
  await c.login(u.mobile, TEST_PASSWORD);
  return c;
}

beforeAll(async () => {
  platform = await startTestPlatform();
  const users = await Promise.all(['发起人甲', '个人乙', '企业管理员', '经办人丁', '抄送人戊', '路人己'].map((n) => createUser(platform.services, n)));
  [alice, bob, admin, op, carol, stranger] = users as [User, User, User, User, User, User];
  enterpriseName = `星河科技${Date.now() % 100000}有限公司`;
  const e = await createCertifiedEnterprise(platform.services, admin, enterpriseName);
  enterpriseId = e.id;
  await addMember(platform.services, enterpriseId, admin, op);
  const x = em();
  await createSeal(x, platform.services.store, { enterprise: await x.findOneOrFail(EnterpriseSchema, { id: enterpriseId }), input: { type: 'department', departmentName: '法务部' }, actor: SYSTEM_ACTOR });
});
afterAll(async () => platform?.stop());

const spec = () => ({
  title: '三方采购合同',
  contractNo: 'HT-V2-001',
  remarks: '演示备注',
  participants: [
    { kind: 'person', step: 1, mobile: bob.mobile, name: bob.name, canRefuse: true, note: '请核对金额', marks: [{ kind: 'name_seal', page: 1, x: 100, y: 600 }, { kind: 'date', page: 1, x: 100, y: 680 }] },
    {
      kind: 'enterprise',
      step: 2,
      enterpriseId,
      operatorMobile: op.mobile,
      marks: [
        { kind: 'seal', sealType: 'contract', page: 1, x: 300, y: 600 },
        { kind: 'riding', sealType: 'contract', pageFrom: 1, pageTo: 3, y: 300 },
        { kind: 'date', page: 1, x: 300, y: 720 },
      ],
    },
    { kind: 'department', step: 2, enterpriseId, departmentName: '法务部', placement: 'free', marks: [] },
    { kind: 'person', step: 3, mobile: invitedMobile, name: '王五', marks: [{ kind: 'name_seal', page: 2, x: 100, y: 100 }] },
  ],
  cc: [{ mobile: carol.mobile }],
});

const start = async (client: ApiClient, s: Record<string, unknown>, pages = 3) => client.post('/contracts', contractForm(await makePdf(pages), { title: String(s.title), spec: s }));

describe('发起合同 v2', () => {
  let id: string;

  it('creates a lifecycle-2 contract: step 1 pending, the rest waiting, marks with fixed sizes, CC, and an invitation SMS to the unregistered number', async () => {
    const api = await login(alice);
    const r = await start(api, spec());
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    id = r.json.id;
    expect(r.json).toMatchObject({ status: 'in_progress', lifecycle: 2, currentStep: 1, contractNo: 'HT-V2-001', remarks: '演示备注', initiator: { userId: alice.id, name: alice.name, enterpriseId: null } });
    const ps = r.json.participants as { id: string; kind: string; step: number; status: string; name: string; invited: boolean; mobileMasked: string | null; marks: { kind: string; width: number; pageFrom: number | null }[] }[];
    expect(ps.map((p) => [p.kind, p.step, p.status])).toEqual([
      ['person', 1, 'pending'],
      ['enterprise', 2, 'waiting'],
      ['department', 2, 'waiting'],
      ['person', 3, 'waiting'],
    ]);
    expect(ps[1]!.name).toBe(enterpriseName);
    expect(ps[2]!.name).toBe(`${enterpriseName}·法务部`);
    expect(ps[2]!.mobileMasked).toBeNull();
    expect(ps[3]).toMatchObject({ name: '王五', invited: true });
    expect(ps[0]!.marks.map((m) => [m.kind, m.width]).sort()).toEqual([
      ['date', MARK_SIZES.date.width],
      ['name_seal', MARK_SIZES.name_seal.width],
    ]);
    expect(ps[1]!.marks.find((m) => m.kind === 'riding')).toMatchObject({ pageFrom: 1, width: sealMarkSize('contract').width });
    expect(r.json.cc).toEqual([{ id: expect.any(String), name: maskMobile(carol.mobile) }]);
    expect(r.json.me).toMatchObject({ actFor: null, canSign: false, canRevoke: true, canUrge: true, isCc: false });
    expect(r.json.workflowId).toBeUndefined();

    const rows = await em().find(ContractSignerSchema, { contractId: id }, { orderBy: { order: 'asc' } });
    expect(rows.map((p) => p.userId)).toEqual([bob.id, op.id, null, null]);
    expect(await em().count(ContractMarkSchema, { contractId: id, preset: true })).toBe(6);
    const sms = await em().find(SmsOutboxMessageSchema, { mobile: invitedMobile, purpose: 'contract_invitation' });
    expect(sms).toHaveLength(1);
    expect(sms[0]!.content).toContain('三方采购合同');
    expect(sms[0]!.content).toContain('/register');
    const events = await em().find(ContractEventSchema, { contractId: id }, { orderBy: { seq: 'asc' } });
    expect(events.map((e) => e.type)).toEqual(['created', 'step_started', 'invitation_sent']);
  });

  it('is readable by the initiator, the participants, the CC and members acting as the participant enterprise; 404 for anyone else', async () => {
    const asBob = await (await login(bob)).get(`/contracts/${id}`);
    expect(asBob.status).toBe(200);
    expect(asBob.json.me).toMatchObject({ canSign: true, canRefuse: true, canRevoke: false, isCc: false });
    expect(asBob.json.me.actFor).toBe(asBob.json.participants[0].id);
    const asCarol = await (await login(carol)).get(`/contracts/${id}`);
    expect(asCarol.status).toBe(200);
    expect(asCarol.json.me).toMatchObject({ isCc: true, canSign: false, actFor: null });
    expect((await (await login(stranger)).get(`/contracts/${id}`)).status).toBe(404);
    expect((await (await login(stranger)).get(`/contracts/${id}/document`)).status).toBe(404);
    // The enterprise's administrator sees it only while acting as the enterprise.
    const asAdmin = await login(admin);
    expect((await asAdmin.get(`/contracts/${id}`)).status).toBe(404);
    expect((await asAdmin.post('/auth/acting', { enterpriseId })).status).toBe(200);
    const acting = await asAdmin.get(`/contracts/${id}`);
    expect(acting.status).toBe(200);
    expect(acting.json.me.canSign).toBe(false); // step 2 has not started
    const doc = await (await login(carol)).get(`/contracts/${id}/document?download=1`);
    expect(doc.status).toBe(200);
    expect(doc.headers.get('content-type')).toBe('application/pdf');
  });

  it('the invited number’s owner registers, passes 实名认证 and finds the participant bound to them', async () => {
    const x = em();
    const invitee = await newUser(x, { name: '注册名', mobile: invitedMobile, password: TEST_PASSWORD, platformRole: null, realNameStatus: 'unverified' });
    await x.flush();
    const before = new ApiClient(platform.baseUrl);
    await before.login(invitedMobile, TEST_PASSWORD);
    expect((await before.get(`/contracts/${id}`)).status).toBe(404);
    const y = em();
    const user = await y.findOneOrFail(UserSchema, { id: invitee.id });
    const application = await submitRealName(y, createIdentityVerifier(platform.config), platform.config.masterKey, user, { name: '王五', idNumber: uniqueIdNumber() }, { id: user.id, name: user.name, ip: null });
    await reviewRealName(em(), application.id, { approve: true }, SYSTEM_ACTOR);
    const bound = await em().findOneOrFail(ContractSignerSchema, { contractId: id, mobile: invitedMobile });
    expect(bound).toMatchObject({ userId: invitee.id, name: '王五', invited: true });
    const view = await before.get(`/contracts/${id}`);
    expect(view.status).toBe(200);
    expect(view.json.me.canSign).toBe(false); // step 3 waits for steps 1 and 2
    const claimed = await em().find(ContractEventSchema, { contractId: id, type: 'invitation_claimed' });
    expect(claimed).toHaveLength(1);
  });

  it('an enterprise member acting as the enterprise initiates as the enterprise', async () => {
    const asAdmin = await login(admin);
    await asAdmin.post('/auth/acting', { enterpriseId });
    const r = await start(asAdmin, { title: '企业发起', actAs: 'enterprise', participants: [{ kind: 'person', step: 1, mobile: bob.mobile, name: bob.name, placement: 'free' }] }, 1);
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    expect(r.json.initiator).toMatchObject({ userId: admin.id, enterpriseId, enterpriseName });
    // Not acting as an enterprise: refused.
    const plain = await start(await login(alice), { title: '个人冒充企业', actAs: 'enterprise', participants: [{ kind: 'person', step: 1, mobile: bob.mobile, name: bob.name, placement: 'free' }] }, 1);
    expect(plain.status).toBe(400);
    expect(plain.json.error.code).toBe('NOT_ACTING_AS_ENTERPRISE');
  });

  it.each([
    ['a person without a name (registered or not: the answer tells nothing about the number)', (s: ReturnType<typeof spec>) => ({ ...s, participants: [{ kind: 'person', step: 1, mobile: bob.mobile, placement: 'free' }] }), 'VALIDATION_FAILED'],
    ['an unregistered person without a name', (s: ReturnType<typeof spec>) => ({ ...s, participants: [{ kind: 'person', step: 1, mobile: uniqueMobile(), name: ' ', placement: 'free' }] }), 'VALIDATION_FAILED'],
    // An unregistered CC number is accepted like a registered one (cc-unregistered.test.ts); a number listed twice is not.
    ['a CC number listed twice', (s: ReturnType<typeof spec>) => ({ ...s, cc: [{ mobile: carol.mobile }, { mobile: carol.mobile }] }), 'DUPLICATE_CC'],
    ['an unknown enterprise', (s: ReturnType<typeof spec>) => ({ ...s, participants: [{ kind: 'enterprise', step: 1, enterpriseId: '00000000-0000-4000-8000-000000000000', placement: 'free' }] }), 'ENTERPRISE_NOT_FOUND'],
    ['a department without a 部门章', (s: ReturnType<typeof spec>) => ({ ...s, participants: [{ kind: 'department', step: 1, enterpriseId, departmentName: '财务部', placement: 'free' }] }), 'DEPARTMENT_NOT_FOUND'],
    ['an operator who is not a member', (s: ReturnType<typeof spec>) => ({ ...s, participants: [{ kind: 'enterprise', step: 1, enterpriseId, operatorMobile: stranger.mobile, placement: 'free' }] }), 'OPERATOR_NOT_MEMBER'],
    ['a mark on a page that does not exist', (s: ReturnType<typeof spec>) => ({ ...s, participants: [{ kind: 'person', step: 1, mobile: bob.mobile, name: bob.name, marks: [{ kind: 'name_seal', page: 9, x: 0, y: 0 }] }] }), 'POSITION_OUT_OF_PAGE'],
  ])('answers 400 for %s', async (_name, patch, code) => {
    const r = await start(await login(alice), patch(spec()));
    expect(r.status, JSON.stringify(r.json)).toBe(400);
    expect(r.json.error.code).toBe(code);
    expect(r.json.error.message).toMatch(/[\u4e00-\u9fff]/);
  });

  it('a failed start tells nothing about membership: a member, a non-member and an unregistered number named as operator, next to an unknown enterprise, get the same answer', async () => {
    const api = await login(alice);
    const unknownEnterprise = '00000000-0000-4000-8000-000000000001';
    const probe = (operatorMobile: string) =>
      start(api, {
        ...spec(),
        participants: [
          { kind: 'enterprise', step: 1, enterpriseId, operatorMobile, placement: 'free' },
          { kind: 'enterprise', step: 1, enterpriseId: unknownEnterprise, placement: 'free' },
        ],
      });
    const answers = [];
    for (const mobile of [op.mobile, stranger.mobile, uniqueMobile()]) {
      const r = await probe(mobile);
      answers.push({ status: r.status, error: r.json.error });
    }
    expect(answers[0]).toMatchObject({ status: 400, error: { code: 'ENTERPRISE_NOT_FOUND' } });
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
    // The same with a department that has no 部门章 after the named operator.
    const noDepartment = (operatorMobile: string) =>
      start(api, {
        ...spec(),
        participants: [
          { kind: 'enterprise', step: 1, enterpriseId, operatorMobile, placement: 'free' },
          { kind: 'department', step: 2, enterpriseId, departmentName: '财务部', placement: 'free' },
        ],
      });
    const member = await noDepartment(op.mobile);
    const nonMember = await noDepartment(stranger.mobile);
    expect(member.json.error.code).toBe('DEPARTMENT_NOT_FOUND');
    expect(nonMember.json.error).toEqual(member.json.error);
  });

  it('GET /contracts/options and GET /enterprises/lookup feed the wizard', async () => {
    const api = await login(alice);
    const options = await api.get('/contracts/options');
    expect(options.status).toBe(200);
    expect(options.json.defaultExpiryDays).toBe(30);
    expect(options.json.markSizes.date).toEqual(MARK_SIZES.date);
    expect(options.json.sealTypes.find((t: { code: string }) => t.code === 'contract')).toMatchObject({ name: '合同专用章', ...sealMarkSize('contract') });
    const found = await api.get(`/enterprises/lookup?q=${encodeURIComponent(enterpriseName.slice(0, 8))}`);
    expect(found.status).toBe(200);
    expect(found.json).toContainEqual({ id: enterpriseId, name: enterpriseName, departments: ['法务部'] });
    expect((await api.get('/enterprises/lookup?q=%25')).json).not.toContainEqual(expect.objectContaining({ id: enterpriseId }));
  });

  it('a contract without an expiry gets the 合同默认签署期限 from the platform settings (1–365 days)', async () => {
    const operator = { id: null, name: '测试', ip: null };
    await expect(updateSetting(em(), 'contractDefaultExpiryDays', 0, operator)).rejects.toMatchObject({ code: 'SETTING_INVALID' });
    await expect(updateSetting(em(), 'contractDefaultExpiryDays', 366, operator)).rejects.toMatchObject({ code: 'SETTING_INVALID' });
    await updateSetting(em(), 'contractDefaultExpiryDays', 7, operator);
    try {
      const api = await login(alice);
      expect((await api.get('/contracts/options')).json.defaultExpiryDays).toBe(7);
      const t0 = Date.now();
      const r = await start(api, { title: '默认期限', participants: [{ kind: 'person', step: 1, mobile: bob.mobile, name: bob.name, placement: 'free' }] }, 1);
      expect(r.status, JSON.stringify(r.json)).toBe(201);
      const days = (Date.parse(r.json.expiresAt) - t0) / 86_400_000;
      expect(days).toBeGreaterThan(6.99);
      expect(days).toBeLessThan(7.01);
    } finally {
      await updateSetting(em(), 'contractDefaultExpiryDays', 30, operator);
    }
  });
});

describe('enterprise names as long as their seals allow', () => {
  const named = (length: number) => {
    const head = `长名${Date.now() % 100000}`;
    return `${head}${'科'.repeat(length - head.length - 4)}有限公司`;
  };

  it('a 42-character name is certified with its round seals (set in a smaller font) and a 部门章, and both are contract participants', async () => {
    const name = named(42);
    const admin42 = await createUser(platform.services, '长名管理员');
    const e = await createCertifiedEnterprise(platform.services, admin42, name);
    const x = em();
    const department = '长'.repeat(10) + '部门';
    await createSeal(x, platform.services.store, { enterprise: await x.findOneOrFail(EnterpriseSchema, { id: e.id }), input: { type: 'department', departmentName: department }, actor: SYSTEM_ACTOR });
    const y = em();
    for (const seal of await y.find(SealSchema, { enterpriseId: e.id })) expect((await ensureSealImage(y, platform.services.store, seal)).imageKey, seal.type).toBeTruthy();
    const r = await start(await login(alice), {
      title: '长名企业合同',
      participants: [
        { kind: 'enterprise', step: 1, enterpriseId: e.id, placement: 'free', marks: [] },
        { kind: 'department', step: 1, enterpriseId: e.id, departmentName: department, placement: 'free', marks: [] },
      ],
    });
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    expect((r.json.participants as { name: string }[]).map((p) => p.name)).toEqual([name, `${name}·${department}`]);
  });

  it('a name longer than a round seal can carry is refused at certification (422 SEAL_TEXT_TOO_LONG), whatever seal types are asked for', async () => {
    const applicant = await createUser(platform.services, '超长名申请人');
    await expect(createCertifiedEnterprise(platform.services, applicant, named(60), ['legal_rep'])).rejects.toMatchObject({ code: 'SEAL_TEXT_TOO_LONG' });
  });

  it('an enterprise named longer than that before the rule (200 characters) still has its seal and is a contract participant (the names fit their columns on MariaDB)', async () => {
    const e = await createCertifiedEnterprise(platform.services, await createUser(platform.services, '旧长名管理员'), named(30), ['legal_rep']);
    const longName = named(200);
    await em().nativeUpdate(EnterpriseSchema, { id: e.id }, { name: longName });
    await em().nativeUpdate(SealSchema, { enterpriseId: e.id }, { name: `${longName}法定代表人章` });
    const r = await start(await login(alice), { title: '旧长名企业合同', participants: [{ kind: 'enterprise', step: 1, enterpriseId: e.id, placement: 'free', marks: [] }] });
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    expect((r.json.participants as { name: string }[]).map((p) => p.name)).toEqual([longName]);
  });
});
