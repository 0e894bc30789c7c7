/**
 * 待重新认证 blocks contracts (issue 9) on the run's database (MariaDB in CI), over the HTTP
 * API and the signing engine the workflow's sign activity runs: once the enterprise has started a
 * name change (startRename → standing 'recertifying'), its members cannot start a contract as the
 * enterprise nor sign (or ask for a signing code) for its 企业 / 部门 participants — 409
 * ENTERPRISE_RECERTIFYING with zh + en messages; contracts waiting for it stay waiting (签署中, the
 * participant 待签署), and the initiator's view says why (participants[].blocked). After 放弃变更 the
 * same member signs.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../domain/audit/record-audit';
import { applySignature } from '../../domain/contracts/apply-signature';
import { loadContract } from '../../domain/contracts/contract-access';
import { EnterpriseSchema, type Enterprise } from '../../domain/enterprises/enterprise.entity';
import { abandonChange } from '../../domain/enterprises/recertification/end';
import { startRename } from '../../domain/enterprises/recertification/start-rename';
import { SealAuthorizationSchema, type Seal } from '../../domain/enterprises/seal.entities';
import { AppError } from '../../domain/errors';
import type { User } from '../../domain/identity/user.entity';
import { createSeal } from '../../domain/seals/create-seal';
import { issueSealCertificate, sealsOf } from '../harness/certificate-fixtures';
import { newEnterpriseContract, willingnessConfirmation } from '../harness/enterprise-contract';
import { createCertifiedEnterprise } from '../harness/enterprise-fixtures';
import { contractForm, createUser, makePdf, TEST_PASSWORD } from '../harness/fixtures';
import { ApiClient } from '../harness/http-client';
import { startTestPlatform, type TestPlatform } from '../harness/platform';

let platform: TestPlatform;
const em = () => platform.services.orm.em.fork();
const DEPARTMENT = '法务部';

let admin: User;
let partner: User;
let enterprise: Enterprise;
let adminClient: ApiClient;
let partnerClient: ApiClient;

beforeAll(async () => {
  platform = await startTestPlatform();
  admin = await createUser(platform.services, '重认证管理员');
  partner = await createUser(platform.services, '重认证相对方');
  enterprise = await createCertifiedEnterprise(platform.services, admin, `重认证阻断${Date.now() % 100000}有限公司`, ['official', 'contract']);
  const department = await createSeal(em(), platform.services.store, { enterprise, input: { type: 'department', departmentName: DEPARTMENT }, actor: SYSTEM_ACTOR });
  const seals: Seal[] = [...(await sealsOf(platform.services, enterprise.id)).filter((s) => s.type === 'contract'), department];
  const x = em();
  for (const seal of seals) {
    await issueSealCertificate(platform.services, platform.config.masterKey, seal, enterprise.name);
    x.create(SealAuthorizationSchema, { id: randomUUID(), enterpriseId: enterprise.id, sealId: seal.id, userId: admin.id, grantedBy: admin.id, grantedAt: new Date(), expiresAt: null });
  }
  await x.flush();
  adminClient = new ApiClient(platform.baseUrl);
  await adminClient.login(admin.mobile, TEST_PASSWORD);
  expect((await adminClient.post('/auth/acting', { enterpriseId: enterprise.id })).status).toBe(200);
  partnerClient = new ApiClient(platform.baseUrl);
  await partnerClient.login(partner.mobile, TEST_PASSWORD);
});
afterAll(async () => platform?.stop());

const deps = () => ({ em: em(), store: platform.services.store, ca: platform.services.ca, masterKey: platform.config.masterKey });
const codeOf = (p: Promise<unknown>) => p.then(() => 'resolved', (e: unknown) => (e instanceof AppError ? e.code : String(e)));
const signAsAdmin = async (contractId: string, participantId: string) =>
  applySignature(deps(), { contractId, participantId, actorUserId: admin.id, confirmationId: await willingnessConfirmation(platform.services, contractId, participantId, admin.id) });

describe('an enterprise 待重新认证', () => {
  it('cannot start or sign contracts (409 ENTERPRISE_RECERTIFYING); waiting contracts stay waiting and show why; after 放弃变更 it signs', async () => {
    const forEnterprise = await newEnterpriseContract(platform.services, { title: '等待重认证企业签署', initiator: partner, enterprise, person: partner });
    const forDepartment = await newEnterpriseContract(platform.services, { title: '等待重认证部门签署', initiator: partner, enterprise, person: partner, department: DEPARTMENT });
    const change = await startRename(em(), { enterpriseId: enterprise.id, actor: { id: admin.id, name: admin.name, ip: null }, newName: `${enterprise.name}（新）` });
    expect((await em().findOneOrFail(EnterpriseSchema, { id: enterprise.id })).standing).toBe('recertifying');

    // The API's pre-checks: signing code and signature, for the enterprise and for its department.
    for (const c of [forEnterprise, forDepartment]) {
      const code = await adminClient.post(`/contracts/${c.id}/sms-code`, { participantId: c.enterpriseParticipant });
      expect(code.status).toBe(409);
      expect(code.json.error).toMatchObject({ code: 'ENTERPRISE_RECERTIFYING', message: expect.stringContaining('重新认证'), messageEn: expect.stringContaining('re-certified') });
      const sign = await adminClient.post(`/contracts/${c.id}/sign`, { code: '123456', participantId: c.enterpriseParticipant });
      expect(sign.status).toBe(409);
      expect(sign.json.error.code).toBe('ENTERPRISE_RECERTIFYING');
      // The workflow's sign path (the signing engine its activity runs) refuses as well.
      expect(await codeOf(signAsAdmin(c.id, c.enterpriseParticipant))).toBe('ENTERPRISE_RECERTIFYING');
    }

    // Starting a contract as the enterprise.
    const spec = { actAs: 'enterprise', participants: [{ kind: 'person', step: 1, mobile: partner.mobile, name: partner.name, marks: [{ kind: 'name_seal', page: 1, x: 60, y: 100 }] }] };
    const started = await adminClient.request('POST', '/contracts', contractForm(await makePdf(1), { title: '重认证期间发起', spec }));
    expect(started.status).toBe(409);
    expect(started.json.error.code).toBe('ENTERPRISE_RECERTIFYING');

    // Nothing was voided: both contracts wait, their participants still to sign; the initiator sees why.
    for (const c of [forEnterprise, forDepartment]) {
      const found = (await loadContract(em(), c.id))!;
      expect(found.contract.status).toBe('in_progress');
      expect(found.signers.find((s) => s.id === c.enterpriseParticipant)!.status).toBe('pending');
      const view = await partnerClient.get(`/contracts/${c.id}`);
      expect(view.status).toBe(200);
      const byId = Object.fromEntries(view.json.participants.map((p: { id: string; blocked: unknown }) => [p.id, p.blocked]));
      expect(byId[c.enterpriseParticipant]).toMatchObject({ code: 'ENTERPRISE_RECERTIFYING', message: expect.any(String), messageEn: expect.any(String) });
      expect(byId[c.personParticipant]).toBeNull();
    }

    // 放弃变更: the enterprise signs again.
    await abandonChange(em(), { changeId: change.id, actor: { id: admin.id, name: admin.name, ip: null } });
    expect((await em().findOneOrFail(EnterpriseSchema, { id: enterprise.id })).standing).toBe('normal');
    expect((await partnerClient.get(`/contracts/${forEnterprise.id}`)).json.participants.every((p: { blocked: unknown }) => p.blocked === null)).toBe(true);
    expect(await signAsAdmin(forEnterprise.id, forEnterprise.enterpriseParticipant)).toMatchObject({ documentVersion: 1, stepAdvanced: 2 });
    expect(await signAsAdmin(forDepartment.id, forDepartment.enterpriseParticipant)).toMatchObject({ documentVersion: 1, stepAdvanced: 2 });
  });
});
