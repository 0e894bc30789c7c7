import { createHmac, hkdfSync, randomInt, timingSafeEqual } from 'node:crypto';

/** Rules for SMS verification codes (意愿认证, login, registration). Pure; persistence is in verification-codes.ts. */
export const CODE_RULES = {
  length: 6,
  ttlMs: 5 * 60_000,
  maxAttempts: 5,
  resendCooldownMs: 60_000,
  /**
   * Sending budgets over a sliding hour, per purpose (login, register, contract_sign, …): per
   * mobile number and per requesting network (an IPv4 address, an IPv6 /64: client-network.ts).
   * Separate budgets mean anonymous login-code requests for someone's number cannot block the codes
   * that person needs to sign. The UNSOLICITED purposes share one budget (budgetPurposes).
   */
  maxPerMobilePerHour: 10,
  maxPerIpPerHour: 30,
} as const;

/**
 * Purposes whose codes anyone can have sent to any number: without an account (login, register) or
 * to a number the requester does not hold yet (the new number of 更换手机号). They share ONE budget per
 * number and per network, so a number cannot be flooded by asking for each of them in turn; every
 * other purpose's codes go to the requester's own verified number and keep a budget of their own.
 */
export const UNSOLICITED_PURPOSES: readonly string[] = ['login', 'register', 'mobile_change_new'];

/** The purposes whose sent codes count toward the budget of a code for `purpose`. */
export function budgetPurposes(purpose: string): readonly string[] {
  return UNSOLICITED_PURPOSES.includes(purpose) ? UNSOLICITED_PURPOSES : [purpose];
}

export type CodeCheck = 'ok' | 'expired' | 'too_many_attempts' | 'wrong' | 'consumed';

export interface ChallengeState {
  codeHash: string;
  expiresAt: Date;
  attempts: number;
  consumedAt: Date | null;
}

export function generateCode(): string {
  return String(randomInt(0, 10 ** CODE_RULES.length)).padStart(CODE_RULES.length, '0');
}

/**
 * The key of code hashes: HKDF-SHA256(MASTER_KEY, salt "sealflow/sms-code-hash", info "sealflow/v1/sms-code"), a key of
 * its own. Set once per process at start-up (bootstrap/services.ts `createServices`, which every process that sends
 * or checks codes goes through); the API and the worker share it through MASTER_KEY (a code submitted to the API is
 * checked by a workflow's activity). Keyed, not a plain hash: a code has 10⁶ values and its subject is known, so an
 * unkeyed hash in a database dump, a replica or a backup gives back every live code at once.
 */
let codeKey: Buffer | null = null;

export function setCodeHashKey(masterKey: string): void {
  if (typeof masterKey !== 'string' || masterKey.length === 0) throw new Error('master key must be a non-empty string');
  codeKey = Buffer.from(hkdfSync('sha256', Buffer.from(masterKey, 'utf8'), 'sealflow/sms-code-hash', 'sealflow/v1/sms-code', 32));
}

/** HMAC-SHA-256 of the code under its subject (64 hex characters). */
export function hashCode(subject: string, code: string): string {
  if (!codeKey) throw new Error('SMS code hash key not set: createServices sets it from MASTER_KEY (setCodeHashKey)');
  return createHmac('sha256', codeKey).update(`${subject}\u0000${code}`).digest('hex');
}

/** Checks a submitted code. Attempts are counted by the caller for every result except 'ok'. */
export function checkCode(challenge: ChallengeState, subject: string, submitted: string, now: Date): CodeCheck {
  return checkCodeHash(challenge, hashCode(subject, submitted.trim()), now);
}

/** Same check for a code kept only as its hash (see CodeSubmission). */
export function checkCodeHash(challenge: ChallengeState, submittedHash: string, now: Date): CodeCheck {
  if (challenge.consumedAt) return 'consumed';
  if (challenge.attempts >= CODE_RULES.maxAttempts) return 'too_many_attempts';
  if (now.getTime() > challenge.expiresAt.getTime()) return 'expired';
  const expected = Buffer.from(challenge.codeHash, 'hex');
  const actual = Buffer.from(submittedHash, 'hex');
  return expected.length === actual.length && timingSafeEqual(expected, actual) ? 'ok' : 'wrong';
}

/** Milliseconds until another code may be sent, given when the last one was. */
export function resendWaitMs(lastSentAt: Date | null, now: Date): number {
  if (!lastSentAt) return 0;
  return Math.max(0, lastSentAt.getTime() + CODE_RULES.resendCooldownMs - now.getTime());
}
