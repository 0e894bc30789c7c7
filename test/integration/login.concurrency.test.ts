// @sqlite-too: the password lockout counter under parallel logins.
/**
 * Password lockout through the real API on the run's database (SQLite or MariaDB): parallel
 * wrong passwords are counted before they are evaluated, unknown numbers answer like known ones,
 * wrong current passwords on 修改密码 count toward the lockout, and one IP is throttled across
 * accounts. A lock commits with its audit rows (one whose `auth.locked` row cannot be written locks
 * nothing), and an SMS login that lifts a password lock is audited as `auth.unlocked`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEventSchema } from '../../domain/audit/audit-event.entity';
import { lockedKeys } from '../../domain/identity/attempt-throttle';
import { accountThrottleKey, LOGIN_IP_RULES, LOGIN_RULES } from '../../domain/identity/login';
import { rejectAuditAction } from '../harness/audit-failure';
import { ApiClient } from '../harness/http-client';
import { createUser, latestSmsCode, TEST_PASSWORD, uniqueMobile } from '../harness/fixtures';
import { startTestPlatform, type TestPlatform } from '../harness/platform';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform();
});
afterAll(async () => platform?.stop());

const failedChecks = (targetId: string) => platform.services.orm.em.fork().count(AuditEventSchema, { action: 'auth.login_failed', targetId });
const audited = (action: 'auth.locked' | 'auth.unlocked', targetId: string) => platform.services.orm.em.fork().find(AuditEventSchema, { action, targetId });
const passwordLocked = async (mobile: string) => (await lockedKeys(platform.services.orm.em.fork(), [accountThrottleKey(mobile)])).size === 1;
const answer = (r: { status: number; json: { error?: { code: string } } }) => `${r.status} ${r.json?.error?.code ?? 'OK'}`;

describe('password lockout under concurrency', () => {
  it('50 parallel wrong passwords: at most 5 are evaluated, the account locks, the right password is then refused', async () => {
    const u = await createUser(platform.services, '并发锁定');
    const results = await Promise.all(Array.from({ length: 50 }, () => new ApiClient(platform.baseUrl).post('/auth/login', { mobile: u.mobile, password: 'Wrong#12345' })));
    expect(results.every((r) => r.status === 401 || r.status === 429)).toBe(true);
    expect(await failedChecks(u.id)).toBeLessThanOrEqual(LOGIN_RULES.max);
    const right = await new ApiClient(platform.baseUrl).post('/auth/login', { mobile: u.mobile, password: TEST_PASSWORD });
    expect(answer(right)).toBe('429 ACCOUNT_LOCKED');
    expect(right.headers.get('retry-after')).toBeTruthy();
  });

  it('an unknown number gets the same answers, lockout included, after the same work', async () => {
    const known = await createUser(platform.services, '已知号码');
    const unknown = uniqueMobile();
    const run = async (mobile: string) => {
      const c = new ApiClient(platform.baseUrl);
      const answers: string[] = [];
      const ms: number[] = [];
      for (let i = 0; i < LOGIN_RULES.max + 1; i++) {
        const t = performance.now();
        answers.push(answer(await c.post('/auth/login', { mobile, password: 'Wrong#12345' })));
        ms.push(performance.now() - t);
      }
      // The fastest evaluated attempt: load on the machine only adds time, so the minimum is what the work costs.
      return { answers, evaluatedMs: Math.min(...ms.slice(0, LOGIN_RULES.max - 1)) };
    };
    const k = await run(known.mobile);
    const u = await run(unknown);
    expect(u.answers).toEqual(k.answers);
    expect(k.answers).toEqual([...Array(LOGIN_RULES.max - 1).fill('401 BAD_CREDENTIALS'), '429 ACCOUNT_LOCKED', '429 ACCOUNT_LOCKED']);
    // An unknown number is checked against a dummy argon2 hash: no fast path that tells it apart.
    expect(u.evaluatedMs).toBeGreaterThan(k.evaluatedMs * 0.4);
  });

  it('right current passwords on 修改密码 do not add up to a lockout', async () => {
    const u = await createUser(platform.services, '改密多次');
    const c = new ApiClient(platform.baseUrl);
    await c.login(u.mobile, TEST_PASSWORD);
    const passwords = [TEST_PASSWORD, 'Newer#Pass2'];
    for (let i = 0; i <= LOGIN_RULES.max; i++) {
      expect(answer(await c.request('PUT', '/me/password', { oldPassword: passwords[i % 2], newPassword: passwords[(i + 1) % 2] }))).toBe('200 OK');
    }
  });

  it('wrong current passwords on 修改密码 count toward the lockout', async () => {
    const u = await createUser(platform.services, '改密锁定');
    const c = new ApiClient(platform.baseUrl);
    await c.login(u.mobile, TEST_PASSWORD);
    const answers: string[] = [];
    for (let i = 0; i < LOGIN_RULES.max; i++) answers.push(answer(await c.request('PUT', '/me/password', { oldPassword: 'Wrong#12345', newPassword: 'Newer#Pass2' })));
    expect(answers).toEqual([...Array(LOGIN_RULES.max - 1).fill('422 WRONG_PASSWORD'), '429 ACCOUNT_LOCKED']);
    expect(answer(await c.request('PUT', '/me/password', { oldPassword: TEST_PASSWORD, newPassword: 'Newer#Pass2' }))).toBe('429 ACCOUNT_LOCKED');
    expect(answer(await new ApiClient(platform.baseUrl).post('/auth/login', { mobile: u.mobile, password: TEST_PASSWORD }))).toBe('429 ACCOUNT_LOCKED');
  });

  it('throttles one IP address across accounts', async () => {
    const c = new ApiClient(platform.baseUrl);
    const answers: string[] = [];
    for (let i = 0; i <= LOGIN_IP_RULES.max; i++) answers.push(answer(await c.post('/auth/login', { mobile: uniqueMobile(), password: 'Wrong#12345' })));
    expect(answers.slice(0, LOGIN_IP_RULES.max).every((a) => a === '401 BAD_CREDENTIALS')).toBe(true);
    expect(answers[LOGIN_IP_RULES.max]).toBe('429 TOO_MANY_ATTEMPTS');
    // Another address is not affected.
    const u = await createUser(platform.services, '其他地址');
    expect(answer(await new ApiClient(platform.baseUrl).post('/auth/login', { mobile: u.mobile, password: TEST_PASSWORD }))).toBe('200 OK');
  });

  it('throttles an IPv6 client by its /64: every attempt from a fresh address of it counts; another /64 is not affected', async () => {
    const k = Math.floor(Math.random() * 0xfff0) + 1;
    const net = (n: number) => `2001:db8:${(process.pid % 0xffff).toString(16)}:${n.toString(16)}`;
    const from = (address: string) => ({ 'x-forwarded-for': address });
    const answers: string[] = [];
    for (let i = 0; i <= LOGIN_IP_RULES.max; i++) answers.push(answer(await new ApiClient(platform.baseUrl).request('POST', '/auth/login', { mobile: uniqueMobile(), password: 'Wrong#12345' }, from(`${net(k)}::${(i + 1).toString(16)}`))));
    expect(answers.slice(0, LOGIN_IP_RULES.max).every((a) => a === '401 BAD_CREDENTIALS')).toBe(true);
    expect(answers[LOGIN_IP_RULES.max]).toBe('429 TOO_MANY_ATTEMPTS');
    const u = await createUser(platform.services, '其他网段');
    expect(answer(await new ApiClient(platform.baseUrl).request('POST', '/auth/login', { mobile: u.mobile, password: TEST_PASSWORD }, from(`${net(k)}:1:2:3:4`)))).toBe('429 TOO_MANY_ATTEMPTS');
    expect(answer(await new ApiClient(platform.baseUrl).request('POST', '/auth/login', { mobile: u.mobile, password: TEST_PASSWORD }, from(`${net(k + 1)}::1`)))).toBe('200 OK');
  });
});

describe('the password lock and its audit rows', () => {
  it('the wrong password that would lock, whose auth.locked row cannot be written, locks nothing (nor audits its failure); the next attempt locks, audited', async () => {
    const u = await createUser(platform.services, '锁定审计失败');
    const c = new ApiClient(platform.baseUrl);
    for (let i = 1; i < LOGIN_RULES.max; i++) expect(answer(await c.post('/auth/login', { mobile: u.mobile, password: 'Wrong#12345' }))).toBe('401 BAD_CREDENTIALS');
    const allowAudit = await rejectAuditAction(platform.services, 'auth.locked', u.id);
    try {
      expect((await c.post('/auth/login', { mobile: u.mobile, password: 'Wrong#12345' })).status).toBe(500);
    } finally {
      await allowAudit();
    }
    expect(await passwordLocked(u.mobile)).toBe(false);
    expect(await failedChecks(u.id)).toBe(LOGIN_RULES.max - 1);
    expect(await audited('auth.locked', u.id)).toEqual([]);
    // That attempt was counted (before it was evaluated): the next one is past the allowance and locks, with its row.
    expect(answer(await c.post('/auth/login', { mobile: u.mobile, password: 'Wrong#12345' }))).toBe('429 ACCOUNT_LOCKED');
    expect(await passwordLocked(u.mobile)).toBe(true);
    expect(await audited('auth.locked', u.id)).toHaveLength(1);
  });

  it('an SMS login lifts the password lock and writes auth.unlocked; a login that lifts no lock writes none', async () => {
    const u = await createUser(platform.services, '短信解锁');
    const c = new ApiClient(platform.baseUrl);
    const smsLogin = async () => {
      expect(answer(await c.post('/auth/login/code', { mobile: u.mobile }))).toBe('200 OK');
      return answer(await c.post('/auth/login/sms', { mobile: u.mobile, code: await latestSmsCode(platform.services, u.mobile) }));
    };
    for (let i = 1; i <= LOGIN_RULES.max; i++) await c.post('/auth/login', { mobile: u.mobile, password: 'Wrong#12345' });
    expect(await passwordLocked(u.mobile)).toBe(true);
    expect(await audited('auth.locked', u.id)).toHaveLength(1);
    expect(await smsLogin()).toBe('200 OK');
    expect(await passwordLocked(u.mobile)).toBe(false);
    const unlocked = await audited('auth.unlocked', u.id);
    expect(unlocked.map((a) => [a.actorId, JSON.parse(a.detail!)])).toEqual([[u.id, { method: 'sms' }]]);
    // Password login works again; neither it nor another SMS login lifts a lock: no further row.
    expect(answer(await new ApiClient(platform.baseUrl).post('/auth/login', { mobile: u.mobile, password: TEST_PASSWORD }))).toBe('200 OK');
    expect(await audited('auth.unlocked', u.id)).toHaveLength(1);
  });
});
