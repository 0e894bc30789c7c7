// @sqlite-too: state transitions under locks and parallel requests.
/**
 * Issue 9 domain: 变更企业名称 (re-certification), 变更法人 and 信息管理, straight through the domain
 * functions on the run's database (SQLite or MariaDB): every transition, the point of no return,
 * the recreated seals, the races (one wins), and an audit row for every step.
 */
import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRecertificationActivities } from '../../activities/recertification-activities';
import type { AuditAction } from '../../domain/audit/audit-actions';
import { AuditEventSchema } from '../../domain/audit/audit-event.entity';
import { SigningCertificateSchema } from '../../domain/certificates/certificate.entities';
import { replaceAdministrator } from '../../domain/enterprises/administrator';
import { EnterpriseChangeSchema } from '../../domain/enterprises/enterprise-change.entity';
import { readEnterpriseInfo, updateEnterpriseInfo } from '../../domain/enterprises/enterprise-info';
import { assertEnterpriseMayTransact, recertificationNotice } from '../../domain/enterprises/enterprise-standing';
import { EnterpriseSchema, type Enterprise } from '../../domain/enterprises/enterprise.entity';
import { changeLegalRepresentative } from '../../domain/enterprises/legal-representative';
import { abandonChange, cancelChangeByPlatform, expireChange } from '../../domain/enterprises/recertification/end';
import { restartRecertification } from '../../domain/enterprises/recertification/restart';
import { drawRecertifiedSeals, reviewRecertification } from '../../domain/enterprises/recertification/review';
import { startRename } from '../../domain/enterprises/recertification/start-rename';
import { submitRecertification } from '../../domain/enterprises/recertification/submit';
import { SealAuthorizationSchema, SealSchema, type Seal } from '../../domain/enterprises/seal.entities';
import { AppError } from '../../domain/errors';
import type { User } from '../../domain/identity/user.entity';
import { NotificationSchema } from '../../domain/notifications/notification.entity';
import { createSeal } from '../../domain/seals/create-seal';
import { addSealCertificate } from '../harness/certificate-fixtures';
import { addMember, createCertifiedEnterprise } from '../harness/enterprise-fixtures';
import { createUser } from '../harness/fixtures';
import { startTestPlatform, type TestPlatform } from '../harness/platform';
import { forkRacedBeforeWrite } from '../harness/race-hooks';

let platform: TestPlatform;
let operator: User;
beforeAll(async () => {
  platform = await startTestPlatform();
  operator = await createUser(platform.services, '审核运营', 'operator');
});
afterAll(async () => platform?.stop());

const em = () => platform.services.orm.em.fork();
const actor = (u: User) => ({ id: u.id, name: u.name, ip: null });
const LETTER = { key: 'letters/test/letter.pdf', type: 'application/pdf' };
const DAY_MS = 86_400_000;

/** `409 CODE` / `400 CODE` / 'ok' */
const outcome = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (err: unknown) => (err instanceof AppError ? `${err.kind} ${err.code}` : `ERROR ${String(err)}`),
  );

const audits = async (action: AuditAction, enterpriseId: string) => em().find(AuditEventSchema, { action, enterpriseId }, { orderBy: { at: 'asc' } });
const detailOf = (a: { detail: string | null }) => JSON.parse(a.detail ?? '{}') as Record<string, unknown>;
const enterpriseRow = async (id: string) => em().findOneOrFail(EnterpriseSchema, { id });
const sealsOf = async (enterpriseId: string) => em().find(SealSchema, { enterpriseId }, { orderBy: { createdAt: 'asc', id: 'asc' } });
const authorize = async (enterpriseId: string, seal: Seal, user: User, granter: User) => {
  const x = em();
  x.create(SealAuthorizationSchema, { id: randomUUID(), enterpriseId, sealId: seal.id, userId: user.id, grantedBy: granter.id, grantedAt: new Date() });
  await x.flush();
};

interface Setup {
  e: Enterprise;
  admin: User;
  member: User;
  other: User;
  seals: Seal[];
}

/**
 * A certified enterprise with 公章, 合同专用章, 法定代表人章 and two 部门章 (one disabled seal is not
 * needed: all live seals count), a certificate per seal, and authorisations for two members.
 */
async function enterpriseWithSeals(name: string): Promise<Setup> {
  const admin = await createUser(platform.services, `${name}管理员`);
  const member = await createUser(platform.services, `${name}成员`);
  const other = await createUser(platform.services, `${name}法人章经办`);
  const e = await createCertifiedEnterprise(platform.services, admin, name, ['official', 'contract', 'legal_rep']);
  await addMember(platform.services, e.id, admin, member);
  await addMember(platform.services, e.id, admin, other);
  for (const departmentName of ['财务部', '法务部']) {
    // Read afresh for each, as each request does (a seal holds the enterprise's version as read).
    await createSeal(em(), platform.services.store, { enterprise: await enterpriseRow(e.id), input: { type: 'department', departmentName }, actor: actor(admin) });
  }
  const seals = await sealsOf(e.id);
  const now = new Date();
  for (const seal of seals) await addSealCertificate(platform.services, seal, now, 365);
  for (const seal of seals.filter((s) => s.type !== 'legal_rep')) await authorize(e.id, seal, member, admin);
  await authorize(e.id, seals.find((s) => s.type === 'legal_rep')!, other, admin);
  return { e: await enterpriseRow(e.id), admin, member, other, seals };
}

const liveSeals = async (enterpriseId: string) => (await sealsOf(enterpriseId)).filter((s) => s.status !== 'voided');
const typeKey = (s: Seal) => `${s.type}:${s.departmentName ?? ''}`;

describe('变更企业名称 → 提交重新认证 → 审核', () => {
  it('start: 待重新认证 with nothing voided; a second start is 409; abandon restores everything', async () => {
    const { e, admin, member, seals } = await enterpriseWithSeals('放弃测试有限公司');
    const change = await startRename(em(), { enterpriseId: e.id, actor: actor(admin), newName: '放弃测试新名有限公司' });
    expect(change).toMatchObject({ kind: 'rename', status: 'drafting', seq: 1, oldValue: '放弃测试有限公司', newValue: '放弃测试新名有限公司', liveKey: e.id });
    expect(change.deadlineAt!.getTime() - change.createdAt.getTime()).toBe(30 * DAY_MS);
    const during = await enterpriseRow(e.id);
    expect(during.standing).toBe('recertifying');
    expect(() => assertEnterpriseMayTransact(during)).toThrow(expect.objectContaining({ kind: 'conflict', code: 'ENTERPRISE_RECERTIFYING' }));
    expect(recertificationNotice(during)?.message).toContain('重新认证');
    expect((await liveSeals(e.id)).length).toBe(seals.length); // nothing voided before submission
    expect(await audits('enterprise.rename_started', e.id)).toHaveLength(1);
    expect(await em().count(NotificationSchema, { userId: member.id, kind: 'enterprise.recertifying' })).toBe(1);

    expect(await outcome(startRename(em(), { enterpriseId: e.id, actor: actor(admin), newName: '另一个名字有限公司' }))).toBe('conflict RECERTIFICATION_OPEN');
    expect(await outcome(changeLegalRepresentative(em(), { enterpriseId: e.id, actor: actor(admin), legalRepresentative: '新法人' }))).toBe('conflict ENTERPRISE_RECERTIFYING');
    expect(await outcome(createSeal(em(), platform.services.store, { enterprise: during, input: { type: 'department', departmentName: '新部门' }, actor: actor(admin) }))).toBe('conflict ENTERPRISE_RECERTIFYING');

    const abandoned = await abandonChange(em(), { changeId: change.id, actor: actor(admin) });
    expect(abandoned).toMatchObject({ status: 'abandoned', endReason: 'abandoned', liveKey: null, deadlineAt: null });
    const after = await enterpriseRow(e.id);
    expect(after).toMatchObject({ name: '放弃测试有限公司', standing: 'normal' });
    expect(() => assertEnterpriseMayTransact(after)).not.toThrow();
    expect((await liveSeals(e.id)).map((s) => s.id)).toEqual(seals.map((s) => s.id));
    expect(await em().count(SealAuthorizationSchema, { enterpriseId: e.id })).toBe(seals.length);
    expect(await em().count(SigningCertificateSchema, { enterpriseId: e.id, status: 'active' })).toBe(seals.length);
    expect(await audits('enterprise.rename_abandoned', e.id)).toHaveLength(1);
    expect(await outcome(abandonChange(em(), { changeId: change.id, actor: actor(admin) }))).toBe('conflict CHANGE_ENDED');

    // A new change may start afterwards (number 2).
    expect((await startRename(em(), { enterpriseId: e.id, actor: actor(admin), newName: '放弃测试再改有限公司' })).seq).toBe(2);
  });

  it('submit: USCC must match, a letter is required; then all seals voided, authorisations removed, certificates revoked — and abandon is 409', async () => {
    const { e, admin, member, other, seals } = await enterpriseWithSeals('提交测试有限公司');
    const change = await startRename(em(), { enterpriseId: e.id, actor: actor(admin), newName: '提交测试新名有限公司' });
    const info = await readEnterpriseInfo(em(), e.id);
    expect(info).toMatchObject({ standing: 'recertifying', openChange: { id: change.id, status: 'drafting', hasLetter: false }, impact: { seals: 5, authorizations: 5, certificates: 5 }, canRestart: false });

    const submit = (over: Partial<Parameters<typeof submitRecertification>[1]> = {}) =>
      submitRecertification(em(), { changeId: change.id, actor: actor(admin), name: '提交测试新名有限公司', uscc: e.uscc, letter: LETTER, ...over });
    expect(await outcome(submit({ uscc: '91350100M000100Y43' }))).toBe('validation USCC_MISMATCH');
    expect(await outcome(submit({ letter: null }))).toBe('validation LETTER_REQUIRED');
    expect(await outcome(submit({ name: '提交测试有限公司' }))).toBe('validation NAME_UNCHANGED');
    expect((await liveSeals(e.id)).length).toBe(5); // refused submissions voided nothing

    const result = await submit({ uscc: e.uscc.toLowerCase() });
    expect(result.change).toMatchObject({ status: 'under_review', uscc: e.uscc, authorizationLetterKey: LETTER.key, deadlineAt: null });
    expect(result.voidedSealIds.sort()).toEqual(seals.map((s) => s.id).sort());
    expect(result.revokedCertificateIds).toHaveLength(5);
    expect(result.affectedUserIds.sort()).toEqual([member.id, other.id].sort());
    for (const s of await sealsOf(e.id)) {
      expect(s).toMatchObject({ status: 'voided', voidReason: 'enterprise_renamed', voidedByChangeId: change.id, liveKey: null });
      expect(s.voidedAt).toBeInstanceOf(Date);
    }
    expect(await em().count(SealAuthorizationSchema, { enterpriseId: e.id })).toBe(0);
    const certs = await em().find(SigningCertificateSchema, { enterpriseId: e.id });
    expect(certs.map((c) => [c.status, c.revocationReason, c.caRevokedAt])).toEqual(Array(5).fill(['revoked', 'enterprise_renamed', null]));
    expect(await audits('enterprise.recertification_submitted', e.id)).toHaveLength(1);
    expect(await audits('seal.voided', e.id)).toHaveLength(5);
    expect((await audits('seal.authorization_revoked', e.id)).filter((a) => detailOf(a).changeId === change.id)).toHaveLength(5);
    expect(await audits('certificate.revoked', e.id)).toHaveLength(5);
    expect(await em().count(NotificationSchema, { userId: member.id, kind: 'enterprise.seal_authorizations_removed' })).toBe(1);
    expect(await em().count(NotificationSchema, { userId: admin.id, kind: 'enterprise.seals_voided' })).toBe(1);

    // Past the point of no return.
    expect(await outcome(abandonChange(em(), { changeId: change.id, actor: actor(admin) }))).toBe('conflict CHANGE_NOT_ABANDONABLE');
    expect(await outcome(submit())).toBe('conflict CHANGE_NOT_SUBMITTABLE');
    expect((await enterpriseRow(e.id)).standing).toBe('recertifying');
    expect((await readEnterpriseInfo(em(), e.id)).impact).toEqual({ seals: 0, authorizations: 0, certificates: 0 });
  });

  it('reject (reason required) → resubmit without a new letter → approve: new name, the voided types recreated with the new name and new 防伪码, images drawn', async () => {
    const { e, admin, member, seals } = await enterpriseWithSeals('审核测试有限公司');
    const change = await startRename(em(), { enterpriseId: e.id, actor: actor(admin), newName: '审核测试新名有限公司' });
    await submitRecertification(em(), { changeId: change.id, actor: actor(admin), name: '审核测试新名有限公司', uscc: e.uscc, letter: LETTER });

    expect(await outcome(reviewRecertification(em(), { changeId: change.id, approve: false, reason: '  ', actor: actor(operator) }))).toBe('validation REASON_REQUIRED');
    // Nobody decides a change of their own enterprise: not its administrator who started it, not a member.
    expect(await outcome(reviewRecertification(em(), { changeId: change.id, approve: true, reason: null, actor: actor(admin) }))).toBe('forbidden OWN_REVIEW');
    expect(await outcome(reviewRecertification(em(), { changeId: change.id, approve: false, reason: '自己人', actor: actor(member) }))).toBe('forbidden OWN_REVIEW');
    const rejected = await reviewRecertification(em(), { changeId: change.id, approve: false, reason: '授权书不清晰', actor: actor(operator) });
    expect(rejected.change).toMatchObject({ status: 'rejected', rejectReason: '授权书不清晰', reviewedBy: operator.id });
    expect(rejected.change.deadlineAt!.getTime() - rejected.change.reviewedAt!.getTime()).toBe(30 * DAY_MS);
    expect(await audits('enterprise.recertification_rejected', e.id)).toHaveLength(1);
    expect(await em().count(NotificationSchema, { userId: admin.id, kind: 'enterprise.recertification_rejected' })).toBe(1);
    expect(await outcome(reviewRecertification(em(), { changeId: change.id, approve: true, reason: null, actor: actor(operator) }))).toBe('conflict CHANGE_NOT_UNDER_REVIEW');

    const again = await submitRecertification(em(), { changeId: change.id, actor: actor(admin), name: '审核测试更新名有限公司', uscc: e.uscc, letter: null });
    expect(again.change).toMatchObject({ status: 'under_review', newValue: '审核测试更新名有限公司', authorizationLetterKey: LETTER.key, rejectReason: null });
    expect(again.voidedSealIds).toEqual([]); // nothing left to void
    expect(detailOf((await audits('enterprise.recertification_submitted', e.id))[1]!)).toMatchObject({ resubmission: true, newLetter: false });

    const approved = await reviewRecertification(em(), { changeId: change.id, approve: true, reason: null, actor: actor(operator) });
    expect(approved.change).toMatchObject({ status: 'approved', liveKey: null, deadlineAt: null });
    expect(await enterpriseRow(e.id)).toMatchObject({ name: '审核测试更新名有限公司', standing: 'normal' });
    const created = await em().find(SealSchema, { id: { $in: approved.createdSealIds } });
    expect(created.map(typeKey).sort()).toEqual(seals.map(typeKey).sort()); // exactly the voided types, 部门章 per department
    const names = created.map((s) => s.name).sort();
    expect(names).toEqual(['审核测试更新名有限公司公章', '审核测试更新名有限公司合同专用章', '审核测试更新名有限公司法定代表人章', '审核测试更新名有限公司法务部章', '审核测试更新名有限公司财务部章'].sort());
    const oldCodes = new Set(seals.map((s) => s.securityCode));
    for (const s of created) {
      expect(s.status).toBe('active');
      expect(s.securityCode).toMatch(/^\d{13}$/);
      expect(oldCodes.has(s.securityCode)).toBe(false);
    }
    expect(await audits('enterprise.recertification_approved', e.id)).toHaveLength(1);
    expect((await audits('seal.created', e.id)).filter((a) => detailOf(a).reason === 'recertified')).toHaveLength(5);
    expect(await em().count(NotificationSchema, { userId: admin.id, kind: 'enterprise.recertification_approved' })).toBe(1);
    expect(await em().count(NotificationSchema, { userId: member.id, kind: 'enterprise.recertified' })).toBe(1);

    await drawRecertifiedSeals(em(), platform.services.store, approved.createdSealIds);
    const drawn = await em().find(SealSchema, { id: { $in: approved.createdSealIds } });
    const oldShas = new Set(seals.map((s) => s.imageSha256));
    for (const s of drawn) {
      expect(s.imageKey).toBeTruthy();
      expect(oldShas.has(s.imageSha256)).toBe(false);
      const png = await platform.services.store.get(s.imageKey!);
      expect([...png.subarray(1, 4)].map((b) => String.fromCharCode(b)).join('')).toBe('PNG');
    }
    expect((await readEnterpriseInfo(em(), e.id)).history.map((c) => c.status)).toEqual(['approved']);
  });

  it('deadlines: a draft expires (abandoned, old name, normal); a rejection not resubmitted lapses; 开始重新认证 opens the next change past the point of no return, whose approval recreates the seals', async () => {
    const { e, admin, seals } = await enterpriseWithSeals('期限测试有限公司');
    const draft = await startRename(em(), { enterpriseId: e.id, actor: actor(admin), newName: '期限测试新名有限公司' });
    expect(await expireChange(em(), { changeId: draft.id })).toMatchObject({ status: 'abandoned', endReason: 'expired' });
    expect(await enterpriseRow(e.id)).toMatchObject({ standing: 'normal', name: '期限测试有限公司' });
    expect(detailOf((await audits('enterprise.rename_abandoned', e.id))[0]!)).toMatchObject({ reason: 'expired' });
    expect(await expireChange(em(), { changeId: draft.id })).toMatchObject({ status: 'abandoned' }); // an ended change is answered as it is

    expect(await outcome(restartRecertification(em(), { enterpriseId: e.id, actor: actor(admin) }))).toBe('conflict NOT_RECERTIFYING');
    const second = await startRename(em(), { enterpriseId: e.id, actor: actor(admin), newName: '期限测试新名有限公司' });
    await submitRecertification(em(), { changeId: second.id, actor: actor(admin), name: '期限测试新名有限公司', uscc: e.uscc, letter: LETTER });
    expect(await expireChange(em(), { changeId: second.id })).toMatchObject({ status: 'under_review' }); // no deadline under review
    await reviewRecertification(em(), { changeId: second.id, approve: false, reason: '材料不全', actor: actor(operator) });
    expect(await expireChange(em(), { changeId: second.id })).toMatchObject({ status: 'lapsed', endReason: 'lapsed', liveKey: null });
    expect((await enterpriseRow(e.id)).standing).toBe('recertifying');
    expect(await audits('enterprise.recertification_lapsed', e.id)).toHaveLength(1);
    expect(await em().count(NotificationSchema, { userId: admin.id, kind: 'enterprise.recertification_lapsed' })).toBe(1);
    expect(await outcome(startRename(em(), { enterpriseId: e.id, actor: actor(admin), newName: '期限测试别名有限公司' }))).toBe('conflict RECERTIFICATION_LAPSED');
    expect((await readEnterpriseInfo(em(), e.id)).canRestart).toBe(true);

    const third = await restartRecertification(em(), { enterpriseId: e.id, actor: actor(admin) });
    expect(third).toMatchObject({ seq: 3, status: 'awaiting_submission', newValue: '期限测试新名有限公司', oldValue: '期限测试有限公司' });
    expect(third.deadlineAt!.getTime() - third.createdAt.getTime()).toBe(30 * DAY_MS);
    expect(await audits('enterprise.recertification_restarted', e.id)).toHaveLength(1);
    expect(await outcome(abandonChange(em(), { changeId: third.id, actor: actor(admin) }))).toBe('conflict CHANGE_NOT_ABANDONABLE');
    expect(await outcome(restartRecertification(em(), { enterpriseId: e.id, actor: actor(admin) }))).toBe('conflict RECERTIFICATION_OPEN');
    // A new letter is needed: the lapsed change's letter belongs to that change.
    expect(await outcome(submitRecertification(em(), { changeId: third.id, actor: actor(admin), name: '期限测试新名有限公司', uscc: e.uscc, letter: null }))).toBe('validation LETTER_REQUIRED');
    const submitted = await submitRecertification(em(), { changeId: third.id, actor: actor(admin), name: '期限测试新名有限公司', uscc: e.uscc, letter: LETTER });
    expect(submitted.voidedSealIds).toEqual([]);
    const approved = await reviewRecertification(em(), { changeId: third.id, approve: true, reason: null, actor: actor(operator) });
    const created = await em().find(SealSchema, { id: { $in: approved.createdSealIds } });
    expect(created.map(typeKey).sort()).toEqual(seals.map(typeKey).sort());
    expect(await enterpriseRow(e.id)).toMatchObject({ name: '期限测试新名有限公司', standing: 'normal' });
  });

  it('cancelled in Temporal UI: a draft is abandoned, a submitted change lapses', async () => {
    const { e, admin } = await enterpriseWithSeals('平台取消有限公司');
    const draft = await startRename(em(), { enterpriseId: e.id, actor: actor(admin), newName: '平台取消新名有限公司' });
    expect(await cancelChangeByPlatform(em(), { changeId: draft.id })).toMatchObject({ status: 'abandoned', endReason: 'cancelled_by_platform' });
    expect((await enterpriseRow(e.id)).standing).toBe('normal');
    const next = await startRename(em(), { enterpriseId: e.id, actor: actor(admin), newName: '平台取消新名有限公司' });
    await submitRecertification(em(), { changeId: next.id, actor: actor(admin), name: '平台取消新名有限公司', uscc: e.uscc, letter: LETTER });
    expect(await cancelChangeByPlatform(em(), { changeId: next.id })).toMatchObject({ status: 'lapsed', endReason: 'cancelled_by_platform' });
    expect((await enterpriseRow(e.id)).standing).toBe('recertifying');
    expect((await audits('enterprise.recertification_lapsed', e.id)).map((a) => detailOf(a).reason)).toEqual(['cancelled_by_platform']);
  });
});

describe('races (the database decides: exactly one wins)', () => {
  it('two parallel 变更企业名称: one draft, the other RECERTIFICATION_OPEN', async () => {
    const { e, admin } = await enterpriseWithSeals('并发改名有限公司');
    for (let round = 1; round <= 3; round++) {
      const results = await Promise.all(['并发改名甲有限公司', '并发改名乙有限公司'].map((newName) => outcome(startRename(em(), { enterpriseId: e.id, actor: actor(admin), newName }))));
      expect(results.sort()).toEqual(['conflict RECERTIFICATION_OPEN', 'ok']);
      expect(await em().count(EnterpriseChangeSchema, { enterpriseId: e.id })).toBe(round);
      expect(await audits('enterprise.rename_started', e.id)).toHaveLength(round);
      const open = await em().findOneOrFail(EnterpriseChangeSchema, { enterpriseId: e.id, status: 'drafting' });
      await abandonChange(em(), { changeId: open.id, actor: actor(admin) });
    }
  });

  it('submit and review retried after their commit (the answer lost): the same request answers its commit again, another one is still refused', async () => {
    const { e, admin, seals } = await enterpriseWithSeals('重试提交有限公司');
    const change = await startRename(em(), { enterpriseId: e.id, actor: actor(admin), newName: '重试提交新名有限公司' });
    // The workflow passes the request's time: the same on every attempt of its activity.
    const request = { changeId: change.id, actor: actor(admin), name: '重试提交新名有限公司', uscc: e.uscc, letter: LETTER, submittedAt: new Date(Date.now() - 1500) };
    const first = await submitRecertification(em(), request);
    expect(first.revokedCertificateIds).toHaveLength(seals.length);
    const again = await submitRecertification(em(), request);
    expect(again.change).toMatchObject({ id: change.id, status: 'under_review', newValue: '重试提交新名有限公司' });
    expect(again.voidedSealIds.sort()).toEqual(first.voidedSealIds.sort());
    expect(again.revokedCertificateIds.sort()).toEqual(first.revokedCertificateIds.sort());
    expect(await audits('enterprise.recertification_submitted', e.id)).toHaveLength(1); // nothing done twice
    expect(await audits('certificate.revoked', e.id)).toHaveLength(seals.length);
    // Another request (another time, another name or letter, or none of the request's time) is refused as before.
    expect(await outcome(submitRecertification(em(), { ...request, submittedAt: new Date() }))).toBe('conflict CHANGE_NOT_SUBMITTABLE');
    expect(await outcome(submitRecertification(em(), { ...request, name: '重试提交另名有限公司' }))).toBe('conflict CHANGE_NOT_SUBMITTABLE');
    expect(await outcome(submitRecertification(em(), { ...request, letter: { key: 'letters/test/other.pdf', type: 'application/pdf' } }))).toBe('conflict CHANGE_NOT_SUBMITTABLE');
    const { submittedAt: _, ...withoutTime } = request;
    expect(await outcome(submitRecertification(em(), withoutTime))).toBe('conflict CHANGE_NOT_SUBMITTABLE');

    // A rejection retried: answered again; an approval by the same operator is not the same decision.
    const reject = { changeId: change.id, approve: false, reason: '授权书不清晰', actor: actor(operator) };
    await reviewRecertification(em(), reject);
    expect((await reviewRecertification(em(), reject)).change).toMatchObject({ status: 'rejected', rejectReason: '授权书不清晰', reviewedBy: operator.id });
    expect(await outcome(reviewRecertification(em(), { ...reject, approve: true, reason: null }))).toBe('conflict CHANGE_NOT_UNDER_REVIEW');
    expect(await outcome(reviewRecertification(em(), { ...reject, reason: '另一原因' }))).toBe('conflict CHANGE_NOT_UNDER_REVIEW');
    expect(await audits('enterprise.recertification_rejected', e.id)).toHaveLength(1);

    // The resubmission retried: answered again (nothing left to revoke: the certificates are those still to push).
    const resubmit = { ...request, letter: null, submittedAt: new Date() };
    await submitRecertification(em(), resubmit);
    expect((await submitRecertification(em(), resubmit)).change).toMatchObject({ status: 'under_review' });
    expect(await audits('enterprise.recertification_submitted', e.id)).toHaveLength(2);

    // An approval retried: answered again with the seals it created (to draw); another operator is refused.
    const approve = { changeId: change.id, approve: true, reason: null, actor: actor(operator) };
    const approved = await reviewRecertification(em(), approve);
    expect(approved.createdSealIds).toHaveLength(seals.length);
    const approvedAgain = await reviewRecertification(em(), approve);
    expect(approvedAgain.change).toMatchObject({ status: 'approved', reviewedBy: operator.id });
    expect(approvedAgain.createdSealIds.sort()).toEqual(approved.createdSealIds.sort());
    const other = await createUser(platform.services, '审核运营三', 'operator');
    expect(await outcome(reviewRecertification(em(), { ...approve, actor: actor(other) }))).toBe('conflict CHANGE_NOT_UNDER_REVIEW');
    expect(await audits('enterprise.recertification_approved', e.id)).toHaveLength(1);
    expect((await liveSeals(e.id)).length).toBe(seals.length);
  });

  it('a submission and a decision name their submission: delivered again (an operator Reset) they change nothing; a decision for a superseded submission is refused', async () => {
    const { e, admin, seals } = await enterpriseWithSeals('提交编号有限公司');
    const change = await startRename(em(), { enterpriseId: e.id, actor: actor(admin), newName: '提交编号新名有限公司' });
    const later = () => new Date(Date.now() + 5000);
    const rejectionNotices = () => em().count(NotificationSchema, { userId: admin.id, kind: 'enterprise.recertification_rejected' });
    const row = () => em().findOneOrFail(EnterpriseChangeSchema, { id: change.id });
    // The API names each submission (and the one it read before it); a decision names the submission shown to the operator.
    const submitA = { changeId: change.id, actor: actor(admin), name: '提交编号新名有限公司', uscc: e.uscc, letter: LETTER, submissionId: randomUUID(), previousSubmissionId: null, submittedAt: new Date() };
    expect((await submitRecertification(em(), submitA)).change).toMatchObject({ status: 'under_review', submissionId: submitA.submissionId });
    const rejectA = { changeId: change.id, approve: false, reason: '授权书不清晰', actor: actor(operator), submissionId: submitA.submissionId };
    await reviewRecertification(em(), rejectA);
    const deadline = (await row()).deadlineAt!.getTime(); // as stored (whole seconds on MariaDB)

    // Rejected: submission A and its rejection arrive again — answered as they were, nothing changed.
    expect((await submitRecertification(em(), { ...submitA, now: later() })).change).toMatchObject({ status: 'rejected', submissionId: submitA.submissionId });
    expect((await reviewRecertification(em(), { ...rejectA, now: later() })).change).toMatchObject({ status: 'rejected', rejectReason: '授权书不清晰' });
    expect([(await row()).status, (await row()).deadlineAt?.getTime()]).toEqual(['rejected', deadline]);
    expect(await audits('enterprise.recertification_submitted', e.id)).toHaveLength(1);
    expect(await audits('enterprise.recertification_rejected', e.id)).toHaveLength(1);
    expect(await rejectionNotices()).toBe(1);

    // Resubmitted (B): a decision for A is refused, whichever; A again is superseded; B again is answered as it was.
    const submitB = { ...submitA, letter: null, submissionId: randomUUID(), previousSubmissionId: submitA.submissionId, submittedAt: new Date() };
    expect((await submitRecertification(em(), submitB)).change).toMatchObject({ status: 'under_review', submissionId: submitB.submissionId });
    expect(await outcome(reviewRecertification(em(), { ...rejectA, now: later() }))).toBe('conflict RECERTIFICATION_SUBMISSION_SUPERSEDED');
    expect(await outcome(reviewRecertification(em(), { ...rejectA, approve: true, reason: null }))).toBe('conflict RECERTIFICATION_SUBMISSION_SUPERSEDED');
    expect(await outcome(submitRecertification(em(), { ...submitA, now: later() }))).toBe('conflict RECERTIFICATION_SUBMISSION_SUPERSEDED');
    expect((await submitRecertification(em(), { ...submitB, now: later() })).change).toMatchObject({ status: 'under_review', submissionId: submitB.submissionId, rejectReason: null, deadlineAt: null });
    // A second request read before B (its previous submission is A) is superseded too, not a third submission.
    expect(await outcome(submitRecertification(em(), { ...submitB, submissionId: randomUUID() }))).toBe('conflict RECERTIFICATION_SUBMISSION_SUPERSEDED');
    expect((await row()).status).toBe('under_review');
    expect(await audits('enterprise.recertification_submitted', e.id)).toHaveLength(2);
    expect(await audits('enterprise.recertification_rejected', e.id)).toHaveLength(1);
    expect(await rejectionNotices()).toBe(1);

    // The decision for B is taken (its audit row names it); after it, A is still superseded and B answered as approved.
    const approved = await reviewRecertification(em(), { changeId: change.id, approve: true, reason: null, actor: actor(operator), submissionId: submitB.submissionId });
    expect(approved.createdSealIds).toHaveLength(seals.length);
    expect(detailOf((await audits('enterprise.recertification_approved', e.id))[0]!)).toMatchObject({ submissionId: submitB.submissionId });
    expect(await outcome(submitRecertification(em(), submitA))).toBe('conflict RECERTIFICATION_SUBMISSION_SUPERSEDED');
    expect((await submitRecertification(em(), submitB)).change.status).toBe('approved');
    expect(await outcome(reviewRecertification(em(), rejectA))).toBe('conflict RECERTIFICATION_SUBMISSION_SUPERSEDED');
    expect(await audits('enterprise.recertification_approved', e.id)).toHaveLength(1);
    expect(await audits('enterprise.recertification_submitted', e.id)).toHaveLength(2);
  });

  it('two operators approving at once: approved once, the seals created once', async () => {
    const { e, admin, seals } = await enterpriseWithSeals('并发审核改名有限公司');
    const change = await startRename(em(), { enterpriseId: e.id, actor: actor(admin), newName: '并发审核新名有限公司' });
    await submitRecertification(em(), { changeId: change.id, actor: actor(admin), name: '并发审核新名有限公司', uscc: e.uscc, letter: LETTER });
    // Two different operators (the same one twice would be the same decision, answered again: see the retry test).
    const second = await createUser(platform.services, '审核运营二', 'operator');
    const results = await Promise.all([operator, second].map((op) => outcome(reviewRecertification(em(), { changeId: change.id, approve: true, reason: null, actor: actor(op) }))));
    expect(results.filter((r) => r === 'ok')).toHaveLength(1);
    expect(results.filter((r) => r !== 'ok')[0]).toMatch(/^conflict /);
    expect((await liveSeals(e.id)).length).toBe(seals.length);
    expect(await audits('enterprise.recertification_approved', e.id)).toHaveLength(1);
  });

  it('approve and reject at once: exactly one decision', async () => {
    const { e, admin } = await enterpriseWithSeals('并发决定有限公司');
    const change = await startRename(em(), { enterpriseId: e.id, actor: actor(admin), newName: '并发决定新名有限公司' });
    await submitRecertification(em(), { changeId: change.id, actor: actor(admin), name: '并发决定新名有限公司', uscc: e.uscc, letter: LETTER });
    const results = await Promise.all([true, false].map((approve) => outcome(reviewRecertification(em(), { changeId: change.id, approve, reason: approve ? null : '驳回', actor: actor(operator) }))));
    expect(results.filter((r) => r === 'ok')).toHaveLength(1);
    const final = await em().findOneOrFail(EnterpriseChangeSchema, { id: change.id });
    const decisions = (await audits('enterprise.recertification_approved', e.id)).length + (await audits('enterprise.recertification_rejected', e.id)).length;
    expect(decisions).toBe(1);
    expect(['approved', 'rejected']).toContain(final.status);
  });

  it('submit and abandon of one draft at once: one commits, and the state is consistent', async () => {
    const { e, admin, seals } = await enterpriseWithSeals('并发放弃有限公司');
    const change = await startRename(em(), { enterpriseId: e.id, actor: actor(admin), newName: '并发放弃新名有限公司' });
    const results = await Promise.all([
      outcome(submitRecertification(em(), { changeId: change.id, actor: actor(admin), name: '并发放弃新名有限公司', uscc: e.uscc, letter: LETTER })),
      outcome(abandonChange(em(), { changeId: change.id, actor: actor(admin) })),
    ]);
    expect(results.filter((r) => r === 'ok')).toHaveLength(1);
    const final = await em().findOneOrFail(EnterpriseChangeSchema, { id: change.id });
    const live = await liveSeals(e.id);
    if (final.status === 'abandoned') {
      expect(live.length).toBe(seals.length);
      expect((await enterpriseRow(e.id)).standing).toBe('normal');
    } else {
      expect(final.status).toBe('under_review');
      expect(live.length).toBe(0);
    }
  });
});

describe('an administrator replaced after the request\'s access check changes nothing afterwards', () => {
  /** The operator approves `successor`'s 管理员申请 (or a 转让 completes): the administrator is replaced and leaves. */
  const replaceBy = (enterpriseId: string, successor: User) => async () => {
    const x = em();
    await replaceAdministrator(x, enterpriseId, successor.id, actor(operator));
    await x.flush();
  };
  /** Nothing of the point of no return happened: every seal live, authorisations and certificates as they were, nothing audited as submitted. */
  const untouched = async (s: Setup, changeId: string) => {
    expect((await sealsOf(s.e.id)).map((x) => x.status)).toEqual(s.seals.map(() => 'active'));
    expect(await em().count(SealAuthorizationSchema, { enterpriseId: s.e.id, userId: s.member.id })).toBe(4);
    expect((await em().find(SigningCertificateSchema, { enterpriseId: s.e.id })).map((c) => c.status)).toEqual(s.seals.map(() => 'active'));
    expect(await audits('enterprise.recertification_submitted', s.e.id)).toHaveLength(0);
    expect(await audits('seal.voided', s.e.id)).toHaveLength(0);
    expect(await em().findOneOrFail(EnterpriseChangeSchema, { id: changeId })).toMatchObject({ status: 'drafting', submittedAt: null });
  };

  it('提交重新认证 and 放弃变更 by the former administrator are refused (403 ADMIN_CHANGED): no seal voided, nothing submitted; the new administrator submits', async () => {
    const s = await enterpriseWithSeals('提交前换管理员有限公司');
    const change = await startRename(em(), { enterpriseId: s.e.id, actor: actor(s.admin), newName: '提交前换管理员新名有限公司' });
    // The former administrator's request passed its access check; the operator replaces them before it reaches the domain.
    await replaceBy(s.e.id, s.other)();
    const submission = { changeId: change.id, name: '提交前换管理员新名有限公司', uscc: s.e.uscc, letter: LETTER, submittedAt: new Date() };
    expect(await outcome(submitRecertification(em(), { ...submission, actor: actor(s.admin) }))).toBe('forbidden ADMIN_CHANGED');
    expect(await outcome(abandonChange(em(), { changeId: change.id, actor: actor(s.admin) }))).toBe('forbidden ADMIN_CHANGED');
    // Through the workflow's activity: a business refusal (non-retryable), answered to the user as it is.
    const activities = createRecertificationActivities({ orm: platform.services.orm, store: platform.services.store });
    const request = { changeId: change.id, actorUserId: s.admin.id, name: submission.name, uscc: submission.uscc, letterKey: LETTER.key, letterType: LETTER.type, submittedAt: submission.submittedAt.toISOString() };
    for (const failed of [await activities.submitRecertification(request).catch((e: unknown) => e), await activities.abandonRecertification({ changeId: change.id, actorUserId: s.admin.id }).catch((e: unknown) => e)]) {
      expect(failed).toBeInstanceOf(ApplicationFailure);
      expect(failed).toMatchObject({ type: 'ADMIN_CHANGED', nonRetryable: true, details: [{ code: 'ADMIN_CHANGED', message: '您已不是该企业的管理员，本次操作未生效' }] });
    }
    await untouched(s, change.id);
    expect((await enterpriseRow(s.e.id)).standing).toBe('recertifying');
    // Refused before the point of no return: the administrator who is one submits.
    expect((await submitRecertification(em(), { ...submission, actor: actor(s.other) })).change).toMatchObject({ status: 'under_review' });
  });

  it('a replacement committing between 提交重新认证\'s reads and its commit: one of them fails (409), nothing voided', async () => {
    const s = await enterpriseWithSeals('提交中换管理员有限公司');
    const change = await startRename(em(), { enterpriseId: s.e.id, actor: actor(s.admin), newName: '提交中换管理员新名有限公司' });
    const submitting = forkRacedBeforeWrite(platform.services.orm.em, replaceBy(s.e.id, s.other));
    const submitted = await outcome(submitRecertification(submitting, { changeId: change.id, actor: actor(s.admin), name: '提交中换管理员新名有限公司', uscc: s.e.uscc, letter: LETTER }));
    expect(submitted).toBe('conflict CONCURRENT_CHANGE');
    expect((await enterpriseRow(s.e.id)).adminUserId).toBe(s.other.id);
    await untouched(s, change.id);
    // The activity retries a lost race: the retry reads the new administrator and refuses for good.
    expect(await outcome(submitRecertification(em(), { changeId: change.id, actor: actor(s.admin), name: '提交中换管理员新名有限公司', uscc: s.e.uscc, letter: LETTER }))).toBe('forbidden ADMIN_CHANGED');
  });

  it('开始重新认证, 变更企业名称 and 变更法人 by the former administrator are refused (403 ADMIN_CHANGED)', async () => {
    const s = await enterpriseWithSeals('换管理员后改名有限公司');
    await replaceBy(s.e.id, s.other)();
    expect(await outcome(startRename(em(), { enterpriseId: s.e.id, actor: actor(s.admin), newName: '换管理员后改名新名有限公司' }))).toBe('forbidden ADMIN_CHANGED');
    expect(await outcome(changeLegalRepresentative(em(), { enterpriseId: s.e.id, actor: actor(s.admin), legalRepresentative: '王换人' }))).toBe('forbidden ADMIN_CHANGED');
    expect(await em().count(EnterpriseChangeSchema, { enterpriseId: s.e.id })).toBe(0);
    // A lapsed re-certification (the seals voided): only the administrator restarts it.
    const change = await startRename(em(), { enterpriseId: s.e.id, actor: actor(s.other), newName: '换管理员后改名新名有限公司' });
    await submitRecertification(em(), { changeId: change.id, actor: actor(s.other), name: '换管理员后改名新名有限公司', uscc: s.e.uscc, letter: LETTER });
    await reviewRecertification(em(), { changeId: change.id, approve: false, reason: '材料不全', actor: actor(operator) });
    await expireChange(em(), { changeId: change.id });
    expect(await outcome(restartRecertification(em(), { enterpriseId: s.e.id, actor: actor(s.admin) }))).toBe('forbidden ADMIN_CHANGED');
    expect(await restartRecertification(em(), { enterpriseId: s.e.id, actor: actor(s.other) })).toMatchObject({ status: 'awaiting_submission' });
  });

  it('a replacement committing between 开始重新认证\'s reads and its commit: one of them fails (409), no change opened', async () => {
    const s = await enterpriseWithSeals('重启中换管理员有限公司');
    const change = await startRename(em(), { enterpriseId: s.e.id, actor: actor(s.admin), newName: '重启中换管理员新名有限公司' });
    await submitRecertification(em(), { changeId: change.id, actor: actor(s.admin), name: '重启中换管理员新名有限公司', uscc: s.e.uscc, letter: LETTER });
    await reviewRecertification(em(), { changeId: change.id, approve: false, reason: '材料不全', actor: actor(operator) });
    await expireChange(em(), { changeId: change.id });
    const restarting = forkRacedBeforeWrite(platform.services.orm.em, replaceBy(s.e.id, s.other));
    expect(await outcome(restartRecertification(restarting, { enterpriseId: s.e.id, actor: actor(s.admin) }))).toBe('conflict CONCURRENT_CHANGE');
    expect(await em().count(EnterpriseChangeSchema, { enterpriseId: s.e.id })).toBe(1);
    expect(await audits('enterprise.recertification_restarted', s.e.id)).toHaveLength(0);
  });
});

describe('变更法人', () => {
  it('voids only the 法定代表人章, removes only its authorisations, revokes only its certificate; completed change; audited', async () => {
    const { e, admin, member, other, seals } = await enterpriseWithSeals('变更法人有限公司');
    const legalRep = seals.find((s) => s.type === 'legal_rep')!;
    expect(await outcome(changeLegalRepresentative(em(), { enterpriseId: e.id, actor: actor(admin), legalRepresentative: '法人代表' }))).toBe('validation LEGAL_REPRESENTATIVE_UNCHANGED');
    const result = await changeLegalRepresentative(em(), { enterpriseId: e.id, actor: actor(admin), legalRepresentative: '  李新法人 ' });
    expect(result.change).toMatchObject({ kind: 'legal_representative', status: 'completed', oldValue: '法人代表', newValue: '李新法人', liveKey: null, seq: 1 });
    expect(result.voidedSealIds).toEqual([legalRep.id]);
    expect(result.affectedUserIds).toEqual([other.id]);
    expect((await enterpriseRow(e.id)).legalRepresentative).toBe('李新法人');
    const after = await sealsOf(e.id);
    expect(after.find((s) => s.id === legalRep.id)).toMatchObject({ status: 'voided', voidReason: 'legal_representative_changed', voidedByChangeId: result.change.id });
    expect(after.filter((s) => s.status !== 'voided').map((s) => s.id).sort()).toEqual(seals.filter((s) => s.id !== legalRep.id).map((s) => s.id).sort());
    const auths = await em().find(SealAuthorizationSchema, { enterpriseId: e.id });
    expect(auths.map((a) => a.userId)).toEqual(Array(4).fill(member.id));
    const certs = await em().find(SigningCertificateSchema, { enterpriseId: e.id });
    expect(certs.filter((c) => c.status === 'revoked').map((c) => [c.ownerId, c.revocationReason])).toEqual([[legalRep.id, 'legal_representative_changed']]);
    expect(result.revokedCertificateIds).toHaveLength(1);
    expect(detailOf((await audits('enterprise.legal_representative_changed', e.id))[0]!)).toMatchObject({ old: '法人代表', new: '李新法人' });
    expect(await audits('seal.voided', e.id)).toHaveLength(1);
    expect(await em().count(NotificationSchema, { userId: other.id, kind: 'enterprise.seal_authorizations_removed' })).toBe(1);
    expect(await em().count(NotificationSchema, { userId: member.id, kind: 'enterprise.seal_authorizations_removed' })).toBe(0);
    expect((await readEnterpriseInfo(em(), e.id)).history.map((c) => [c.kind, c.status])).toEqual([['legal_representative', 'completed']]);
    // Without a 法定代表人章 the change still goes through (nothing to void).
    expect((await changeLegalRepresentative(em(), { enterpriseId: e.id, actor: actor(admin), legalRepresentative: '王再换' })).voidedSealIds).toEqual([]);
  });
});

describe('信息管理: contact details', () => {
  it('changes directly with before/after in the audit; a stale version is 409; unknown fields are 400', async () => {
    const admin = await createUser(platform.services, '信息管理员');
    const e = await createCertifiedEnterprise(platform.services, admin, '信息管理有限公司');
    const info = await readEnterpriseInfo(em(), e.id);
    expect(info).toMatchObject({ standing: 'normal', notice: null, contactName: null, openChange: null, history: [], impact: { seals: 2, authorizations: 0, certificates: 0 } });
    const updated = await updateEnterpriseInfo(em(), { enterpriseId: e.id, actor: actor(admin), changes: { contactName: ' 王五 ', contactEmail: 'wang@example.com', address: '' }, version: info.version });
    expect(updated).toMatchObject({ contactName: '王五', contactEmail: 'wang@example.com', address: null });
    expect(updated.infoUpdatedAt).toBeInstanceOf(Date);
    const rows = await audits('enterprise.info_updated', e.id);
    expect(rows).toHaveLength(1);
    expect(detailOf(rows[0]!)).toEqual({ fields: ['contactName', 'contactEmail'], before: { contactName: null, contactEmail: null }, after: { contactName: '王五', contactEmail: 'wang@example.com' } });

    expect(await outcome(updateEnterpriseInfo(em(), { enterpriseId: e.id, actor: actor(admin), changes: { contactName: '赵六' }, version: info.version }))).toBe('conflict CONCURRENT_CHANGE');
    expect(await outcome(updateEnterpriseInfo(em(), { enterpriseId: e.id, actor: actor(admin), changes: { name: '改名' }, version: updated.version }))).toBe('validation FIELD_NOT_EDITABLE');
    expect(await outcome(updateEnterpriseInfo(em(), { enterpriseId: e.id, actor: actor(admin), changes: { address: '长'.repeat(201) }, version: updated.version }))).toBe('validation CONTACT_TOO_LONG');
    // Unchanged values write nothing.
    await updateEnterpriseInfo(em(), { enterpriseId: e.id, actor: actor(admin), changes: { contactName: '王五' }, version: updated.version });
    expect(await audits('enterprise.info_updated', e.id)).toHaveLength(1);
  });
});
