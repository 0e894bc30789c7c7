// @sqlite-too: the wrong-code bounds of SMS login (the network's attempt counter, the per-number sum of the codes' conditional attempt counts) under parallel guesses.
/**
 * Guessing SMS login codes: wrong codes are bounded per requesting network (SMS_LOGIN_IP_RULES: 429
 * with Retry-After before any code is checked) and per number across its codes (SMS_LOGIN_RULES:
 * SMS_LOGIN_LOCKED until the window passes); both hold under parallel requests; wrong codes are
 * audited like wrong passwords (unknown numbers masked); unknown numbers answer like known ones.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEventSchema } from '../../domain/audit/audit-event.entity';
import { SMS_LOGIN_IP_RULES, SMS_LOGIN_RULES } from '../../domain/identity/login';
import { maskMobile } from '../../domain/identity/masking';
import { CODE_RULES, hashCode } from '../../domain/sms/code-rules';
import { SmsChallengeSchema } from '../../domain/sms/sms.entities';
import { ApiClient } from '../harness/http-client';
import { createUser, latestSmsCode, TEST_PASSWORD, uniqueMobile } from '../harness/fixtures';
import { startTestPlatform, type TestPlatform } from '../harness/platform';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform();
});
afterAll(async () => platform?.stop());

/** The bounds (SMS_LOGIN_IP_RULES, SMS_LOGIN_RULES) as figures, checked against the rules below. */
const IP_MAX = 20;
const NUMBER_MAX = 50;
const NUMBER_WINDOW_MS = 24 * 3600_000;

type Answer = { status: number; json: { error?: { code: string; message: string } }; headers: Headers };
const answer = (r: Answer) => `${r.status} ${r.json?.error?.code ?? 'OK'}`;
const em = () => platform.services.orm.em.fork();
const fresh = () => new ApiClient(platform.baseUrl);

let ipCounter = 0;
/** An address of its own network (each test's guesser stays apart from the harness's 10.x clients). */
const newNetwork = () => `198.18.${Math.floor(++ipCounter / 250) % 250}.${ipCounter % 250}`;
/** An SMS login from `ip`. */
const smsLogin = (ip: string, mobile: string, code: string, client = fresh()) => client.request('POST', '/auth/login/sms', { mobile, code }, { 'x-forwarded-for': ip });
/** Asks for a login code from a network of its own (the send budgets are not what is tested here). */
const requestCode = async (mobile: string) => expect(answer(await fresh().post('/auth/login/code', { mobile }))).toBe('200 OK');
/** A code that is not `right`. */
const wrongFor = (right: string | null, i = 0) => {
  const w = String((Number(right ?? '0') + 1 + i) % 1_000_000).padStart(6, '0');
  return w === right ? String((Number(w) + 1) % 1_000_000).padStart(6, '0') : w;
};
/** The wrong guesses the number's login codes took (their attempt counters). */
const checkedGuesses = async (mobile: string) => (await em().find(SmsChallengeSchema, { mobile, purpose: 'login' })).reduce((n, c) => n + c.attempts, 0);
/** The user's lock flags as an operator's user list shows them (search by the full number). */
async function operatorSees(mobile: string) {
  const operator = await createUser(platform.services, '锁定查看运营', 'operator');
  const c = fresh();
  await c.login(operator.mobile, TEST_PASSWORD);
  const rows = (await c.get(`/admin/users?filter=${encodeURIComponent(JSON.stringify({ q: mobile }))}`)).json as { smsLoginLocked: boolean; locked: boolean }[];
  expect(rows).toHaveLength(1);
  return { smsLoginLocked: rows[0]!.smsLoginLocked, locked: rows[0]!.locked };
}
const audits = (action: string, targetId: string) => em().count(AuditEventSchema, { action: action as never, targetId });

/**
 * Earlier login codes of the number, as `codes` codes that each took 5 wrong guesses, sent `hoursAgo`
 * hours ago and before (outside the send budget's hour and the cooldown, inside SMS_LOGIN_RULES' day).
 */
async function earlierWrongGuesses(mobile: string, codes: number, hoursAgo: number) {
  const now = Date.now();
  for (let i = 0; i < codes; i++) {
    const createdAt = new Date(now - hoursAgo * 3600_000 + i * 60_000);
    await em().insert(SmsChallengeSchema, {
      id: randomUUID(), mobile, purpose: 'login', subject: `login:${mobile}`, codeHash: hashCode(`login:${mobile}`, '000000'),
      createdAt, expiresAt: new Date(createdAt.getTime() + CODE_RULES.ttlMs), attempts: CODE_RULES.maxAttempts, consumedAt: null, requestNetwork: null,
    });
  }
}

describe('wrong SMS login codes per network', () => {
  it('bounds: 20 wrong codes an hour per network (then an hour refused), 50 a day per number', () => {
    expect(SMS_LOGIN_IP_RULES).toEqual({ max: IP_MAX, windowMs: 3600_000, lockMs: 3600_000 });
    expect(SMS_LOGIN_RULES).toEqual({ max: NUMBER_MAX, windowMs: NUMBER_WINDOW_MS });
  });

  it(`one network: ${IP_MAX} wrong codes across numbers, then 429 with Retry-After before any code is checked (a right one too); other networks are unaffected`, async () => {
    const users = await Promise.all(Array.from({ length: 6 }, (_, i) => createUser(platform.services, `网段${i}`)));
    for (const u of users) await requestCode(u.mobile);
    const codes = await Promise.all(users.map((u) => latestSmsCode(platform.services, u.mobile)));
    // One IPv6 /64: its addresses are one network.
    const net = `2001:db8:${++ipCounter}:7`;
    const answers: string[] = [];
    for (let i = 0; i < IP_MAX; i++) {
      const u = i % 5; // four guesses at each of five numbers' codes
      answers.push(answer(await smsLogin(`${net}::${i + 1}`, users[u]!.mobile, wrongFor(codes[u]!, i))));
    }
    expect(answers.slice(0, -1).every((a) => a === '422 SMS_CODE_WRONG')).toBe(true);
    expect(answers.at(-1)).toBe('429 TOO_MANY_ATTEMPTS');
    // The sixth number's right code from the same /64: refused unchecked.
    const refused = await smsLogin(`${net}::abcd`, users[5]!.mobile, codes[5]!);
    expect(answer(refused)).toBe('429 TOO_MANY_ATTEMPTS');
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(3500);
    expect(retryAfter).toBeLessThanOrEqual(3600);
    expect(await checkedGuesses(users[5]!.mobile)).toBe(0);
    // Exactly max guesses were checked (the codes' own counters) and audited.
    let checked = 0;
    for (const u of users.slice(0, 5)) checked += await checkedGuesses(u.mobile);
    expect(checked).toBe(IP_MAX);
    let audited = 0;
    for (const u of users.slice(0, 5)) audited += await audits('auth.login_failed', u.id);
    expect(audited).toBe(IP_MAX);
    const lockRow = await em().findOneOrFail(AuditEventSchema, { action: 'auth.login_failed', detail: { $like: '%networkLocked%' } as never, ip: { $like: `${net}::%` } });
    expect(JSON.parse(lockRow.detail!)).toMatchObject({ method: 'sms', networkLocked: true });
    // The same right code from another network logs in.
    expect(answer(await smsLogin(newNetwork(), users[5]!.mobile, codes[5]!))).toBe('200 OK');
  });

  it('attempts that check no code (none sent, used) and right codes are not counted against the network', async () => {
    const ip = newNetwork();
    for (let i = 0; i < IP_MAX + 5; i++) expect(answer(await smsLogin(ip, uniqueMobile(), '123456'))).toBe('422 SMS_CODE_MISSING');
    for (let i = 0; i < 3; i++) {
      const u = await createUser(platform.services, `正确${i}`);
      await requestCode(u.mobile);
      const right = await latestSmsCode(platform.services, u.mobile);
      expect(answer(await smsLogin(ip, u.mobile, right))).toBe('200 OK');
      expect(answer(await smsLogin(ip, u.mobile, right))).toBe('422 SMS_CODE_USED');
    }
    // Still the network's whole allowance of wrong codes.
    const u = await createUser(platform.services, '仍可尝试');
    await requestCode(u.mobile);
    const right = await latestSmsCode(platform.services, u.mobile);
    expect(answer(await smsLogin(ip, u.mobile, wrongFor(right)))).toBe('422 SMS_CODE_WRONG');
    expect(answer(await smsLogin(ip, u.mobile, right))).toBe('200 OK');
  });

  it(`${3 * IP_MAX} parallel wrong codes from one network: at most ${IP_MAX} are checked, then its right code is refused`, async () => {
    const users = await Promise.all(Array.from({ length: 13 }, (_, i) => createUser(platform.services, `并发网段${i}`)));
    for (const u of users) await requestCode(u.mobile);
    const codes = await Promise.all(users.map((u) => latestSmsCode(platform.services, u.mobile)));
    const ip = newNetwork();
    const results = await Promise.all(Array.from({ length: 3 * IP_MAX }, (_, i) => smsLogin(ip, users[i % 12]!.mobile, wrongFor(codes[i % 12]!, i))));
    for (const r of results) expect(['422 SMS_CODE_WRONG', '422 SMS_CODE_LOCKED', '429 TOO_MANY_ATTEMPTS']).toContain(answer(r));
    let checked = 0;
    for (const u of users.slice(0, 12)) checked += await checkedGuesses(u.mobile);
    expect(checked).toBeLessThanOrEqual(IP_MAX);
    expect(checked).toBeGreaterThan(0);
    expect(answer(await smsLogin(ip, users[12]!.mobile, codes[12]!))).toBe('429 TOO_MANY_ATTEMPTS');
    expect(await checkedGuesses(users[12]!.mobile)).toBe(0);
  });
});

describe('wrong SMS login codes per number, across its codes', () => {
  const lockedAnswer = '429 SMS_LOGIN_LOCKED';

  it(`${NUMBER_MAX} wrong codes in a day (from many networks): SMS login for the number is refused, a right code too, with a clear message and Retry-After, until the window passes; audited once`, async () => {
    const u = await createUser(platform.services, '号码锁定');
    // 45 wrong guesses on nine earlier codes, the oldest 20 h ago.
    await earlierWrongGuesses(u.mobile, NUMBER_MAX / CODE_RULES.maxAttempts - 1, 20);
    await requestCode(u.mobile);
    const right = await latestSmsCode(platform.services, u.mobile);
    const answers: string[] = [];
    for (let i = 0; i < CODE_RULES.maxAttempts; i++) answers.push(answer(await smsLogin(newNetwork(), u.mobile, wrongFor(right, i))));
    expect(answers).toEqual([...Array(CODE_RULES.maxAttempts - 1).fill('422 SMS_CODE_WRONG'), lockedAnswer]);
    // A new code (past the resend cooldown).
    await em().nativeUpdate(SmsChallengeSchema, { mobile: u.mobile, createdAt: { $gt: new Date(Date.now() - 3600_000) } }, { createdAt: new Date(Date.now() - 2 * 60_000) });
    await requestCode(u.mobile);
    const next = await latestSmsCode(platform.services, u.mobile);
    const refused = await smsLogin(newNetwork(), u.mobile, next);
    expect(answer(refused)).toBe(lockedAnswer);
    expect(refused.json.error!.message).toMatch(/短信登录已暂停/);
    expect(refused.json.error!.message).toMatch(/4 小时后再试/);
    const retryAfter = Number(refused.headers.get('retry-after'));
    // Until the oldest code (20 h ago) leaves the 24 h window.
    expect(retryAfter).toBeGreaterThan(4 * 3600 - 120);
    expect(retryAfter).toBeLessThanOrEqual(4 * 3600);
    expect(await checkedGuesses(u.mobile)).toBe(NUMBER_MAX);
    expect(await audits('auth.locked', u.id)).toBe(1);
    expect(JSON.parse((await em().findOneOrFail(AuditEventSchema, { action: 'auth.locked', targetId: u.id })).detail!)).toMatchObject({ method: 'sms' });
    expect(await audits('auth.login_failed', u.id)).toBe(CODE_RULES.maxAttempts);
    // The operators' user list shows the pause (the password lock is another flag).
    expect(await operatorSees(u.mobile)).toEqual({ smsLoginLocked: true, locked: false });
    // The refused right code was not checked: once the oldest code is older than the window, it logs in.
    const oldest = (await em().find(SmsChallengeSchema, { mobile: u.mobile }, { orderBy: { createdAt: 'asc' }, limit: 1 }))[0]!;
    await em().nativeUpdate(SmsChallengeSchema, { id: oldest.id }, { createdAt: new Date(Date.now() - NUMBER_WINDOW_MS - 60_000) });
    expect(await operatorSees(u.mobile)).toEqual({ smsLoginLocked: false, locked: false });
    expect(answer(await smsLogin(newNetwork(), u.mobile, next))).toBe('200 OK');
  });

  it('an unknown number gets the same answers and the same counting; its audit rows are masked', async () => {
    const known = await createUser(platform.services, '已知号码');
    const unknown = uniqueMobile();
    const run = async (mobile: string) => {
      await earlierWrongGuesses(mobile, NUMBER_MAX / CODE_RULES.maxAttempts - 1, 10);
      await requestCode(mobile);
      const answers: string[] = [];
      for (let i = 0; i < CODE_RULES.maxAttempts + 1; i++) {
        const r = await smsLogin(newNetwork(), mobile, String(100_000 + i));
        answers.push(`${answer(r)} ${r.headers.get('retry-after') !== null}`);
      }
      return answers;
    };
    const k = await run(known.mobile);
    const u = await run(unknown);
    expect(u).toEqual(k);
    expect(k.slice(-2)).toEqual([`${lockedAnswer} true`, `${lockedAnswer} true`]);
    expect(await audits('auth.login_failed', maskMobile(unknown))).toBe(CODE_RULES.maxAttempts);
    expect(await audits('auth.locked', maskMobile(unknown))).toBe(1);
    expect(await em().count(AuditEventSchema, { $or: [{ targetId: unknown }, { actorName: unknown }] })).toBe(0);
  });

  it('60 parallel wrong codes from 60 networks at the bound: at most one code\'s tries are checked, the number locks, one audit row, its right code is refused', async () => {
    const u = await createUser(platform.services, '并发号码');
    await earlierWrongGuesses(u.mobile, NUMBER_MAX / CODE_RULES.maxAttempts - 1, 12);
    await requestCode(u.mobile);
    const right = await latestSmsCode(platform.services, u.mobile);
    const results = await Promise.all(Array.from({ length: 60 }, (_, i) => smsLogin(newNetwork(), u.mobile, wrongFor(right, i))));
    for (const r of results) expect(['422 SMS_CODE_WRONG', '422 SMS_CODE_LOCKED', lockedAnswer]).toContain(answer(r));
    expect(await checkedGuesses(u.mobile)).toBe(NUMBER_MAX);
    expect(await audits('auth.locked', u.id)).toBe(1);
    expect(answer(await smsLogin(newNetwork(), u.mobile, right))).toBe(lockedAnswer);
  });

  it('a user who mistypes a few codes still logs in; one network alone does not lock a number within an hour', async () => {
    const u = await createUser(platform.services, '输错几次');
    const ip = newNetwork();
    await requestCode(u.mobile);
    let right = await latestSmsCode(platform.services, u.mobile);
    for (let i = 0; i < CODE_RULES.maxAttempts - 1; i++) expect(answer(await smsLogin(ip, u.mobile, wrongFor(right, i)))).toBe('422 SMS_CODE_WRONG');
    expect(answer(await smsLogin(ip, u.mobile, right))).toBe('200 OK');
    // One network's whole hourly allowance against one number stays well below the number's bound.
    expect(IP_MAX * 2).toBeLessThan(NUMBER_MAX);
    const attacker = newNetwork();
    const answers: string[] = [];
    for (let c = 0; c < 4; c++) {
      await em().nativeUpdate(SmsChallengeSchema, { mobile: u.mobile }, { createdAt: new Date(Date.now() - 3 * 60_000 * (c + 1)) }); // past the resend cooldown
      await requestCode(u.mobile);
      right = await latestSmsCode(platform.services, u.mobile);
      for (let i = 0; i < CODE_RULES.maxAttempts; i++) answers.push(answer(await smsLogin(attacker, u.mobile, wrongFor(right, i))));
    }
    expect(answers.filter((a) => a === '429 TOO_MANY_ATTEMPTS')).toHaveLength(1);
    expect(answers).not.toContain(lockedAnswer);
    await em().nativeUpdate(SmsChallengeSchema, { mobile: u.mobile }, { createdAt: new Date(Date.now() - 20 * 60_000) });
    await requestCode(u.mobile);
    expect(answer(await smsLogin(newNetwork(), u.mobile, await latestSmsCode(platform.services, u.mobile)))).toBe('200 OK');
  });
});
