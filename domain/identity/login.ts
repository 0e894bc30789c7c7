import type { EntityManager } from '@mikro-orm/core';
import type { SmsSender } from '../../integrations/sms';
import { recordAudit, type AuditActor } from '../audit/record-audit';
import { AppError } from '../errors';
import { consumeVerificationCode, sendVerificationCode } from '../sms/verification-codes';
import { checkCodeHash, hashCode, type CodeCheck } from '../sms/code-rules';
import { SmsChallengeSchema } from '../sms/sms.entities';
import { clientNetwork } from './client-network';
import { attemptFailed, clearAttempts, forgiveAttempt, secondsUntil, takeAttempt, type AttemptTicket, type ThrottleRule } from './attempt-throttle';
import { maskMobile } from './masking';
import { hashPassword, verifyPassword } from './passwords';
import { retryOnDeadlock } from '../persistence/concurrency';
import { findRow } from '../persistence/plain-rows';
import { createSession, endSession } from './sessions';
import { UserSchema, type User } from './user.entity';

/**
 * Password lockout per account (mobile number, known or not): this many wrong passwords in a
 * window lock password login for `lockMs` (SMS login still works and lifts the lock). Wrong
 * current passwords on 修改密码 count the same.
 */
export const LOGIN_RULES: ThrottleRule = { max: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };
/** Per requesting network (an IPv4 address, an IPv6 /64: client-network.ts): failed password checks from it, across accounts. */
export const LOGIN_IP_RULES: ThrottleRule = { max: 30, windowMs: 15 * 60_000, lockMs: 15 * 60_000 };

export const accountThrottleKey = (mobile: string) => `login:${mobile.slice(0, 40)}`;
const ipThrottleKey = (ip: string) => `login-ip:${clientNetwork(ip)}`;

const badCredentials = () => new AppError('unauthenticated', 'BAD_CREDENTIALS', '手机号或密码错误', 'Wrong mobile number or password');
const lockedError = (until: Date, now: Date) => {
  const minutes = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 60_000));
  return new AppError('rate_limited', 'ACCOUNT_LOCKED', `密码错误次数过多，账号已锁定，请 ${minutes} 分钟后再试或使用短信验证码登录`, `Too many wrong passwords; try again in ${minutes} min or log in with an SMS code`, { retryAfterSeconds: minutes * 60 });
};
const ipThrottled = (until: Date, now: Date) => {
  return new AppError('rate_limited', 'TOO_MANY_ATTEMPTS', '尝试次数过多，请稍后再试', 'Too many attempts from this address; try again later', { retryAfterSeconds: secondsUntil(until, now) });
};

/** A real argon2id hash of a random secret: unknown numbers cost the same verification as known ones. */
let dummyHash: Promise<string> | null = null;
const dummyPasswordHash = () => (dummyHash ??= hashPassword(`no-such-user-${Math.random()}`));

export interface LoginResult {
  user: User;
  token: string;
  expiresAt: Date;
}

/**
 * Opens the session of a login whose credentials were accepted (`user` as read before they were checked;
 * exported for the race's test: the login functions below are its only callers).
 * A password or number change ends the user's other sessions, but one that commits while this login is
 * being checked (argon2 takes tens of milliseconds) may end them before this session is inserted. So the
 * credentials are read again once the session exists: the change writes them before it ends sessions, so
 * either that read sees the change or the change's clean-up sees this session. Changed: the session goes.
 */
export async function startSession(em: EntityManager, user: User, ip: string | null, method: 'password' | 'sms'): Promise<LoginResult> {
  await clearAccountAttempts(em, user, { id: user.id, name: user.name, ip }, method);
  const session = await createSession(em, user.id, ip);
  const now = await findRow(em.fork(), UserSchema, { id: user.id });
  if (!now || now.passwordHash !== user.passwordHash || now.mobile !== user.mobile) {
    await endSession(em, session.token);
    throw badCredentials();
  }
  recordAudit(em, { id: user.id, name: user.name, ip }, { action: 'auth.login', targetType: 'user', targetId: user.id, detail: { method } });
  await em.flush();
  return { user, ...session };
}

/**
 * A login (or a right current password) starts the account's password attempts afresh. A password lock it
 * lifts (an SMS login while locked, or a lock set by parallel wrong passwords while this one was checked)
 * is audited as `auth.unlocked`, in the lifting's transaction.
 */
async function clearAccountAttempts(em: EntityManager, user: User, actor: AuditActor, method: 'password' | 'sms'): Promise<void> {
  await retryOnDeadlock(() =>
    em.fork().transactional(async (tx) => {
      if (await clearAttempts(tx, accountThrottleKey(user.mobile))) recordAudit(tx, actor, { action: 'auth.unlocked', targetType: 'user', targetId: user.id, detail: { method } });
    }),
  );
}

/** The account's ticket for one password attempt; a lock this attempt sets (counted past the window's allowance) is audited with it. */
async function takeAccountAttempt(em: EntityManager, mobile: string, actor: AuditActor, target: { targetType: 'user'; targetId: string }, now: Date): Promise<AttemptTicket> {
  return retryOnDeadlock(() =>
    em.fork().transactional(async (tx) => {
      const ticket = await takeAttempt(tx, accountThrottleKey(mobile), LOGIN_RULES, now);
      if (!ticket.allowed && ticket.newlyLocked) recordAudit(tx, actor, { action: 'auth.locked', ...target, detail: { method: 'password' } });
      return ticket;
    }),
  );
}

/**
 * The one place a password is checked against the lockout: the attempt is counted first (atomic),
 * then evaluated only if it is within the account's (and the IP's) allowance. Unknown accounts
 * (`user` null) do the same work against a dummy hash and get the same answers. Throws
 * ACCOUNT_LOCKED / TOO_MANY_ATTEMPTS, or `wrong()` for a wrong password.
 */
export async function checkPasswordThrottled(em: EntityManager, args: { mobile: string; user: User | null; password: string; actor: AuditActor; wrong: () => AppError }, now = new Date()): Promise<void> {
  const ipTicket = args.actor.ip ? await takeAttempt(em, ipThrottleKey(args.actor.ip), LOGIN_IP_RULES, now) : null;
  if (ipTicket && !ipTicket.allowed) throw ipThrottled(ipTicket.lockedUntil, now);
  // An unknown number is recorded masked: operators see that attempts were made, not which numbers were tried.
  const target = { targetType: 'user' as const, targetId: args.user?.id ?? maskMobile(args.mobile).slice(0, 36) };
  const ticket = await takeAccountAttempt(em, args.mobile, args.actor, target, now);
  if (!ticket.allowed) throw lockedError(ticket.lockedUntil, now);
  const matches = await verifyPassword(args.user?.passwordHash ?? (await dummyPasswordHash()), args.password);
  if (matches && args.user) {
    await clearAccountAttempts(em, args.user, args.actor, 'password');
    if (ipTicket) await forgiveAttempt(em, ipTicket.key);
    return;
  }
  // The lock and its audit rows commit together: committed alone, a failure before the rows left a lock nobody
  // audited (a retry finds it set and writes nothing).
  const locked = await retryOnDeadlock(() =>
    em.fork().transactional(async (tx) => {
      recordAudit(tx, args.actor, { action: 'auth.login_failed', ...target, detail: { method: 'password' } });
      const lock = await attemptFailed(tx, ticket, LOGIN_RULES, now);
      if (lock?.newlyLocked) recordAudit(tx, args.actor, { action: 'auth.locked', ...target });
      return lock;
    }),
  );
  throw locked ? lockedError(locked.lockedUntil, now) : args.wrong();
}

/** Password login with lockout. A new session (fresh cookie) at every login. */
export async function loginWithPassword(em: EntityManager, mobile: string, password: string, ip: string | null, now = new Date()): Promise<LoginResult> {
  const user = await em.findOne(UserSchema, { mobile });
  await checkPasswordThrottled(em, { mobile, user, password, actor: { id: user?.id ?? null, name: user?.name ?? maskMobile(mobile), ip }, wrong: badCredentials }, now);
  return startSession(em, user!, ip, 'password');
}

const loginTarget = (mobile: string) => ({ mobile, purpose: 'login', subject: `login:${mobile}` });

/**
 * Sends a login code. Unknown numbers get the same answer (no account enumeration) but no message —
 * and in the same time, with the same outcome: a gateway's delivery (a network call whose latency and
 * failures only a registered number would show) runs after the answer, its failure logged; the user
 * asks again after the cooldown. The embedded outbox is a row written here, as fast as no message.
 */
export async function requestLoginCode(em: EntityManager, sms: SmsSender, mobile: string, ip: string | null) {
  const user = await em.findOne(UserSchema, { mobile });
  const afterAnswer: SmsSender = {
    async send(message) {
      if (!user) return;
      if (sms.transactional) return sms.send(message);
      void sms.send(message).catch((err: unknown) => console.warn(`[sms] login code to ${maskMobile(message.mobile)} not delivered: ${err instanceof Error ? err.message : String(err)}`));
    },
  };
  const sent = await sendVerificationCode(em, afterAnswer, loginTarget(mobile), (code) => `【SealFlow】您的登录验证码为 ${code}，5 分钟内有效。`, ip);
  return { expiresAt: sent.expiresAt.toISOString(), resendAfterSeconds: sent.resendAfterSeconds };
}

/**
 * Wrong SMS login codes per requesting network (an IPv4 address, an IPv6 /64), across numbers: the one
 * that reaches `max` in an hour locks SMS login from that network for an hour (429 with Retry-After,
 * before any code is checked). Counted before the code is checked (attempt-throttle.ts), so parallel
 * guesses cannot get more than `max` checked; attempts that check no code (no code sent, expired, used,
 * already locked) and right codes are given back.
 */
export const SMS_LOGIN_IP_RULES: ThrottleRule = { max: 20, windowMs: 60 * 60_000, lockMs: 60 * 60_000 };
/**
 * Wrong SMS login codes per number (known or not), across its codes and all networks: once the codes
 * sent within the last `windowMs` have taken `max` wrong guesses, SMS login for the number is refused
 * (429 SMS_LOGIN_LOCKED, right codes too) until enough of them are older than the window. Well above
 * what one network may guess (SMS_LOGIN_IP_RULES: 20 an hour): one network alone needs three of its
 * windows (over two hours) to reach it; guessing at scale gets at most `max` (+ the tries left on one
 * code in flight) per account a day. The count is the sum of the codes' own attempt counters (each
 * raised by one conditional UPDATE per checked wrong guess, verification-codes.ts): exactly the
 * guesses that were checked, on either dialect; parallel guesses past a code's 5 tries add nothing.
 */
export const SMS_LOGIN_RULES = { max: 50, windowMs: 24 * 3600_000 } as const;

const smsIpThrottleKey = (ip: string) => `login-sms-ip:${clientNetwork(ip)}`;
/** Taken when a wrong code leaves a number at SMS_LOGIN_RULES.max: the first (atomic counter) writes the `auth.locked` row, parallel ones and later ones within the day do not. */
const smsLockedKey = (mobile: string) => `login-sms-locked:${mobile.slice(0, 40)}`;

const smsLoginLocked = (until: Date, now: Date) => {
  const seconds = secondsUntil(until, now);
  const [zh, en] = seconds > 3600 ? [`${Math.ceil(seconds / 3600)} 小时`, `${Math.ceil(seconds / 3600)} h`] : [`${Math.ceil(seconds / 60)} 分钟`, `${Math.ceil(seconds / 60)} min`];
  return new AppError('rate_limited', 'SMS_LOGIN_LOCKED', `该手机号的短信验证码错误次数过多，短信登录已暂停，请 ${zh}后再试或使用密码登录`, `Too many wrong SMS codes for this number: SMS login is paused; try again in ${en} or log in with your password`, { retryAfterSeconds: seconds });
};

/**
 * The login codes of a number sent within the SMS_LOGIN_RULES window (newest first), the wrong
 * guesses they took, and until when the number's SMS login is refused (null: it is not).
 */
async function smsLoginGuesses(em: EntityManager, mobile: string, now: Date) {
  const since = new Date(now.getTime() - SMS_LOGIN_RULES.windowMs);
  const codes = await em.find(SmsChallengeSchema, { ...loginTarget(mobile), createdAt: { $gt: since } }, { orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], refresh: true });
  const wrong = codes.reduce((n, c) => n + c.attempts, 0);
  let lockedUntil: Date | null = null;
  // Refused until enough of the oldest codes' guesses have left the window.
  for (let i = codes.length - 1, left = wrong; i >= 0 && left >= SMS_LOGIN_RULES.max; i--) {
    left -= codes[i]!.attempts;
    lockedUntil = new Date(codes[i]!.createdAt.getTime() + SMS_LOGIN_RULES.windowMs);
  }
  return { newest: codes[0] ?? null, wrong, lockedUntil };
}

/** Of these numbers, those whose SMS login is refused now (SMS_LOGIN_RULES): for the operators' user list. */
export async function smsLoginLockedMobiles(em: EntityManager, mobiles: string[], now = new Date()): Promise<Set<string>> {
  if (mobiles.length === 0) return new Set();
  const since = new Date(now.getTime() - SMS_LOGIN_RULES.windowMs);
  const codes = await em.find(SmsChallengeSchema, { mobile: { $in: mobiles }, purpose: 'login', createdAt: { $gt: since } }, { fields: ['mobile', 'subject', 'attempts'] });
  const wrong = new Map<string, number>();
  for (const c of codes) if (c.subject === loginTarget(c.mobile).subject) wrong.set(c.mobile, (wrong.get(c.mobile) ?? 0) + c.attempts);
  return new Set([...wrong].filter(([, n]) => n >= SMS_LOGIN_RULES.max).map(([mobile]) => mobile));
}

/**
 * SMS login. Before any code is checked: the network's wrong-code allowance is taken (SMS_LOGIN_IP_RULES)
 * and the number's is read (SMS_LOGIN_RULES). Unknown numbers have codes too (requestLoginCode stores
 * one without sending it): same answers, same counting. Wrong codes are audited like wrong passwords
 * (unknown numbers masked), the lock of a number once.
 */
export async function loginWithSmsCode(em: EntityManager, mobile: string, code: string, ip: string | null, now = new Date()): Promise<LoginResult> {
  const ipTicket = ip ? await takeAttempt(em, smsIpThrottleKey(ip), SMS_LOGIN_IP_RULES, now) : null;
  if (ipTicket && !ipTicket.allowed) throw ipThrottled(ipTicket.lockedUntil, now);
  const giveBack = async () => {
    if (ipTicket) await forgiveAttempt(em, ipTicket.key);
  };
  const before = await smsLoginGuesses(em, mobile, now);
  if (before.lockedUntil) {
    await giveBack();
    throw smsLoginLocked(before.lockedUntil, now);
  }
  // What the code is against the newest code as read now: whether a "locked" answer below was a guess checked against a live code.
  const target = loginTarget(mobile);
  const seen: CodeCheck | 'missing' = before.newest ? checkCodeHash(before.newest, hashCode(target.subject, code.trim()), now) : 'missing';
  let user: User | null;
  try {
    await consumeVerificationCode(em, target, code, now);
    user = await em.findOne(UserSchema, { mobile });
    // A right code for a number without an account (a guess: none was sent) fails like a wrong one.
    if (!user) throw badCredentials();
  } catch (err) {
    const answer = err instanceof AppError ? err.code : null;
    const wrongCode = answer === 'SMS_CODE_WRONG' || answer === 'BAD_CREDENTIALS' || (answer === 'SMS_CODE_LOCKED' && seen === 'wrong');
    if (!wrongCode) {
      await giveBack();
      throw err;
    }
    throw await smsLoginFailed(em, { mobile, ip, ipTicket, now, err: err as AppError });
  }
  await giveBack();
  return startSession(em, user, ip, 'sms');
}

/** A wrong SMS login code: audited, the network's allowance used (its lock at the last), the number's lock checked. Returns the answer. */
async function smsLoginFailed(em: EntityManager, args: { mobile: string; ip: string | null; ipTicket: AttemptTicket | null; now: Date; err: AppError }): Promise<AppError> {
  const { mobile, now } = args;
  const user = await em.findOne(UserSchema, { mobile });
  const actor: AuditActor = { id: user?.id ?? null, name: user?.name ?? maskMobile(mobile), ip: args.ip };
  // An unknown number is recorded masked: operators see that codes were guessed, not which numbers were tried.
  const target = { targetType: 'user' as const, targetId: user?.id ?? maskMobile(mobile).slice(0, 36) };
  const ipTicket = args.ipTicket?.allowed ? args.ipTicket : null;
  // The network's lock, the number's pause marker and their audit rows commit together: committed alone, a failure
  // before the rows left the lock (or the marker, so no later guess writes the number's `auth.locked`) unaudited.
  return retryOnDeadlock(() =>
    em.fork().transactional(async (tx) => {
      const networkLock = ipTicket ? await attemptFailed(tx, ipTicket, SMS_LOGIN_IP_RULES, now) : null;
      recordAudit(tx, actor, { action: 'auth.login_failed', ...target, detail: { method: 'sms', ...(networkLock?.newlyLocked ? { networkLocked: true } : {}) } });
      const after = await smsLoginGuesses(tx, mobile, now);
      let answer = networkLock ? ipThrottled(networkLock.lockedUntil, now) : args.err;
      if (after.lockedUntil) {
        const first = await takeAttempt(tx, smsLockedKey(mobile), { max: 1, windowMs: SMS_LOGIN_RULES.windowMs, lockMs: SMS_LOGIN_RULES.windowMs }, now);
        if (first.allowed) recordAudit(tx, actor, { action: 'auth.locked', ...target, detail: { method: 'sms', wrongCodes: after.wrong } });
        answer = smsLoginLocked(after.lockedUntil, now);
      }
      return answer;
    }),
  );
}
