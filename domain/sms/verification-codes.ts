import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { raw, type EntityManager } from '@mikro-orm/core';
import type { SmsSender } from '../../integrations/sms';
import { AppError } from '../errors';
import { retryOnDeadlock, updateWhere } from '../persistence/concurrency';
import { clientNetwork } from '../identity/client-network';
import { maskMobile } from '../identity/masking';
import { budgetPurposes, CODE_RULES, checkCodeHash, generateCode, hashCode, resendWaitMs, type CodeCheck } from './code-rules';
import { SmsChallengeSchema, type SmsChallenge } from './sms.entities';

export interface CodeTarget {
  mobile: string;
  purpose: string;
  /** What the code is for, e.g. `contract:<id>`; a code only checks out for the same subject. */
  subject: string;
}

export interface SentCode {
  expiresAt: Date;
  resendAfterSeconds: number;
}

/**
 * A sent code as the API answers its request (the UIs import the type): the mobile it went to (masked), when it
 * expires, when another may be asked for. 签署 (v1 and v2), 修改密码 and 批量签署 (with its batch) answer it.
 */
export const presentSentCode = (mobile: string, sent: SentCode) => ({ sentTo: maskMobile(mobile), expiresAt: sent.expiresAt.toISOString(), resendAfterSeconds: sent.resendAfterSeconds });
export type SentCodeView = ReturnType<typeof presentSentCode>;

const rateLimited = () => new AppError('rate_limited', 'SMS_RATE_LIMITED', '验证码请求过于频繁，请 1 小时后再试', 'Too many code requests; try again in an hour', { retryAfterSeconds: 3600 });

/**
 * Sends a fresh code (respecting the resend cooldown and the hourly budgets); earlier codes for
 * the same target stop working because only the newest challenge of a target is ever checked.
 * Budgets are per purpose (the unsolicited ones share one: code-rules.ts): anonymous login-code
 * requests cannot use up a signer's signing codes. The per-address budget counts the requester's
 * network (an IPv6 /64, not each of its addresses).
 * Sending is a single INSERT: no UPDATE over a secondary-index range (whose gap locks made
 * concurrent requests deadlock on MariaDB).
 */
export async function sendVerificationCode(em: EntityManager, sms: SmsSender, target: CodeTarget, text: (code: string) => string, requestIp: string | null = null, now = new Date()): Promise<SentCode> {
  const requestNetwork = requestIp === null ? null : clientNetwork(requestIp);
  const early = await budgetRefusal(em, target, requestNetwork, now, null);
  if (early) throw early;
  const code = generateCode();
  const id = randomUUID();
  const expiresAt = new Date(now.getTime() + CODE_RULES.ttlMs);
  await retryOnDeadlock(() => em.insert(SmsChallengeSchema, { id, ...target, codeHash: hashCode(target.subject, code), createdAt: now, expiresAt, attempts: 0, consumedAt: null, requestNetwork }));
  // Parallel requests all passed the early check: counted again with this row in, the budgets and
  // the cooldown let only the first through, so no parallel burst sends more than one code.
  const late = await budgetRefusal(em, target, requestNetwork, now, id);
  if (late) {
    await em.nativeDelete(SmsChallengeSchema, { id });
    throw late;
  }
  await sms.send({ mobile: target.mobile, purpose: target.purpose, content: text(code) });
  return { expiresAt, resendAfterSeconds: CODE_RULES.resendCooldownMs / 1000 };
}

/**
 * Why no code may be sent now, or null. `ownId`: this request's row is already in. Checked once
 * before and once after the insert: two parallel requests may both be refused, never both sent.
 */
async function budgetRefusal(em: EntityManager, target: CodeTarget, requestNetwork: string | null, now: Date, ownId: string | null): Promise<AppError | null> {
  const hourAgo = new Date(now.getTime() - 3600_000);
  const window = { createdAt: { $gt: hourAgo } };
  const purpose = { $in: [...budgetPurposes(target.purpose)] };
  // With its own row in, a request counts one more; rows of concurrent requests count too (conservative).
  const allowed = (max: number) => (ownId ? max + 1 : max);
  if ((await em.count(SmsChallengeSchema, { mobile: target.mobile, purpose, ...window })) >= allowed(CODE_RULES.maxPerMobilePerHour)) return rateLimited();
  if (requestNetwork && (await em.count(SmsChallengeSchema, { requestNetwork, purpose, ...window })) >= allowed(CODE_RULES.maxPerIpPerHour)) return rateLimited();
  // Any other code of the target within the cooldown, earlier or concurrent, means wait.
  const others = await em.find(SmsChallengeSchema, { ...target, ...(ownId ? { id: { $ne: ownId } } : {}), createdAt: { $gt: new Date(now.getTime() - CODE_RULES.resendCooldownMs) } }, { orderBy: [{ createdAt: 'desc' }], refresh: true });
  const last = others.find((r) => r.createdAt.getTime() <= now.getTime()) ?? others.at(-1) ?? null;
  const wait = last ? Math.max(1000, resendWaitMs(last.createdAt, now)) : 0;
  if (wait <= 0) return null;
  const s = Math.max(1, Math.ceil(wait / 1000));
  return new AppError('rate_limited', 'SMS_COOLDOWN', `验证码发送过于频繁，请 ${s} 秒后再试`, `Please wait ${s} s before requesting another code`, { retryAfterSeconds: s });
}

/** The newest challenge of a target, read from the database (never a stale copy from the identity map). */
function latestChallenge(em: EntityManager, target: CodeTarget): Promise<SmsChallenge | null> {
  return em.findOne(SmsChallengeSchema, target, { orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], refresh: true });
}

/** Consumes a code if it checks out; otherwise counts the attempt and throws a clear error. */
export function consumeVerificationCode(em: EntityManager, target: CodeTarget, submitted: string, now = new Date()): Promise<void> {
  return consumeVerificationCodeHashes(em, [{ target, submittedHash: hashCode(target.subject, submitted.trim()) }], now);
}

/** The same for a code the caller holds only as `hashCode(target.subject, code)`. */
export function consumeVerificationCodeHash(em: EntityManager, target: CodeTarget, submittedHash: string, now = new Date()): Promise<void> {
  return consumeVerificationCodeHashes(em, [{ target, submittedHash }], now);
}

/** Several codes that must all check out (e.g. old and new mobile): none is consumed unless all are right. */
export function consumeVerificationCodes(em: EntityManager, items: { target: CodeTarget; code: string }[], now = new Date()): Promise<void> {
  return consumeVerificationCodeHashes(em, items.map((i) => ({ target: i.target, submittedHash: hashCode(i.target.subject, i.code.trim()) })), now);
}

/** Counts one wrong guess, unless the challenge is already used up: affected rows say whether it counted. */
const countWrongGuess = (em: EntityManager, id: string) =>
  updateWhere(em, SmsChallengeSchema, { id, consumedAt: null, attempts: { $lt: CODE_RULES.maxAttempts } }, { attempts: raw('attempts + 1') });

/** Marks a challenge used if nobody else did and it is still usable: exactly one request can win. */
const spend = (em: EntityManager, id: string, now: Date) =>
  updateWhere(em, SmsChallengeSchema, { id, consumedAt: null, attempts: { $lt: CODE_RULES.maxAttempts }, expiresAt: { $gte: now } }, { consumedAt: now });

/** Why a challenge can no longer be used, read after a conditional update changed nothing. */
async function stateNow(em: EntityManager, id: string, now: Date): Promise<{ result: Exclude<CodeCheck, 'ok' | 'wrong'> | 'wrong'; attempts: number }> {
  const fresh = await em.findOneOrFail(SmsChallengeSchema, { id }, { refresh: true });
  if (fresh.consumedAt) return { result: 'consumed', attempts: fresh.attempts };
  if (fresh.attempts >= CODE_RULES.maxAttempts) return { result: 'too_many_attempts', attempts: fresh.attempts };
  if (now.getTime() > fresh.expiresAt.getTime()) return { result: 'expired', attempts: fresh.attempts };
  return { result: 'wrong', attempts: fresh.attempts };
}

/**
 * Checks every item against the newest challenge of its target. Wrong guesses are counted with a
 * conditional increment (parallel guesses are all counted, up to the maximum); a right code is
 * spent with a conditional update (parallel submissions of it: exactly one wins).
 */
async function consumeVerificationCodeHashes(em: EntityManager, items: { target: CodeTarget; submittedHash: string }[], now: Date): Promise<void> {
  const checked: { challenge: SmsChallenge; result: CodeCheck }[] = [];
  for (const { target, submittedHash } of items) {
    const challenge = await latestChallenge(em, target);
    if (!challenge) throw new AppError('rejected', 'SMS_CODE_MISSING', '请先获取验证码', 'Request a code first');
    checked.push({ challenge, result: checkCodeHash(challenge, submittedHash, now) });
  }
  const failed = checked.find((c) => c.result !== 'ok');
  if (failed) {
    let failure: { result: Exclude<CodeCheck, 'ok'>; attempts: number } = { result: failed.result as Exclude<CodeCheck, 'ok'>, attempts: failed.challenge.attempts };
    for (const c of checked.filter((x) => x.result === 'wrong')) {
      const counted = await countWrongGuess(em, c.challenge.id);
      if (c !== failed) continue;
      const fresh = await stateNow(em, c.challenge.id, now);
      failure = counted ? { result: 'wrong', attempts: fresh.attempts } : fresh;
    }
    throw codeError(failure.result, CODE_RULES.maxAttempts - failure.attempts);
  }
  const spent: string[] = [];
  for (const { challenge } of checked) {
    if ((await spend(em, challenge.id, now)) === 1) {
      spent.push(challenge.id);
      spentInScope.getStore()?.push(challenge.id);
      continue;
    }
    // Someone else used it (or it ran out) in the meantime: give back what this request took.
    for (const id of spent) await updateWhere(em, SmsChallengeSchema, { id, consumedAt: now }, { consumedAt: null });
    const state = await stateNow(em, challenge.id, now);
    throw codeError(state.result === 'wrong' ? 'consumed' : state.result, CODE_RULES.maxAttempts - state.attempts);
  }
}

/** The codes spent within a `givingBackCodesOnConflict` change (its async scope). */
const spentInScope = new AsyncLocalStorage<string[]>();

/**
 * Runs a change that spends SMS codes and writes in one transaction afterwards (the spend commits at once: a right
 * code is used exactly once, whoever races). When the change then loses a race (a 409 `conflict`: its transaction
 * wrote nothing), the codes it spent are given back, so the user retries
 * with the same code instead of requesting another one (and using up the hourly budget).
 */
export async function givingBackCodesOnConflict<T>(em: EntityManager, change: () => Promise<T>): Promise<T> {
  const spent: string[] = [];
  try {
    return await spentInScope.run(spent, change);
  } catch (err) {
    // Nobody else can have changed `consumed_at` since this change spent it (the spend is conditional on NULL).
    if (err instanceof AppError && err.kind === 'conflict') {
      for (const id of spent) await updateWhere(em.fork(), SmsChallengeSchema, { id, consumedAt: { $ne: null } }, { consumedAt: null }).catch(() => undefined);
    }
    throw err;
  }
}

function codeError(result: Exclude<CodeCheck, 'ok'>, left: number): AppError {
  // A wrong guess that used up the last attempt reads the same as one made after it.
  switch (result === 'wrong' && left <= 0 ? 'too_many_attempts' : result) {
    case 'expired':
      return new AppError('rejected', 'SMS_CODE_EXPIRED', '验证码已过期，请重新获取', 'The code has expired; request a new one');
    case 'too_many_attempts':
      return new AppError('rejected', 'SMS_CODE_LOCKED', '验证码错误次数过多，请重新获取', 'Too many wrong attempts; request a new code');
    case 'consumed':
      return new AppError('rejected', 'SMS_CODE_USED', '验证码已使用，请重新获取', 'The code was already used; request a new one');
    case 'wrong':
      return new AppError('rejected', 'SMS_CODE_WRONG', `验证码错误，还可尝试 ${left} 次`, `Wrong code; ${left} attempts left`);
  }
}
