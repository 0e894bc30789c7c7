// @sqlite-too: one-time codes and budgets under parallel requests.
/**
 * SMS verification codes under concurrency, with the repository's own functions and one
 * EntityManager per request (as the API gives each request), on the run's database (SQLite or
 * MariaDB): wrong guesses are all counted, a right code is accepted once, budgets are per purpose
 * (the unsolicited ones shared) and per requesting network,
 * and parallel code requests and registrations on MariaDB answer without deadlocks (no 500).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SmsSender } from '../../integrations/sms';
import { AppError } from '../../domain/errors';
import { CODE_RULES, hashCode } from '../../domain/sms/code-rules';
import { SmsChallengeSchema } from '../../domain/sms/sms.entities';
import { consumeVerificationCode, sendVerificationCode, type CodeTarget } from '../../domain/sms/verification-codes';
import { ApiClient } from '../harness/http-client';
import { contractForm, createUser, latestSmsCode, makePdf, TEST_PASSWORD, uniqueMobile } from '../harness/fixtures';
import { loadContract } from '../../domain/contracts/contract-access';
import { confirmParticipantCode, requestParticipantCode } from '../../domain/contracts/confirm-willingness';
import { WillingnessConfirmationSchema } from '../../domain/contracts/willingness-confirmation.entity';
import { startTestPlatform, type TestPlatform } from '../harness/platform';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform();
});
afterAll(async () => platform?.stop());

/** Captures the code instead of sending it. */
function capture() {
  const sent: string[] = [];
  const sms: SmsSender = { send: async (m) => void sent.push(m.content.match(/\d{6}/)?.[0] ?? '') };
  return { sms, sent };
}

const em = () => platform.services.orm.em.fork();
const outcome = (p: Promise<unknown>) => p.then(() => 'ok', (err: unknown) => (err instanceof AppError ? err.code : `ERROR ${String(err)}`));

async function freshCode(purpose = 'contract_sign'): Promise<{ target: CodeTarget; code: string }> {
  const target = { mobile: uniqueMobile(), purpose, subject: `test:${Math.random()}` };
  const { sms, sent } = capture();
  await sendVerificationCode(em(), sms, target, (c) => `code ${c}`);
  return { target, code: sent[0]! };
}

describe('SMS codes under concurrency', () => {
  it('counts every one of 40 parallel wrong guesses (up to the maximum) and then refuses the right code', async () => {
    const { target, code } = await freshCode();
    const wrong = code === '000000' ? '111111' : '000000';
    const results = await Promise.all(Array.from({ length: 40 }, () => outcome(consumeVerificationCode(em(), target, wrong))));
    const row = await em().findOneOrFail(SmsChallengeSchema, { mobile: target.mobile });
    expect(row.attempts).toBe(CODE_RULES.maxAttempts);
    expect(results.every((r) => r === 'SMS_CODE_WRONG' || r === 'SMS_CODE_LOCKED')).toBe(true);
    expect(results.filter((r) => r === 'SMS_CODE_WRONG').length).toBeLessThan(CODE_RULES.maxAttempts);
    expect(await outcome(consumeVerificationCode(em(), target, code))).toBe('SMS_CODE_LOCKED');
  });

  it('accepts the right code exactly once out of 20 parallel submissions', async () => {
    const { target, code } = await freshCode();
    const results = await Promise.all(Array.from({ length: 20 }, () => outcome(consumeVerificationCode(em(), target, code))));
    expect(results.filter((r) => r === 'ok').length).toBe(1);
    expect(new Set(results.filter((r) => r !== 'ok'))).toEqual(new Set(['SMS_CODE_USED']));
  });

  it('a newer code supersedes the older one without updating it', async () => {
    const target = { mobile: uniqueMobile(), purpose: 'contract_sign', subject: 'test:supersede' };
    const { sms, sent } = capture();
    const t0 = new Date();
    await sendVerificationCode(em(), sms, target, (c) => `code ${c}`, null, t0);
    await sendVerificationCode(em(), sms, target, (c) => `code ${c}`, null, new Date(t0.getTime() + CODE_RULES.resendCooldownMs + 1000));
    if (sent[0] !== sent[1]) expect(await outcome(consumeVerificationCode(em(), target, sent[0]!))).toBe('SMS_CODE_WRONG');
    expect(await outcome(consumeVerificationCode(em(), target, sent[1]!))).toBe('ok');
  });

  it('keeps separate budgets per purpose: anonymous login-code requests do not block signing codes', async () => {
    const mobile = uniqueMobile();
    const { sms } = capture();
    const start = Date.now();
    const at = (i: number) => new Date(start + i * (CODE_RULES.resendCooldownMs + 1000)); // past each cooldown, within the hour
    const login = { mobile, purpose: 'login', subject: `login:${mobile}` };
    for (let i = 0; i < CODE_RULES.maxPerMobilePerHour; i++) await sendVerificationCode(em(), sms, login, (c) => c, `10.9.${i}.1`, at(i));
    expect(await outcome(sendVerificationCode(em(), sms, login, (c) => c, '10.9.99.1', at(CODE_RULES.maxPerMobilePerHour)))).toBe('SMS_RATE_LIMITED');
    const signing = { mobile, purpose: 'contract_sign', subject: 'contract:budget' };
    expect(await outcome(sendVerificationCode(em(), sms, signing, (c) => c, '10.9.100.1', at(CODE_RULES.maxPerMobilePerHour)))).toBe('ok');
  });

  it('the unsolicited purposes (login, register, a new number) share one budget per number: asking for each in turn sends no more', async () => {
    const mobile = uniqueMobile();
    const { sms, sent } = capture();
    const start = Date.now();
    const at = (i: number) => new Date(start + i * (CODE_RULES.resendCooldownMs + 1000));
    const targets = [
      { mobile, purpose: 'login', subject: `login:${mobile}` },
      { mobile, purpose: 'register', subject: `register:${mobile}` },
      { mobile, purpose: 'mobile_change_new', subject: `mobile-change:someone:${mobile}` },
    ];
    const answers: string[] = [];
    for (let i = 0; i < CODE_RULES.maxPerMobilePerHour + targets.length; i++) answers.push(await outcome(sendVerificationCode(em(), sms, targets[i % targets.length]!, (c) => c, `10.8.${i}.1`, at(i))));
    expect(answers.filter((a) => a === 'ok')).toHaveLength(CODE_RULES.maxPerMobilePerHour);
    expect(answers.slice(CODE_RULES.maxPerMobilePerHour)).toEqual(Array(targets.length).fill('SMS_RATE_LIMITED'));
    expect(sent).toHaveLength(CODE_RULES.maxPerMobilePerHour);
  });

  it('counts an IPv6 requester by its /64: rotating addresses inside it gains nothing, another /64 is not affected', async () => {
    const { sms } = capture();
    const k = Math.floor(Math.random() * 0xfff0) + 1;
    const net = (n: number) => `2001:db8:${(process.pid % 0xffff).toString(16)}:${n.toString(16)}`;
    const send = (address: string) => outcome(sendVerificationCode(em(), sms, { mobile: uniqueMobile(), purpose: 'register', subject: `register:${Math.random()}` }, (c) => c, address));
    for (let i = 0; i < CODE_RULES.maxPerIpPerHour; i++) expect(await send(`${net(k)}::${(i + 1).toString(16)}`)).toBe('ok');
    expect(await send(`${net(k)}:ffff:ffff:ffff:ffff`)).toBe('SMS_RATE_LIMITED');
    expect(await send(`${net(k + 1)}::1`)).toBe('ok');
  });

  it('parallel code requests for many numbers and for one number never fail with a database error', async () => {
    const { sms } = capture();
    const many = await Promise.all(Array.from({ length: 30 }, () => outcome(sendVerificationCode(em(), sms, { mobile: uniqueMobile(), purpose: 'register', subject: `s:${Math.random()}` }, (c) => c))));
    expect(many.filter((r) => r !== 'ok')).toEqual([]);
    const mobile = uniqueMobile();
    const one = await Promise.all(Array.from({ length: 5 }, (_, i) => outcome(sendVerificationCode(em(), sms, { mobile, purpose: 'contract_sign', subject: `contract:${i}` }, (c) => c))));
    expect(one.filter((r) => r !== 'ok')).toEqual([]);
  });

  it('60 registrations over HTTP, 6 at a time, all succeed (no deadlock answered as 500)', async () => {
    const statuses: number[] = [];
    const registerOne = async () => {
      const mobile = uniqueMobile();
      const c = new ApiClient(platform.baseUrl);
      const codeRes = await c.post('/auth/register/code', { mobile });
      if (codeRes.status !== 200) return statuses.push(codeRes.status);
      const r = await c.post('/auth/register', { mobile, code: await latestSmsCode(platform.services, mobile), password: 'Strong#Pass1', name: '并发' });
      statuses.push(r.status);
    };
    for (let i = 0; i < 60; i += 6) await Promise.all(Array.from({ length: 6 }, registerOne));
    expect(statuses.filter((s) => s !== 201)).toEqual([]);
  }, 180_000);

  it('parallel requests for one code send one message (cooldown) and never exceed the hourly budget', async () => {
    const { sms, sent } = capture();
    const target = { mobile: uniqueMobile(), purpose: 'login', subject: `login:${Math.random()}` };
    const burst = await Promise.all(Array.from({ length: 8 }, () => outcome(sendVerificationCode(em(), sms, target, (c) => `code ${c}`))));
    // Never more than one (two racing requests may both be told to wait; never both sent).
    const ok = burst.filter((r) => r === 'ok').length;
    expect(ok).toBeLessThanOrEqual(1);
    expect(burst.filter((r) => r !== 'ok').every((r) => r === 'SMS_COOLDOWN')).toBe(true);
    expect(sent).toHaveLength(ok);
    expect(await em().count(SmsChallengeSchema, { mobile: target.mobile })).toBe(ok);
    // Distinct subjects (no cooldown between them): 15 parallel requests, at most the budget goes out.
    const mobile = uniqueMobile();
    const many = await Promise.all(Array.from({ length: 15 }, (_, i) => outcome(sendVerificationCode(em(), sms, { mobile, purpose: 'contract_sign', subject: `contract:${i}` }, (c) => `code ${c}`))));
    expect(many.filter((r) => r === 'ok').length).toBeLessThanOrEqual(CODE_RULES.maxPerMobilePerHour);
    expect(await em().count(SmsChallengeSchema, { mobile })).toBeLessThanOrEqual(CODE_RULES.maxPerMobilePerHour);
  });

  it('checks a code held only as its hash the same way (admin transfer path)', async () => {
    const { target, code } = await freshCode('admin_transfer');
    const { consumeVerificationCodeHash } = await import('../../domain/sms/verification-codes');
    const results = await Promise.all(Array.from({ length: 10 }, () => outcome(consumeVerificationCodeHash(em(), target, hashCode(target.subject, code)))));
    expect(results.filter((r) => r === 'ok').length).toBe(1);
  });
  it('reusing a spent code for its unused 意愿认证: a right code compared after a wrong one is refused (one guess between all requests; each request used to compare its own stale read)', async () => {
    const initiator = await createUser(platform.services, '猜码发起');
    const signer = await createUser(platform.services, '猜码签署');
    const api = new ApiClient(platform.baseUrl);
    await api.login(initiator.mobile, TEST_PASSWORD);
    const started = await api.post('/contracts', contractForm(await makePdf(1), { title: '一次猜测', signers: [{ mobile: signer.mobile, name: signer.name, page: 1, x: 100, y: 600 }] }));
    expect(started.status, JSON.stringify(started.json)).toBe(201);
    const c = (await loadContract(em(), started.json.id))!;
    const participant = c.signers[0]!;
    const actor = { id: signer.id, name: signer.name, ip: null };
    const { sms, sent } = capture();
    await requestParticipantCode(em(), sms, c, participant, actor);
    const code = sent[0]!;
    // Confirmed once (the code is now spent), then not signed: the same code may fetch the same confirmation again.
    const confirmed = await confirmParticipantCode(em(), c, participant, actor, code);
    expect(await confirmParticipantCode(em(), c, participant, actor, code)).toBe(confirmed);

    // A wrong and the right code read the confirmation at the same time; the wrong one acts first.
    const paused = () => {
      let open!: () => void;
      let reached!: () => void;
      const gate = new Promise<void>((r) => (open = r));
      const atGate = new Promise<void>((r) => (reached = r));
      const e = em();
      const find = e.find.bind(e) as (...args: unknown[]) => Promise<unknown>;
      Object.assign(e, { find: async (...args: unknown[]) => { const rows = await find(...args); if (args[0] === WillingnessConfirmationSchema) { reached(); await gate; } return rows; } });
      return { e, open, atGate };
    };
    const wrong = paused();
    const right = paused();
    const guessing = outcome(confirmParticipantCode(wrong.e, c, participant, actor, code === '000000' ? '111111' : '000000'));
    await wrong.atGate;
    const retrying = outcome(confirmParticipantCode(right.e, c, participant, actor, code));
    await right.atGate;
    wrong.open();
    expect(await guessing).toBe('SMS_CODE_USED');
    right.open();
    expect(await retrying).toBe('SMS_CODE_USED');
    expect(await em().count(WillingnessConfirmationSchema, { id: confirmed, codeHash: { $ne: null } })).toBe(0);
  });
});
