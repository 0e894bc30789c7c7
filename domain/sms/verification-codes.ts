import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import type { SmsSender } from '../../integrations/sms';
import { AppError } from '../errors';
import { CODE_RULES, checkCodeHash, generateCode, hashCode, resendWaitMs, type CodeCheck } from './code-rules';
import { SmsChallengeSchema } from './sms.entities';

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

/** Sends a fresh code (respecting the resend cooldown); earlier codes for the same target stop working. */
export async function sendVerificationCode(em: EntityManager, sms: SmsSender, target: CodeTarget, text: (code: string) => string, requestIp: string | null = null, now = new Date()): Promise<SentCode> {
  const hourAgo = new Date(now.getTime() - 3600_000);
  const perMobile = await em.count(SmsChallengeSchema, { mobile: target.mobile, createdAt: { $gt: hourAgo } });
  const perIp = requestIp ? await em.count(SmsChallengeSchema, { requestIp, createdAt: { $gt: hourAgo } }) : 0;
  if (perMobile >= CODE_RULES.maxPerMobilePerHour || perIp >= CODE_RULES.maxPerIpPerHour) {
    throw new AppError('rate_limited', 'SMS_RATE_LIMITED', '验证码请求过于频繁，请 1 小时后再试', 'Too many code requests; try again in an hour', { retryAfterSeconds: 3600 });
  }
  const last = await em.findOne(SmsChallengeSchema, { mobile: target.mobile, purpose: target.purpose, subject: target.subject }, { orderBy: { createdAt: 'desc' } });
  const wait = resendWaitMs(last?.createdAt ?? null, now);
  if (wait > 0) {
    const s = Math.ceil(wait / 1000);
    throw new AppError('rate_limited', 'SMS_COOLDOWN', `验证码发送过于频繁，请 ${s} 秒后再试`, `Please wait ${s} s before requesting another code`, { retryAfterSeconds: s });
  }
  const code = generateCode();
  await em.transactional(async (tx) => {
    await tx.nativeUpdate(SmsChallengeSchema, { ...target, consumedAt: null }, { consumedAt: now });
    tx.create(SmsChallengeSchema, {
      id: randomUUID(),
      ...target,
      codeHash: hashCode(target.subject, code),
      createdAt: now,
      expiresAt: new Date(now.getTime() + CODE_RULES.ttlMs),
      attempts: 0,
      consumedAt: null,
      requestIp,
    });
  });
  await sms.send({ mobile: target.mobile, purpose: target.purpose, content: text(code) });
  return { expiresAt: new Date(now.getTime() + CODE_RULES.ttlMs), resendAfterSeconds: CODE_RULES.resendCooldownMs / 1000 };
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

async function consumeVerificationCodeHashes(em: EntityManager, items: { target: CodeTarget; submittedHash: string }[], now: Date): Promise<void> {
  const checked = [];
  for (const { target, submittedHash } of items) {
    const challenge = await em.findOne(SmsChallengeSchema, { ...target, consumedAt: null }, { orderBy: { createdAt: 'desc' } });
    if (!challenge) throw new AppError('rejected', 'SMS_CODE_MISSING', '请先获取验证码', 'Request a code first');
    const result = checkCodeHash(challenge, submittedHash, now);
    if (result === 'wrong') challenge.attempts += 1;
    checked.push({ challenge, result });
  }
  const failed = checked.find((c) => c.result !== 'ok');
  if (!failed) for (const c of checked) c.challenge.consumedAt = now;
  await em.flush();
  if (failed) throw codeError(failed.result as Exclude<CodeCheck, 'ok'>, CODE_RULES.maxAttempts - failed.challenge.attempts);
}

function codeError(result: Exclude<CodeCheck, 'ok'>, left: number): AppError {
  switch (result) {
    case 'expired':
      return new AppError('rejected', 'SMS_CODE_EXPIRED', '验证码已过期，请重新获取', 'The code has expired; request a new one');
    case 'too_many_attempts':
      return new AppError('rejected', 'SMS_CODE_LOCKED', '验证码错误次数过多，请重新获取', 'Too many wrong attempts; request a new code');
    case 'consumed':
      return new AppError('rejected', 'SMS_CODE_USED', '验证码已使用，请重新获取', 'The code was already used; request a new one');
    case 'wrong':
      return left > 0
        ? new AppError('rejected', 'SMS_CODE_WRONG', `验证码错误，还可尝试 ${left} 次`, `Wrong code; ${left} attempts left`)
        : new AppError('rejected', 'SMS_CODE_LOCKED', '验证码错误次数过多，请重新获取', 'Too many wrong attempts; request a new code');
  }
}
