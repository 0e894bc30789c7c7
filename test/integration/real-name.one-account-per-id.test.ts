// @sqlite-too: the unique live key must hold on both dialects (parallel approvals, submission refusal).
/**
 * One verified account per 居民身份证号: a number verified on one account cannot be submitted on another (409,
 * says why without naming the other account), and of two accounts approved for one number — one after the
 * other or at the same moment — exactly one is verified; the other application closes as rejected with an
 * audit row, and nothing of the refused approval is written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEventSchema } from '../../domain/audit/audit-event.entity';
import { AppError } from '../../domain/errors';
import { reviewRealName, submitRealName } from '../../domain/identity/real-name';
import { RealNameApplicationSchema } from '../../domain/identity/real-name-application.entity';
import { UserSchema } from '../../domain/identity/user.entity';
import { createIdentityVerifier } from '../../integrations/identity';
import { createUser, TEST_PASSWORD } from '../harness/fixtures';
import { ApiClient } from '../harness/http-client';
import { startTestPlatform, type TestPlatform } from '../harness/platform';
import { idNumberFrom } from '../harness/registration';

let platform: TestPlatform;
let operatorClient: ApiClient;
beforeAll(async () => {
  platform = await startTestPlatform();
  const op = await createUser(platform.services, '身份证运营', 'operator');
  operatorClient = new ApiClient(platform.baseUrl);
  await operatorClient.login(op.mobile, TEST_PASSWORD);
});
afterAll(async () => platform?.stop());

const em = () => platform.services.orm.em.fork();
const outcome = (p: Promise<unknown>) => p.then(() => 'ok', (err: unknown) => (err instanceof AppError ? `${err.kind} ${err.code}` : `ERROR ${String(err)}`));
const operator = { id: null, name: '运营', ip: null };

/** A valid 居民身份证号 no other test of the run uses (the run shares one database). */
let sequence = Math.floor(Math.random() * 500);
function uniqueIdNumber(): string {
  const birth = new Date(Date.UTC(1950, 0, 1) + Math.floor(Math.random() * 18_000) * 86_400_000);
  const ymd = birth.toISOString().slice(0, 10).replaceAll('-', '');
  return idNumberFrom(`110105${ymd}${String(sequence++ % 1000).padStart(3, '0')}`);
}

async function unverified(name: string) {
  const u = await createUser(platform.services, name, null, 'unverified');
  return u;
}

async function submit(userId: string, idNumber: string, name = '张三') {
  const x = em();
  const user = await x.findOneOrFail(UserSchema, { id: userId });
  return submitRealName(x, createIdentityVerifier(platform.config), platform.config.masterKey, user, { name, idNumber }, { id: userId, name: user.name, ip: null });
}

const approve = (applicationId: string) => reviewRealName(em(), applicationId, { approve: true }, operator, platform.config.masterKey);

describe('submission', () => {
  it('an ID number verified on another account is refused (409 ID_NUMBER_TAKEN, zh-CN and English), nothing written, the holder not named', async () => {
    const idNumber = uniqueIdNumber();
    const owner = await unverified('身份证本人');
    await approve((await submit(owner.id, idNumber, '张三')).id);
    expect(await em().findOneOrFail(UserSchema, { id: owner.id })).toMatchObject({ realNameStatus: 'verified', name: '张三' });

    const impostor = await unverified('冒用者');
    const client = new ApiClient(platform.baseUrl);
    await client.login(impostor.mobile, TEST_PASSWORD);
    for (const variant of [idNumber, idNumber.toLowerCase(), ` ${idNumber} `]) {
      const r = await client.post('/me/real-name', { name: '张三', idNumber: variant });
      expect([r.status, r.json.error?.code]).toEqual([409, 'ID_NUMBER_TAKEN']);
      expect(r.json.error.message).toContain('该身份证号已在其他账号完成实名认证');
      expect(JSON.stringify(r.json)).toMatch(/already verified on another account/);
      // Nothing of the other account: not its mobile (whole or masked), nor its display name.
      expect(JSON.stringify(r.json)).not.toContain(owner.mobile.slice(-4));
      expect(JSON.stringify(r.json)).not.toContain('身份证本人');
    }
    expect(await em().count(RealNameApplicationSchema, { userId: impostor.id })).toBe(0);
    expect(await em().findOneOrFail(UserSchema, { id: impostor.id })).toMatchObject({ realNameStatus: 'unverified', name: '冒用者' });
    expect((await client.get('/me/real-name')).json.status).toBe('unverified');
  });

  it('a number only pending on another account is accepted (a first applicant cannot block the owner); the first approval wins', async () => {
    const idNumber = uniqueIdNumber();
    const [a, b] = [await unverified('先申请'), await unverified('后申请')];
    const first = await submit(a.id, idNumber);
    const second = await submit(b.id, idNumber);
    expect([first.status, second.status]).toEqual(['pending', 'pending']);
  });

  it('a rejected application of the number elsewhere does not count', async () => {
    const idNumber = uniqueIdNumber();
    const [a, b] = [await unverified('被驳回'), await unverified('再申请')];
    await reviewRealName(em(), (await submit(a.id, idNumber)).id, { approve: false, reason: '信息不符' }, operator, platform.config.masterKey);
    await approve((await submit(b.id, idNumber)).id);
    expect((await em().findOneOrFail(UserSchema, { id: b.id })).realNameStatus).toBe('verified');
  });
});

describe('approval', () => {
  it('approving an application whose number was verified on another account meanwhile: 409, the application rejected with the reason, an audit row, the user not verified', async () => {
    const idNumber = uniqueIdNumber();
    const [a, b] = [await unverified('甲账号'), await unverified('乙账号')];
    const [appA, appB] = [await submit(a.id, idNumber, '张三'), await submit(b.id, idNumber, '张三')];
    await approve(appA.id);

    const list = await operatorClient.get(`/admin/real-name-applications?filter=${encodeURIComponent('{"status":"pending"}')}`);
    expect(list.json.find((r: { id: string }) => r.id === appB.id)).toBeTruthy();
    const r = await operatorClient.post(`/admin/real-name-applications/${appB.id}/approve`, {});
    expect([r.status, r.json.error?.code]).toEqual([409, 'ID_NUMBER_TAKEN']);
    expect(r.json.error.message).toContain('该身份证号已在其他账号完成实名认证');

    const closed = await em().findOneOrFail(RealNameApplicationSchema, { id: appB.id });
    expect(closed).toMatchObject({ status: 'rejected', rejectReason: expect.stringContaining('该身份证号已在其他账号完成实名认证'), liveKey: null });
    expect(await em().findOneOrFail(UserSchema, { id: b.id })).toMatchObject({ realNameStatus: 'rejected', name: '乙账号' });
    expect(await em().count(AuditEventSchema, { action: 'user.real_name_approved', targetId: appB.id })).toBe(0);
    expect(await em().count(AuditEventSchema, { action: 'user.real_name_rejected', targetId: appB.id })).toBe(1);
    expect(await em().findOneOrFail(UserSchema, { id: a.id })).toMatchObject({ realNameStatus: 'verified', name: '张三' });
    // The applicant reads why (and may appeal); approving again is ALREADY_REVIEWED.
    expect(await outcome(approve(appB.id))).toBe('conflict ALREADY_REVIEWED');
  });

  it('two accounts with the same number approved at once: exactly one wins, the other is refused and rejected', async () => {
    for (let round = 0; round < 8; round++) {
      const idNumber = uniqueIdNumber();
      const users = [await unverified(`并发甲${round}`), await unverified(`并发乙${round}`)];
      const applications = [await submit(users[0]!.id, idNumber), await submit(users[1]!.id, idNumber)];
      const results = await Promise.all(applications.map((a) => outcome(approve(a.id))));
      expect(results.sort()).toEqual(['conflict ID_NUMBER_TAKEN', 'ok']);
      const rows = await em().find(RealNameApplicationSchema, { id: applications.map((a) => a.id) });
      expect(rows.map((a) => a.status).sort()).toEqual(['approved', 'rejected']);
      const states = await em().find(UserSchema, { id: users.map((u) => u.id) });
      expect(states.map((u) => u.realNameStatus).sort()).toEqual(['rejected', 'verified']);
      const winner = rows.find((a) => a.status === 'approved')!;
      expect(states.find((u) => u.realNameStatus === 'verified')!.id).toBe(winner.userId);
      expect(await em().count(AuditEventSchema, { action: 'user.real_name_approved', targetId: applications.map((a) => a.id) })).toBe(1);
      expect(await em().count(AuditEventSchema, { action: 'user.real_name_rejected', targetId: applications.map((a) => a.id) })).toBe(1);
    }
  });

  it('the database refuses a second approved application of one number, whatever the code path', async () => {
    const idNumber = uniqueIdNumber();
    const [a, b] = [await unverified('库约束甲'), await unverified('库约束乙')];
    const [appA, appB] = [await submit(a.id, idNumber), await submit(b.id, idNumber)];
    await approve(appA.id);
    const x = em();
    const row = await x.findOneOrFail(RealNameApplicationSchema, { id: appB.id });
    row.status = 'approved';
    await expect(x.flush()).rejects.toThrow();
    expect((await em().findOneOrFail(RealNameApplicationSchema, { id: appB.id })).status).toBe('pending');
  });
});
