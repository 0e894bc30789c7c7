// @sqlite-too: unique live keys and optimistic locks under parallel requests.
/**
 * Check-then-act under concurrency, with the domain functions and one EntityManager per request,
 * on the run's database (SQLite or MariaDB): the database's unique live keys and optimistic locks
 * decide, and the losers get a clear 409 AppError.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../domain/audit/record-audit';
import { AuditEventSchema } from '../../domain/audit/audit-event.entity';
import { applyForAdministrator, reviewAdministratorApplication } from '../../domain/enterprises/admin-application';
import { createTransfer } from '../../domain/enterprises/admin-transfer';
import { reviewCertification, submitCertification } from '../../domain/enterprises/certification';
import { EnterpriseSchema } from '../../domain/enterprises/enterprise.entity';
import { applyToJoin } from '../../domain/enterprises/join-enterprise';
import { changeLegalRepresentative } from '../../domain/enterprises/legal-representative';
import { approveJoin, removeMember } from '../../domain/enterprises/members';
import { grantSealAuthorization, requestSealGrantCode } from '../../domain/enterprises/seal-authorizations';
import { MembershipSchema } from '../../domain/enterprises/membership.entity';
import { SealAuthorizationSchema, SealSchema } from '../../domain/enterprises/seal.entities';
import { UserSchema, type User } from '../../domain/identity/user.entity';
import { createSeal } from '../../domain/seals/create-seal';
import { activeMembership, addMember, createCertifiedEnterprise, uniqueUscc } from '../harness/enterprise-fixtures';
import { createUser, latestSmsCode, makePdf } from '../harness/fixtures';
import { createSmsSender } from '../../integrations/sms';
import { startTestPlatform, type TestPlatform } from '../harness/platform';
import { actorOf as actor, outcomeOf as outcome } from '../harness/race-hooks';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform();
});
afterAll(async () => platform?.stop());

const em = () => platform.services.orm.em.fork();
const fresh = async (u: User) => em().findOneOrFail(UserSchema, { id: u.id });
const oks = (results: string[]) => results.filter((r) => r === 'ok').length;
/** The administrator's membership as a request's access check reads it. */

async function pendingEnterprise(name: string) {
  const certifier = await createUser(platform.services, `${name}认证人`);
  const e = await submitCertification(em(), platform.services.store, await fresh(certifier), { name, uscc: uniqueUscc(), legalRepresentative: '法人', sealTypes: ['official', 'contract'] }, await makePdf(1), actor(certifier));
  return { e, certifier };
}

/** 授权书 files stored for a user (letters/<user>/…). */
async function storedLetters(userId: string): Promise<number> {
  let n = 0;
  for await (const entry of platform.services.store.list(`letters/${userId}/`)) if (!entry.partial) n++;
  return n;
}

describe('check-then-act under concurrency', () => {
  it('two concurrent certification approvals: one wins, the seals are created once', async () => {
    const { e } = await pendingEnterprise('并发审核有限公司');
    const results = await Promise.all([0, 1].map(() => outcome(reviewCertification(em(), e.id, { approve: true }, SYSTEM_ACTOR))));
    expect(oks(results)).toBe(1);
    expect(results.filter((r) => r !== 'ok' && !r.startsWith('conflict '))).toEqual([]); // the loser gets a 409
    expect(await em().count(SealSchema, { enterpriseId: e.id })).toBe(2);
    expect(await em().count(AuditEventSchema, { action: 'enterprise.certified', targetId: e.id })).toBe(1);
    expect(await em().count(MembershipSchema, { enterpriseId: e.id, role: 'admin', status: 'active' })).toBe(1);
  });

  it('five parallel certifications with one USCC: one is accepted, the rest get USCC_TAKEN', async () => {
    const uscc = uniqueUscc();
    const users = await Promise.all([0, 1, 2, 3, 4].map((i) => createUser(platform.services, `同码${i}`)));
    const letter = await makePdf(1);
    const results = await Promise.all(users.map(async (u) => outcome(submitCertification(em(), platform.services.store, await fresh(u), { name: `同码公司${u.id.slice(0, 4)}`, uscc, legalRepresentative: '法人', sealTypes: ['official'] }, letter, actor(u)))));
    expect(oks(results)).toBe(1);
    expect(results.filter((r) => r !== 'ok')).toEqual(Array(4).fill('conflict USCC_TAKEN'));
    expect(await em().count(EnterpriseSchema, { uscc })).toBe(1);
    let letters = 0;
    for (const u of users) letters += await storedLetters(u.id);
    expect(letters).toBe(1); // a submission that lost at the commit deleted its letter
  });

  it('parallel join applications by one user: one pending application', async () => {
    const admin = await createUser(platform.services, '加入管理员');
    const e = await createCertifiedEnterprise(platform.services, admin, '并发加入有限公司');
    const u = await createUser(platform.services, '并发申请人');
    const results = await Promise.all([0, 1, 2, 3, 4].map(async () => outcome(applyToJoin(em(), e.id, await fresh(u), undefined, actor(u)))));
    expect(oks(results)).toBe(1);
    expect(results.filter((r) => r !== 'ok' && !r.startsWith('conflict '))).toEqual([]); // the loser gets a 409
    expect(await em().count(MembershipSchema, { enterpriseId: e.id, userId: u.id })).toBe(1);
  });

  it('two reviewers approving one join application: it is approved once', async () => {
    const admin = await createUser(platform.services, '审批管理员');
    const e = await createCertifiedEnterprise(platform.services, admin, '并发审批有限公司');
    const u = await createUser(platform.services, '被审批人');
    const m = await applyToJoin(em(), e.id, await fresh(u), undefined, actor(u));
    const results = await Promise.all([0, 1].map(async () => {
      const x = em();
      const enterprise = await x.findOneOrFail(EnterpriseSchema, { id: e.id });
      return outcome(approveJoin(x, enterprise, m.id, { role: 'member', businessTypes: [], sealIds: [] }, await x.findOneOrFail(UserSchema, { id: admin.id }), actor(admin), await activeMembership(x, e.id, admin)));
    }));
    expect(oks(results)).toBe(1);
    expect(await em().count(AuditEventSchema, { action: 'membership.approved', targetId: m.id })).toBe(1);
  });

  it('parallel administrator applications by one user: one pending application', async () => {
    const admin = await createUser(platform.services, '原管理员');
    const e = await createCertifiedEnterprise(platform.services, admin, '并发管理员申请有限公司');
    const u = await createUser(platform.services, '申请管理员');
    await addMember(platform.services, e.id, admin, u);
    const letter = await makePdf(1);
    const results = await Promise.all([0, 1, 2, 3].map(async () => outcome(applyForAdministrator(em(), platform.services.store, e.id, await fresh(u), '原管理员离职', letter, actor(u)))));
    expect(oks(results)).toBe(1);
    expect(results.filter((r) => r !== 'ok').every((r) => r === 'conflict APPLICATION_PENDING')).toBe(true);
    expect(await storedLetters(u.id)).toBe(1); // the losers' letters are deleted
  });

  it('two administrator applications approved at once: one administrator', async () => {
    const admin = await createUser(platform.services, '被替换管理员');
    const e = await createCertifiedEnterprise(platform.services, admin, '并发替换有限公司');
    const [a, b] = await Promise.all([createUser(platform.services, '申请人甲'), createUser(platform.services, '申请人乙')]);
    for (const u of [a, b]) await addMember(platform.services, e.id, admin, u);
    const letter = await makePdf(1);
    const appA = await applyForAdministrator(em(), platform.services.store, e.id, await fresh(a), '甲申请', letter, actor(a));
    const appB = await applyForAdministrator(em(), platform.services.store, e.id, await fresh(b), '乙申请', letter, actor(b));
    const results = await Promise.all([appA, appB].map((app) => outcome(reviewAdministratorApplication(em(), app.id, { approve: true }, SYSTEM_ACTOR))));
    expect(oks(results)).toBe(1);
    expect(results.filter((r) => r !== 'ok' && !r.startsWith('conflict '))).toEqual([]); // the loser gets a 409
    const admins = await em().find(MembershipSchema, { enterpriseId: e.id, role: 'admin', status: 'active' });
    expect(admins.length).toBe(1);
    expect((await em().findOneOrFail(EnterpriseSchema, { id: e.id })).adminUserId).toBe(admins[0]!.userId);
  });

  it('an administrator application is re-checked when approved: an applicant who lost 实名认证 meanwhile is refused, the administrator stays', async () => {
    const admin = await createUser(platform.services, '留任管理员');
    const e = await createCertifiedEnterprise(platform.services, admin, '复核申请有限公司');
    const applicant = await createUser(platform.services, '复核申请人');
    await addMember(platform.services, e.id, admin, applicant);
    const app = await applyForAdministrator(em(), platform.services.store, e.id, await fresh(applicant), '申请', await makePdf(1), actor(applicant));
    await em().nativeUpdate(UserSchema, { id: applicant.id }, { realNameStatus: 'rejected' });
    expect(await outcome(reviewAdministratorApplication(em(), app.id, { approve: true }, SYSTEM_ACTOR))).toBe('conflict APPLICANT_NOT_VERIFIED');
    expect((await em().findOneOrFail(EnterpriseSchema, { id: e.id })).adminUserId).toBe(admin.id);
    expect(await em().count(MembershipSchema, { enterpriseId: e.id, userId: applicant.id, role: 'admin' })).toBe(0);
  });

  it('parallel transfer starts: one running transfer per enterprise', async () => {
    const admin = await createUser(platform.services, '转让发起人');
    const e = await createCertifiedEnterprise(platform.services, admin, '并发转让有限公司');
    const targets = await Promise.all([0, 1, 2].map((i) => createUser(platform.services, `受让${i}`)));
    const memberships = [];
    for (const t of targets) memberships.push(await addMember(platform.services, e.id, admin, t));
    const deadline = new Date(Date.now() + 3600_000);
    const results = await Promise.all(memberships.map(async (m) => {
      const x = em();
      return outcome(createTransfer(x, await x.findOneOrFail(EnterpriseSchema, { id: e.id }), await x.findOneOrFail(UserSchema, { id: admin.id }), m.id, deadline, actor(admin)));
    }));
    expect(oks(results)).toBe(1);
    expect(results.filter((r) => r !== 'ok').every((r) => r === 'conflict TRANSFER_RUNNING')).toBe(true);
  });

  it('a second live seal of one type is refused by the database', async () => {
    const admin = await createUser(platform.services, '印章管理员');
    const e = await createCertifiedEnterprise(platform.services, admin, '印章唯一有限公司', ['official']);
    const x = em();
    x.create(SealSchema, { id: crypto.randomUUID(), enterpriseId: e.id, type: 'official', name: '重复公章', status: 'active', createdAt: new Date() });
    await expect(x.flush()).rejects.toThrow(/unique|UNIQUE|Duplicate/);
  });
  it('a seal grant racing the member\'s removal never leaves an authorisation on a removed member (both used to succeed; the stale grant came back when the user later became 管理员)', async () => {
    for (let round = 0; round < 5; round++) {
      const admin = await createUser(platform.services, `授权管理员${round}`);
      const e = await createCertifiedEnterprise(platform.services, admin, `授权竞态${round}有限公司`);
      const seal = await em().findOneOrFail(SealSchema, { enterpriseId: e.id, type: 'contract' });
      const member = await createUser(platform.services, `竞态成员${round}`);
      const m = await addMember(platform.services, e.id, admin, member);
      const smsEm = em();
      await requestSealGrantCode(smsEm, createSmsSender(platform.config, smsEm), await fresh(admin), e.id, null);
      const code = await latestSmsCode(platform.services, admin.mobile);
      const [grantEm, removeEm] = [em(), em()];
      const granter = await grantEm.findOneOrFail(UserSchema, { id: admin.id });
      const granterMembership = await activeMembership(grantEm, e.id, admin);
      const enterprise = await removeEm.findOneOrFail(EnterpriseSchema, { id: e.id });
      const removerMembership = await activeMembership(removeEm, e.id, admin);
      const results = await Promise.all([
        outcome(grantSealAuthorization(grantEm, { enterpriseId: e.id, sealId: seal.id, userId: member.id, expiresAt: null, granter, granterMembership, code, actor: actor(admin) })),
        outcome(removeMember(removeEm, enterprise, m.id, actor(admin), removerMembership)),
      ]);
      expect(results.filter((r) => r !== 'ok' && !r.startsWith('conflict ') && r !== 'validation MEMBER_NOT_FOUND'), JSON.stringify(results)).toEqual([]);
      const membership = await em().findOneOrFail(MembershipSchema, { id: m.id });
      const grants = await em().count(SealAuthorizationSchema, { sealId: seal.id, userId: member.id });
      if (membership.status === 'removed') expect(grants, `round ${round}: ${JSON.stringify(results)}`).toBe(0);
      else expect([membership.status, grants, results[1]]).toEqual(['active', 1, expect.stringMatching(/^conflict /)]);
    }
  });
  it('a 法定代表人章 created from an enterprise read before the 法定代表人 changed is refused (409), not drawn with the former name', async () => {
    const admin = await createUser(platform.services, '法人章管理员');
    const e = await createCertifiedEnterprise(platform.services, admin, '法人竞态有限公司');
    const requestEm = em();
    const acting = await requestEm.findOneOrFail(EnterpriseSchema, { id: e.id }); // as the request's ctx.acting.enterprise
    await changeLegalRepresentative(em(), { enterpriseId: e.id, actor: actor(admin), legalRepresentative: '李新法' });
    expect(await outcome(createSeal(requestEm, platform.services.store, { enterprise: acting, input: { type: 'legal_rep' }, actor: actor(admin) }))).toBe('conflict CONCURRENT_CHANGE');
    expect(await em().count(SealSchema, { enterpriseId: e.id, type: 'legal_rep' })).toBe(0);
    // Read afresh, it is drawn with the current name.
    const again = em();
    const seal = await createSeal(again, platform.services.store, { enterprise: await again.findOneOrFail(EnterpriseSchema, { id: e.id }), input: { type: 'legal_rep' }, actor: actor(admin) });
    expect(seal.status).toBe('active');
    // In parallel: never a live 法定代表人章 beside a changed 法定代表人 that it was not drawn for.
    const [createEm, changeEm] = [em(), em()];
    const before = await createEm.findOneOrFail(EnterpriseSchema, { id: e.id });
    const results = await Promise.all([
      outcome(changeLegalRepresentative(changeEm, { enterpriseId: e.id, actor: actor(admin), legalRepresentative: '王再变' })),
      outcome(createSeal(createEm, platform.services.store, { enterprise: before, input: { type: 'department', departmentName: '法务部' }, actor: actor(admin) })),
    ]);
    expect(results.filter((r) => r !== 'ok' && !r.startsWith('conflict ')), JSON.stringify(results)).toEqual([]);
    expect(await em().count(SealSchema, { enterpriseId: e.id, type: 'legal_rep', status: { $ne: 'voided' } })).toBe(results[0] === 'ok' ? 0 : 1);
  });
  it('a seal grant racing the voiding of that seal (法定代表人 changed) never leaves an authorisation on the voided seal', async () => {
    for (let round = 0; round < 4; round++) {
      const admin = await createUser(platform.services, `作废授权管理员${round}`);
      const e = await createCertifiedEnterprise(platform.services, admin, `作废竞态${round}有限公司`, ['official', 'legal_rep']);
      const seal = await em().findOneOrFail(SealSchema, { enterpriseId: e.id, type: 'legal_rep' });
      const member = await createUser(platform.services, `作废竞态成员${round}`);
      await addMember(platform.services, e.id, admin, member);
      const smsEm = em();
      await requestSealGrantCode(smsEm, createSmsSender(platform.config, smsEm), await fresh(admin), e.id, null);
      const code = await latestSmsCode(platform.services, admin.mobile);
      const grantEm = em();
      const granter = await grantEm.findOneOrFail(UserSchema, { id: admin.id });
      const granterMembership = await activeMembership(grantEm, e.id, admin);
      const results = await Promise.all([
        outcome(grantSealAuthorization(grantEm, { enterpriseId: e.id, sealId: seal.id, userId: member.id, expiresAt: null, granter, granterMembership, code, actor: actor(admin) })),
        outcome(changeLegalRepresentative(em(), { enterpriseId: e.id, actor: actor(admin), legalRepresentative: `新法人${round}` })),
      ]);
      expect(results.filter((r) => r !== 'ok' && !r.startsWith('conflict ') && !r.endsWith('SEAL_NOT_FOUND')), JSON.stringify(results)).toEqual([]);
      const after = await em().findOneOrFail(SealSchema, { id: seal.id });
      const grants = await em().count(SealAuthorizationSchema, { sealId: seal.id });
      if (after.status === 'voided') expect(grants, `round ${round}: ${JSON.stringify(results)}`).toBe(0);
    }
  });
});
