// @sqlite-too: version holds and the upsert of seal rights differ by dialect.
/**
 * Seal rights when another change commits between a request's reads and its
 * write, forced deterministically (`forkRacedBeforeWrite`: the racing change runs to completion
 * just before the request under test opens its transaction), on the run's database:
 * - the granter's authority is held at the write: an administrator replaced, or a 印章管理员
 *   demoted, after the request's access check grants nothing (409);
 *   The same for removing a member, revoking an authorisation and rejecting a join application;
 * - the same for 停用 / 启用 and 更换图片 of a seal (a seal re-enabled, or stamped with the image, of an
 *   administrator who is no longer one), 申请云证书 / 证书续期, and 转让管理员 (a running transfer of an
 *   ex-administrator blocked the successor's transfers until its deadline);
 * - a re-grant of an authorisation removed meanwhile re-creates it (before, its UPDATE changed no
 *   row and the grant still reported success, audited as granted).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEventSchema } from '../../domain/audit/audit-event.entity';
import { SYSTEM_ACTOR } from '../../domain/audit/record-audit';
import { applyForAdministrator, reviewAdministratorApplication } from '../../domain/enterprises/admin-application';
import { completeTransfer, createTransfer } from '../../domain/enterprises/admin-transfer';
import { AdminTransferSchema } from '../../domain/enterprises/admin-change.entities';
import { applyForSealCertificate } from '../../domain/certificates/certificate-orders';
import { CertificateOrderSchema } from '../../domain/certificates/certificate-order.entity';
import { EnterpriseSchema } from '../../domain/enterprises/enterprise.entity';
import { applyToJoin } from '../../domain/enterprises/join-enterprise';
import { approveJoin, rejectJoin, removeMember, updateMember } from '../../domain/enterprises/members';
import { MembershipSchema } from '../../domain/enterprises/membership.entity';
import { grantSealAuthorization, lapseExpiredSealAuthorizations, requestSealGrantCode, revokeAllSealAuthorizations, revokeSealAuthorization } from '../../domain/enterprises/seal-authorizations';
import { flushOrConflict } from '../../domain/persistence/concurrency';
import { changeLegalRepresentative } from '../../domain/enterprises/legal-representative';
import { SealAuthorizationSchema, SealSchema } from '../../domain/enterprises/seal.entities';
import { UserSchema, type User } from '../../domain/identity/user.entity';
import { replaceSealImage, setSealEnabled } from '../../domain/seals/seal-status';
import { SmsChallengeSchema } from '../../domain/sms/sms.entities';
import { createSmsSender } from '../../integrations/sms';
import { activeMembership, addMember, createCertifiedEnterprise } from '../harness/enterprise-fixtures';
import { createUser, latestSmsCode, makePdf } from '../harness/fixtures';
import { startTestPlatform, type TestPlatform } from '../harness/platform';
import { actorOf as actor, forkRacedBeforeWrite, outcomeOf as outcome } from '../harness/race-hooks';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform();
});
afterAll(async () => platform?.stop());

const em = () => platform.services.orm.em.fork();
const grantsOf = (sealId: string, userId: string) => em().find(SealAuthorizationSchema, { sealId, userId });

/** A fresh SMS code for `granter`'s seal grants in the enterprise (an earlier code's resend cooldown is moved into the past). */
async function grantCode(granter: User, enterpriseId: string): Promise<string> {
  await em().nativeUpdate(SmsChallengeSchema, { mobile: granter.mobile }, { createdAt: new Date(Date.now() - 120_000) });
  const x = em();
  await requestSealGrantCode(x, createSmsSender(platform.config, x), await x.findOneOrFail(UserSchema, { id: granter.id }), enterpriseId, null);
  return latestSmsCode(platform.services, granter.mobile);
}

/** A certified enterprise with its contract seal and one member. */
async function enterpriseWithMember(label: string) {
  const admin = await createUser(platform.services, `${label}管理员`);
  const e = await createCertifiedEnterprise(platform.services, admin, `${label}有限公司`);
  const seal = await em().findOneOrFail(SealSchema, { enterpriseId: e.id, type: 'contract' });
  const member = await createUser(platform.services, `${label}成员`);
  const membership = await addMember(platform.services, e.id, admin, member);
  return { admin, e, seal, member, membership };
}

/** The operator approves `applicant`'s administrator application: the enterprise's administrator is replaced and leaves. */
async function replaceAdministratorBy(enterpriseId: string, applicant: User) {
  const { adminUserId } = await em().findOneOrFail(EnterpriseSchema, { id: enterpriseId });
  await addMember(platform.services, enterpriseId, await em().findOneOrFail(UserSchema, { id: adminUserId! }), applicant); // only a member may apply
  const app = await applyForAdministrator(em(), platform.services.store, enterpriseId, await em().findOneOrFail(UserSchema, { id: applicant.id }), '原管理员离职', await makePdf(1), actor(applicant));
  return () => reviewAdministratorApplication(em(), app.id, { approve: true }, SYSTEM_ACTOR);
}

describe('the granter\'s authority is held at the write', () => {
  it('an administrator replaced between the access check and the write grants no seal authorisation (409)', async () => {
    const { admin, e, seal, member } = await enterpriseWithMember('授权人被替换');
    const successor = await createUser(platform.services, '继任管理员');
    const replace = await replaceAdministratorBy(e.id, successor);
    const code = await grantCode(admin, e.id);
    const request = forkRacedBeforeWrite(platform.services.orm.em, replace);
    const granterMembership = await activeMembership(request, e.id, admin); // as the access check read it
    const granter = await request.findOneOrFail(UserSchema, { id: admin.id });
    const result = await outcome(grantSealAuthorization(request, { enterpriseId: e.id, sealId: seal.id, userId: member.id, expiresAt: null, granter, granterMembership, code, actor: actor(admin) }));
    expect(result).toBe('conflict CONCURRENT_CHANGE');
    expect((await em().findOneOrFail(EnterpriseSchema, { id: e.id })).adminUserId).toBe(successor.id);
    expect(await grantsOf(seal.id, member.id)).toHaveLength(0);
    expect(await em().count(AuditEventSchema, { action: 'seal.authorization_granted', targetId: seal.id })).toBe(0);
  });

  it('an administrator replaced between the access check and the write changes no member\'s seal rights (409)', async () => {
    const { admin, e, seal, member, membership } = await enterpriseWithMember('编辑人被替换');
    const successor = await createUser(platform.services, '编辑继任管理员');
    const replace = await replaceAdministratorBy(e.id, successor);
    const code = await grantCode(admin, e.id);
    const request = forkRacedBeforeWrite(platform.services.orm.em, replace);
    const granterMembership = await activeMembership(request, e.id, admin);
    const enterprise = await request.findOneOrFail(EnterpriseSchema, { id: e.id });
    const granter = await request.findOneOrFail(UserSchema, { id: admin.id });
    const terms = { role: 'member' as const, businessTypes: [], sealIds: [seal.id], code };
    expect(await outcome(updateMember(request, enterprise, membership.id, terms, granter, actor(admin), granterMembership))).toBe('conflict CONCURRENT_CHANGE');
    expect(await grantsOf(seal.id, member.id)).toHaveLength(0);
  });

  it('a 印章管理员 demoted between the access check and the write approves no join application with seal rights (409)', async () => {
    const { admin, e, seal } = await enterpriseWithMember('印章管理员降级');
    const sealAdmin = await createUser(platform.services, '被降级印章管理员');
    const sealAdminMembership = await addMember(platform.services, e.id, admin, sealAdmin);
    const setRole = (role: 'seal_admin' | 'member') => async () => {
      const x = em();
      await updateMember(x, await x.findOneOrFail(EnterpriseSchema, { id: e.id }), sealAdminMembership.id, { role, businessTypes: [], sealIds: [] }, await x.findOneOrFail(UserSchema, { id: admin.id }), actor(admin), await activeMembership(x, e.id, admin));
    };
    await setRole('seal_admin')();
    const applicant = await createUser(platform.services, '降级竞态申请人');
    const application = await applyToJoin(em(), e.id, await em().findOneOrFail(UserSchema, { id: applicant.id }), undefined, actor(applicant));
    const code = await grantCode(sealAdmin, e.id);
    const request = forkRacedBeforeWrite(platform.services.orm.em, setRole('member'));
    const granterMembership = await activeMembership(request, e.id, sealAdmin);
    const enterprise = await request.findOneOrFail(EnterpriseSchema, { id: e.id });
    const granter = await request.findOneOrFail(UserSchema, { id: sealAdmin.id });
    const terms = { role: 'member' as const, businessTypes: [], sealIds: [seal.id], code };
    expect(await outcome(approveJoin(request, enterprise, application.id, terms, granter, actor(sealAdmin), granterMembership))).toBe('conflict CONCURRENT_CHANGE');
    expect((await em().findOneOrFail(MembershipSchema, { id: sealAdminMembership.id })).role).toBe('member');
    expect((await em().findOneOrFail(MembershipSchema, { id: application.id })).status).toBe('pending');
    expect(await grantsOf(seal.id, applicant.id)).toHaveLength(0);
  });

  it('an administrator replaced between the access check and the write removes no member, revokes no authorisation and rejects no application (409)', async () => {
    const { admin, e, seal, member, membership } = await enterpriseWithMember('移除人被替换');
    const x = em();
    await grantSealAuthorization(x, { enterpriseId: e.id, sealId: seal.id, userId: member.id, expiresAt: null, granter: await x.findOneOrFail(UserSchema, { id: admin.id }), granterMembership: await activeMembership(x, e.id, admin), code: await grantCode(admin, e.id), actor: actor(admin) });
    const [authorization] = await grantsOf(seal.id, member.id);
    const applicant = await createUser(platform.services, '被替换后申请人');
    const application = await applyToJoin(em(), e.id, await em().findOneOrFail(UserSchema, { id: applicant.id }), undefined, actor(applicant));
    // Each change reads the administrator's membership as its access check did, then the operator replaces them.
    const successor = await createUser(platform.services, '移除继任管理员');
    const replace = await replaceAdministratorBy(e.id, successor);
    const removing = forkRacedBeforeWrite(platform.services.orm.em, replace);
    const removerMembership = await activeMembership(removing, e.id, admin);
    const rejecting = em();
    const rejecterMembership = await activeMembership(rejecting, e.id, admin);
    const revoking = em();
    const revokerMembership = await activeMembership(revoking, e.id, admin);
    const enterprise = await removing.findOneOrFail(EnterpriseSchema, { id: e.id });
    expect(await outcome(removeMember(removing, enterprise, membership.id, actor(admin), removerMembership))).toBe('conflict CONCURRENT_CHANGE');
    expect((await em().findOneOrFail(EnterpriseSchema, { id: e.id })).adminUserId).toBe(successor.id);
    expect(await outcome(revokeSealAuthorization(revoking, { enterpriseId: e.id, sealId: seal.id, authorizationId: authorization!.id, actor: actor(admin), revokerMembership }))).toBe('conflict CONCURRENT_CHANGE');
    const rejection = rejectJoin(rejecting, await rejecting.findOneOrFail(EnterpriseSchema, { id: e.id }), application.id, '不合适', { user: await rejecting.findOneOrFail(UserSchema, { id: admin.id }), membership: rejecterMembership }, actor(admin));
    expect(await outcome(rejection)).toBe('conflict CONCURRENT_CHANGE');
    expect((await em().findOneOrFail(MembershipSchema, { id: membership.id })).status).toBe('active');
    expect(await grantsOf(seal.id, member.id)).toHaveLength(1);
    expect((await em().findOneOrFail(MembershipSchema, { id: application.id })).status).toBe('pending');
  });

  it('转让管理员 completing while the old administrator revokes an authorisation (their membership held): read again and completed, not failed; the promoted member keeps their join time', async () => {
    const { admin, e, seal, member, membership } = await enterpriseWithMember('转让竞态');
    const x = em();
    await grantSealAuthorization(x, { enterpriseId: e.id, sealId: seal.id, userId: member.id, expiresAt: null, granter: await x.findOneOrFail(UserSchema, { id: admin.id }), granterMembership: await activeMembership(x, e.id, admin), code: await grantCode(admin, e.id), actor: actor(admin) });
    const [authorization] = await grantsOf(seal.id, member.id);
    const joinedAt = (await em().findOneOrFail(MembershipSchema, { id: membership.id })).decidedAt;
    const t = em();
    const transfer = await createTransfer(t, await t.findOneOrFail(EnterpriseSchema, { id: e.id }), await t.findOneOrFail(UserSchema, { id: admin.id }), membership.id, new Date(Date.now() + 600_000), actor(admin));
    const revoke = async () => revokeSealAuthorization(em(), { enterpriseId: e.id, sealId: seal.id, authorizationId: authorization!.id, actor: actor(admin), revokerMembership: await activeMembership(em(), e.id, admin) });
    expect(await completeTransfer(forkRacedBeforeWrite(platform.services.orm.em, revoke), transfer.id)).toEqual({ ok: true });
    expect(await grantsOf(seal.id, member.id)).toEqual([]); // the revocation committed first
    expect((await em().findOneOrFail(EnterpriseSchema, { id: e.id })).adminUserId).toBe(member.id);
    const promoted = await em().findOneOrFail(MembershipSchema, { id: membership.id });
    expect([promoted.role, promoted.decidedAt?.getTime()]).toEqual(['admin', joinedAt?.getTime()]);
  });

  it("the grantee's membership is held too: a removal committed by a path that does not hold the administrator (written here directly) leaves no authorisation behind (409)", async () => {
    const { admin, e, seal, member, membership } = await enterpriseWithMember('受权人被移除');
    const code = await grantCode(admin, e.id);
    const removeDirectly = async () => {
      const x = em();
      const row = await x.findOneOrFail(MembershipSchema, { id: membership.id });
      expect(await x.nativeUpdate(MembershipSchema, { id: row.id, version: row.version }, { status: 'removed', version: row.version + 1 })).toBe(1);
    };
    const request = forkRacedBeforeWrite(platform.services.orm.em, removeDirectly);
    const granterMembership = await activeMembership(request, e.id, admin);
    const granter = await request.findOneOrFail(UserSchema, { id: admin.id });
    expect(await outcome(grantSealAuthorization(request, { enterpriseId: e.id, sealId: seal.id, userId: member.id, expiresAt: null, granter, granterMembership, code, actor: actor(admin) }))).toBe('conflict CONCURRENT_CHANGE');
    expect(await grantsOf(seal.id, member.id)).toHaveLength(0);
  });

  it('an administrator granting seals to themselves holds their own membership once', async () => {
    const { admin, e, seal } = await enterpriseWithMember('自我授权');
    const request = em();
    const granterMembership = await activeMembership(request, e.id, admin);
    const granter = await request.findOneOrFail(UserSchema, { id: admin.id });
    await grantSealAuthorization(request, { enterpriseId: e.id, sealId: seal.id, userId: admin.id, expiresAt: null, granter, granterMembership, code: await grantCode(admin, e.id), actor: actor(admin) });
    expect(await grantsOf(seal.id, admin.id)).toHaveLength(1);
  });
});

describe('console changes by an administrator replaced meanwhile', () => {
  /** The seal's image files in the store. */
  async function storedImages(seal: { id: string; enterpriseId: string }): Promise<string[]> {
    const keys: string[] = [];
    for await (const entry of platform.services.store.list(`seals/${seal.enterpriseId}/${seal.id}/`)) if (!entry.partial) keys.push(entry.key);
    return keys;
  }

  it('停用 / 启用 by an administrator replaced between the access check and the write changes nothing (409)', async () => {
    const { admin, e, seal } = await enterpriseWithMember('启停人被替换');
    const x = em();
    await setSealEnabled(x, { enterpriseId: e.id, sealId: seal.id, enabled: false, actor: actor(admin), actingMembership: await activeMembership(x, e.id, admin) });
    const successor = await createUser(platform.services, '启停继任管理员');
    const request = forkRacedBeforeWrite(platform.services.orm.em, await replaceAdministratorBy(e.id, successor));
    const actingMembership = await activeMembership(request, e.id, admin); // as the access check read it
    expect(await outcome(setSealEnabled(request, { enterpriseId: e.id, sealId: seal.id, enabled: true, actor: actor(admin), actingMembership }))).toBe('conflict CONCURRENT_CHANGE');
    expect((await em().findOneOrFail(SealSchema, { id: seal.id })).status).toBe('disabled');
    expect(await em().count(AuditEventSchema, { action: 'seal.enabled', targetId: seal.id })).toBe(0);
  });

  it('更换图片 by an administrator replaced between the access check and the write keeps the seal\'s image and leaves no file (409)', async () => {
    const { admin, e, seal } = await enterpriseWithMember('换图人被替换');
    const before = await em().findOneOrFail(SealSchema, { id: seal.id });
    const filesBefore = await storedImages(seal);
    const successor = await createUser(platform.services, '换图继任管理员');
    const request = forkRacedBeforeWrite(platform.services.orm.em, await replaceAdministratorBy(e.id, successor));
    const actingMembership = await activeMembership(request, e.id, admin);
    expect(await outcome(replaceSealImage(request, platform.services.store, { enterpriseId: e.id, sealId: seal.id, actor: actor(admin), actingMembership }))).toBe('conflict CONCURRENT_CHANGE');
    const after = await em().findOneOrFail(SealSchema, { id: seal.id });
    expect({ imageKey: after.imageKey, imageSha256: after.imageSha256 }).toEqual({ imageKey: before.imageKey, imageSha256: before.imageSha256 });
    expect(await storedImages(seal)).toEqual(filesBefore);
    expect(await em().count(AuditEventSchema, { action: { $in: ['seal.image_generated', 'seal.image_uploaded'] }, targetId: seal.id })).toBe(0);
  });

  it('转让管理员 started by an administrator replaced between the access check and the write starts nothing (409); the successor can transfer', async () => {
    const { admin, e, membership } = await enterpriseWithMember('转让人被替换');
    const successor = await createUser(platform.services, '转让继任管理员');
    const request = forkRacedBeforeWrite(platform.services.orm.em, await replaceAdministratorBy(e.id, successor));
    const enterprise = await request.findOneOrFail(EnterpriseSchema, { id: e.id }); // as the access check read it
    const deadline = new Date(Date.now() + 86_400_000);
    expect(await outcome(createTransfer(request, enterprise, await request.findOneOrFail(UserSchema, { id: admin.id }), membership.id, deadline, actor(admin)))).toBe('conflict CONCURRENT_CHANGE');
    expect(await em().count(AdminTransferSchema, { enterpriseId: e.id })).toBe(0);
    const x = em();
    const target = await activeMembership(x, e.id, await x.findOneOrFail(UserSchema, { id: membership.userId }));
    await createTransfer(x, await x.findOneOrFail(EnterpriseSchema, { id: e.id }), await x.findOneOrFail(UserSchema, { id: successor.id }), target.id, deadline, actor(successor));
    expect(await em().count(AdminTransferSchema, { enterpriseId: e.id, fromUserId: successor.id })).toBe(1);
  });

  it('申请云证书 by an administrator replaced between the access check and the write orders nothing (409)', async () => {
    const { admin, e, seal } = await enterpriseWithMember('申请证书人被替换');
    const successor = await createUser(platform.services, '证书继任管理员');
    const request = forkRacedBeforeWrite(platform.services.orm.em, await replaceAdministratorBy(e.id, successor));
    const enterprise = await request.findOneOrFail(EnterpriseSchema, { id: e.id });
    const membership = await activeMembership(request, e.id, admin);
    expect(await outcome(applyForSealCertificate(request, enterprise, seal.id, { user: admin, actor: actor(admin), membership }))).toBe('conflict CONCURRENT_CHANGE');
    expect(await em().count(CertificateOrderSchema, { enterpriseId: e.id })).toBe(0);
  });
});

describe('a re-grant never reports success without its authorisation', () => {
  const expiresAt = () => new Date(Math.floor(Date.now() / 1000) * 1000 + 30 * 86_400_000);

  /** The member already holds the seal; a re-grant with a new end of validity runs with `racing` committing between its reads and its write. */
  async function regrantRacing(label: string, racing: (ctx: { e: { id: string }; admin: User; authorizationId: string; membershipId: string; sealId: string }) => Promise<unknown>) {
    const { admin, e, seal, member, membership } = await enterpriseWithMember(label);
    const granter = await em().findOneOrFail(UserSchema, { id: admin.id });
    const first = em();
    await grantSealAuthorization(first, { enterpriseId: e.id, sealId: seal.id, userId: member.id, expiresAt: null, granter, granterMembership: await activeMembership(first, e.id, admin), code: await grantCode(admin, e.id), actor: actor(admin) });
    const [existing] = await grantsOf(seal.id, member.id);
    const code = await grantCode(admin, e.id);
    const request = forkRacedBeforeWrite(platform.services.orm.em, () => racing({ e, admin, authorizationId: existing!.id, membershipId: membership.id, sealId: seal.id }));
    const until = expiresAt();
    const result = await outcome(
      grantSealAuthorization(request, { enterpriseId: e.id, sealId: seal.id, userId: member.id, expiresAt: until, granter: await request.findOneOrFail(UserSchema, { id: admin.id }), granterMembership: await activeMembership(request, e.id, admin), code, actor: actor(admin) }),
    );
    const audits = await em().find(AuditEventSchema, { targetId: seal.id, action: { $in: ['seal.authorization_granted', 'seal.authorization_revoked'] } });
    return { result, until, existingId: existing!.id, grants: await grantsOf(seal.id, member.id), audits };
  }

  it('without a race, a re-grant changes the existing authorisation (the same row) to its own validity', async () => {
    const { result, until, existingId, grants, audits } = await regrantRacing('重授无竞态', async () => undefined);
    expect(result).toBe('ok');
    expect(grants).toHaveLength(1);
    expect(grants[0]!.expiresAt?.getTime()).toBe(until.getTime());
    expect(grants[0]!.id).toBe(existingId);
    expect(audits.map((a) => a.action)).toEqual(['seal.authorization_granted', 'seal.authorization_granted']);
  });

  it('racing the removal of the authorisation it read (the daily sweep of lapsed ones): the re-grant re-creates it', async () => {
    const { result, until, grants, audits } = await regrantRacing('重授撤销', async ({ authorizationId }) => {
      await em().nativeUpdate(SealAuthorizationSchema, { id: authorizationId }, { expiresAt: new Date(Date.now() - 1000) });
      expect(await lapseExpiredSealAuthorizations(em(), new Date())).toBeGreaterThanOrEqual(1);
    });
    expect(result).toBe('ok');
    expect(grants.map((g) => g.expiresAt?.getTime())).toEqual([until.getTime()]);
    expect(audits.map((a) => a.action)).toEqual(['seal.authorization_granted', 'seal.authorization_granted']);
  });

  it('racing a revocation by the same 管理员: one of the two changes is refused (409), never a success without the row', async () => {
    const { result, grants } = await regrantRacing('重授同人撤销', async ({ e, admin, authorizationId, sealId }) => revokeSealAuthorization(em(), { enterpriseId: e.id, sealId, authorizationId, actor: actor(admin), revokerMembership: await activeMembership(em(), e.id, admin) }));
    expect(result).toBe('conflict CONCURRENT_CHANGE');
    expect(grants).toEqual([]);
  });

  it('racing an edit of the member that takes the seal away: the re-grant is refused (409), never a success without the row', async () => {
    const { result, grants, audits } = await regrantRacing('重授编辑', async ({ e, admin, membershipId }) => {
      const x = em();
      await updateMember(x, await x.findOneOrFail(EnterpriseSchema, { id: e.id }), membershipId, { role: 'member', businessTypes: [], sealIds: [] }, await x.findOneOrFail(UserSchema, { id: admin.id }), actor(admin), await activeMembership(x, e.id, admin));
    });
    // The edit held the administrator's membership (their authority) after the re-grant read it.
    expect(result).toBe('conflict CONCURRENT_CHANGE');
    expect(grants).toHaveLength(0);
    expect(audits.map((a) => a.action).sort()).toEqual(['seal.authorization_granted', 'seal.authorization_revoked']);
  });
});

describe('a grant that loses a race keeps the granter\'s SMS code', () => {
  it('a seal grant refused as a concurrent change (409: nothing written) gives its code back: the retry with the same code succeeds', async () => {
    const { admin, e, seal, member, membership } = await enterpriseWithMember('验证码退还');
    const other = await createUser(platform.services, '验证码退还成员乙');
    await addMember(platform.services, e.id, admin, other);
    const code = await grantCode(admin, e.id);
    // The member is removed between the grant's reads and its write.
    const removal = async () => {
      const x = em();
      await removeMember(x, await x.findOneOrFail(EnterpriseSchema, { id: e.id }), membership.id, actor(admin), await activeMembership(x, e.id, admin));
    };
    const request = forkRacedBeforeWrite(platform.services.orm.em, removal);
    const grant = (x: typeof request, userId: string) =>
      (async () => {
        const granterMembership = await activeMembership(x, e.id, admin);
        const granter = await x.findOneOrFail(UserSchema, { id: admin.id });
        return grantSealAuthorization(x, { enterpriseId: e.id, sealId: seal.id, userId, expiresAt: null, granter, granterMembership, code, actor: actor(admin) });
      })();
    expect(await outcome(grant(request, member.id))).toBe('conflict CONCURRENT_CHANGE');
    expect(await grantsOf(seal.id, member.id)).toHaveLength(0);
    // The same code, once: the retry (for the member still there) is granted, and a third use is refused.
    expect(await outcome(grant(em(), other.id))).toBe('ok');
    expect(await grantsOf(seal.id, other.id)).toHaveLength(1);
    expect(await outcome(grant(em(), other.id))).toBe('rejected SMS_CODE_USED');
  });

  it('a member edit with new seal rights refused as a concurrent change gives its code back', async () => {
    const { admin, e, seal, membership } = await enterpriseWithMember('编辑验证码退还');
    const code = await grantCode(admin, e.id);
    const successor = await createUser(platform.services, '编辑验证码继任');
    const replace = await replaceAdministratorBy(e.id, successor);
    const request = forkRacedBeforeWrite(platform.services.orm.em, replace);
    const granterMembership = await activeMembership(request, e.id, admin);
    const granter = await request.findOneOrFail(UserSchema, { id: admin.id });
    const enterprise = await request.findOneOrFail(EnterpriseSchema, { id: e.id });
    const terms = { role: 'member' as const, businessTypes: [], sealIds: [seal.id], code };
    expect(await outcome(updateMember(request, enterprise, membership.id, terms, granter, actor(admin), granterMembership))).toBe('conflict CONCURRENT_CHANGE');
    const challenge = await em().findOneOrFail(SmsChallengeSchema, { mobile: admin.mobile, purpose: 'seal_grant' }, { orderBy: { createdAt: 'desc' } });
    expect(challenge.consumedAt).toBeNull();
  });
});

describe('a removal of seal rights that removed nothing is not audited', () => {
  /** A member holding the contract seal until a moment already past: the daily sweep will lapse it. */
  async function lapsingGrant(label: string) {
    const { admin, e, seal, member, membership } = await enterpriseWithMember(label);
    const x = em();
    await grantSealAuthorization(x, { enterpriseId: e.id, sealId: seal.id, userId: member.id, expiresAt: new Date(Date.now() + 600_000), granter: await x.findOneOrFail(UserSchema, { id: admin.id }), granterMembership: await activeMembership(x, e.id, admin), code: await grantCode(admin, e.id), actor: actor(admin) });
    const [authorization] = await grantsOf(seal.id, member.id);
    await em().nativeUpdate(SealAuthorizationSchema, { id: authorization!.id }, { expiresAt: new Date(Date.now() - 1000) });
    const sweep = () => lapseExpiredSealAuthorizations(em(), new Date());
    const ends = async () => (await em().find(AuditEventSchema, { targetId: seal.id, action: { $in: ['seal.authorization_revoked', 'seal.authorization_lapsed'] } })).map((a) => a.action);
    return { admin, e, seal, member, membership, authorization: authorization!, sweep, ends };
  }

  it('a revocation raced by the daily lapse sweep is refused (404); the one end row is the sweep\'s seal.authorization_lapsed', async () => {
    const { admin, e, seal, authorization, sweep, ends } = await lapsingGrant('撤销遇到期');
    const revoking = forkRacedBeforeWrite(platform.services.orm.em, sweep);
    const revokerMembership = await activeMembership(revoking, e.id, admin);
    expect(await outcome(revokeSealAuthorization(revoking, { enterpriseId: e.id, sealId: seal.id, authorizationId: authorization.id, actor: actor(admin), revokerMembership }))).toBe('not_found SEAL_AUTHORIZATION_NOT_FOUND');
    expect(await ends()).toEqual(['seal.authorization_lapsed']);
  });

  it('an edit taking the seal away raced by the sweep is refused (409, nothing written); a removal of the member goes through without a second end row', async () => {
    const { admin, e, membership, sweep, ends } = await lapsingGrant('编辑遇到期');
    const editing = forkRacedBeforeWrite(platform.services.orm.em, sweep);
    const enterprise = await editing.findOneOrFail(EnterpriseSchema, { id: e.id });
    const edit = updateMember(editing, enterprise, membership.id, { role: 'member', businessTypes: [], sealIds: [] }, await editing.findOneOrFail(UserSchema, { id: admin.id }), actor(admin), await activeMembership(editing, e.id, admin));
    expect(await outcome(edit)).toBe('conflict CONCURRENT_CHANGE');
    expect(await ends()).toEqual(['seal.authorization_lapsed']);
    expect(await em().count(AuditEventSchema, { targetId: membership.id, action: 'membership.updated' })).toBe(0);

    // The member's rights lapse again, now while the administrator removes them.
    const second = await lapsingGrant('移除遇到期');
    const removing = forkRacedBeforeWrite(platform.services.orm.em, second.sweep);
    const removal = removeMember(removing, await removing.findOneOrFail(EnterpriseSchema, { id: second.e.id }), second.membership.id, actor(second.admin), await activeMembership(removing, second.e.id, second.admin));
    expect(await outcome(removal)).toBe('ok');
    expect(await second.ends()).toEqual(['seal.authorization_lapsed']);
    expect((await em().findOneOrFail(MembershipSchema, { id: second.membership.id })).status).toBe('removed');
  });
  it('变更法人 voiding the 法定代表人章 raced by the sweep goes through; the authorisation the sweep removed is not audited again as revoked', async () => {
    const admin = await createUser(platform.services, '变更法人遇到期管理员');
    const e = await createCertifiedEnterprise(platform.services, admin, '变更法人遇到期有限公司', ['official', 'legal_rep']);
    const seal = await em().findOneOrFail(SealSchema, { enterpriseId: e.id, type: 'legal_rep' });
    const member = await createUser(platform.services, '变更法人遇到期成员');
    await addMember(platform.services, e.id, admin, member);
    const x = em();
    await grantSealAuthorization(x, { enterpriseId: e.id, sealId: seal.id, userId: member.id, expiresAt: new Date(Date.now() + 600_000), granter: await x.findOneOrFail(UserSchema, { id: admin.id }), granterMembership: await activeMembership(x, e.id, admin), code: await grantCode(admin, e.id), actor: actor(admin) });
    await em().nativeUpdate(SealAuthorizationSchema, { sealId: seal.id, userId: member.id }, { expiresAt: new Date(Date.now() - 1000) });
    const changing = forkRacedBeforeWrite(platform.services.orm.em, () => lapseExpiredSealAuthorizations(em(), new Date()));
    expect(await outcome(changeLegalRepresentative(changing, { enterpriseId: e.id, actor: actor(admin), legalRepresentative: '新法人代表' }))).toBe('ok');
    expect((await em().findOneOrFail(SealSchema, { id: seal.id })).status).toBe('voided');
    expect(await grantsOf(seal.id, member.id)).toHaveLength(0);
    const ends = (await em().find(AuditEventSchema, { targetId: seal.id, action: { $in: ['seal.authorization_revoked', 'seal.authorization_lapsed'] } })).map((a) => a.action);
    expect(ends).toEqual(['seal.authorization_lapsed']);
  });
});

describe('statements registered for the flush run only inside flushOrConflict / flushHoldingVersions', () => {
  it('a plain flush of a change that registered its deletes is refused: nothing of it is written (it committed the audit rows and left the authorisations)', async () => {
    const { admin, e, seal, member } = await enterpriseWithMember('直接提交');
    const x = em();
    await grantSealAuthorization(x, { enterpriseId: e.id, sealId: seal.id, userId: member.id, expiresAt: null, granter: await x.findOneOrFail(UserSchema, { id: admin.id }), granterMembership: await activeMembership(x, e.id, admin), code: await grantCode(admin, e.id), actor: actor(admin) });
    const leaving = em();
    await revokeAllSealAuthorizations(leaving, e.id, member.id, actor(admin));
    await expect(leaving.flush()).rejects.toThrow(/flushOrConflict or flushHoldingVersions/);
    expect(await grantsOf(seal.id, member.id)).toHaveLength(1);
    expect(await em().count(AuditEventSchema, { targetId: seal.id, action: 'seal.authorization_revoked' })).toBe(0);
    // The way it is meant to be flushed removes the authorisation and audits it once.
    const again = em();
    await revokeAllSealAuthorizations(again, e.id, member.id, actor(admin));
    await flushOrConflict(again);
    expect(await grantsOf(seal.id, member.id)).toHaveLength(0);
    expect(await em().count(AuditEventSchema, { targetId: seal.id, action: 'seal.authorization_revoked' })).toBe(1);
  });
});
