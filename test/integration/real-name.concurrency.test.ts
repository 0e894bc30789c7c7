// @sqlite-too: parallel review decisions.
/**
 * 实名认证 review under concurrency (SQLite or MariaDB): two operators deciding the same
 * application at once — exactly one decision is recorded, and the user's status matches it.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AuditEventSchema } from '../../domain/audit/audit-event.entity';
import { AppError } from '../../domain/errors';
import { reviewRealName, submitRealName } from '../../domain/identity/real-name';
import { RealNameApplicationSchema } from '../../domain/identity/real-name-application.entity';
import { UserSchema } from '../../domain/identity/user.entity';
import { createIdentityVerifier } from '../../integrations/identity';
import { createUser } from '../harness/fixtures';
import { startTestPlatform, type TestPlatform } from '../harness/platform';
import { uniqueIdNumber } from '../harness/registration';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform();
});
afterAll(async () => platform?.stop());

const em = () => platform.services.orm.em.fork();
const outcome = (p: Promise<unknown>) => p.then(() => 'ok', (err: unknown) => (err instanceof AppError ? `${err.kind} ${err.code}` : `ERROR ${String(err)}`));
const operator = { id: null, name: '运营', ip: null };

async function pendingApplication(name: string) {
  const u = await createUser(platform.services, name, null, 'unverified');
  const x = em();
  const user = await x.findOneOrFail(UserSchema, { id: u.id });
  const a = await submitRealName(x, createIdentityVerifier(platform.config), platform.config.masterKey, user, { name: '张伟', idNumber: uniqueIdNumber() }, { id: u.id, name, ip: null });
  return { userId: u.id, applicationId: a.id };
}

it('two operators approving at once: one decision, one audit row', async () => {
  const { applicationId } = await pendingApplication('并发实名');
  const results = await Promise.all([0, 1].map(() => outcome(reviewRealName(em(), applicationId, { approve: true }, operator))));
  expect(results.sort()).toEqual(['conflict ALREADY_REVIEWED', 'ok']);
  expect(await em().count(AuditEventSchema, { action: 'user.real_name_approved', targetId: applicationId })).toBe(1);
});

it('an approval racing a rejection: exactly one wins and the user follows it', async () => {
  const { userId, applicationId } = await pendingApplication('实名竞争');
  const results = await Promise.all([
    outcome(reviewRealName(em(), applicationId, { approve: true }, operator)),
    outcome(reviewRealName(em(), applicationId, { approve: false, reason: '照片不清晰' }, operator)),
  ]);
  expect(results.filter((r) => r === 'ok')).toHaveLength(1);
  const application = await em().findOneOrFail(RealNameApplicationSchema, { id: applicationId });
  const user = await em().findOneOrFail(UserSchema, { id: userId });
  expect(user.realNameStatus).toBe(application.status === 'approved' ? 'verified' : 'rejected');
  expect(await em().count(AuditEventSchema, { action: { $in: ['user.real_name_approved', 'user.real_name_rejected'] }, targetId: applicationId })).toBe(1);
});

it('two submissions read before either saved: one application in review, the other refused; approving cannot replace a verified identity', async () => {
  const u = await createUser(platform.services, '交错实名', null, 'unverified');
  const [e1, e2] = [em(), em()];
  // Both requests loaded the user while it was 未认证 (what two parallel requests do).
  const [u1, u2] = [await e1.findOneOrFail(UserSchema, { id: u.id }), await e2.findOneOrFail(UserSchema, { id: u.id })];
  const verifier = createIdentityVerifier(platform.config);
  const actor = { id: u.id, name: u.name, ip: null };
  const first = await submitRealName(e1, verifier, platform.config.masterKey, u1, { name: '张伟', idNumber: uniqueIdNumber() }, actor);
  expect(u1.realNameStatus).toBe('pending');
  expect(await outcome(submitRealName(e2, verifier, platform.config.masterKey, u2, { name: '李娜', idNumber: uniqueIdNumber() }, actor))).toBe('conflict VERIFICATION_PENDING');
  expect(await em().count(RealNameApplicationSchema, { userId: u.id })).toBe(1);
  await reviewRealName(em(), first.id, { approve: true }, operator);
  expect(await em().findOneOrFail(UserSchema, { id: u.id })).toMatchObject({ realNameStatus: 'verified', name: '张伟' });
});

it('an application left pending beside a decided one (rows from before the rule) closes as rejected and leaves the verified identity alone', async () => {
  const { applicationId, userId } = await pendingApplication('遗留实名');
  await reviewRealName(em(), applicationId, { approve: true }, operator);
  const x = em();
  const stale = x.create(RealNameApplicationSchema, { ...(await x.findOneOrFail(RealNameApplicationSchema, { id: applicationId })), id: randomUUID(), name: '李娜', status: 'pending', reviewedBy: null, reviewedAt: null });
  await x.flush();
  const decided = await reviewRealName(em(), stale.id, { approve: true }, operator);
  expect(decided).toMatchObject({ status: 'rejected' });
  expect(await em().findOneOrFail(UserSchema, { id: userId })).toMatchObject({ realNameStatus: 'verified', name: '张伟' });
});
