import type { EntityManager } from '@mikro-orm/core';
import type { SmsSender } from '../../integrations/sms';
import { recordAudit } from '../audit/record-audit';
import { AppError } from '../errors';
import { consumeVerificationCode, sendVerificationCode } from '../sms/verification-codes';
import { verifyPassword } from './passwords';
import { createSession } from './sessions';
import { UserSchema, type User } from './user.entity';

/** Lockout: this many wrong passwords in a row lock password login for LOCK_MS (SMS login still works). */
export const LOGIN_RULES = { maxFailures: 5, lockMs: 15 * 60_000 } as const;

const badCredentials = () => new AppError('unauthenticated', 'BAD_CREDENTIALS', '手机号或密码错误', 'Wrong mobile number or password');
const locked = (until: Date, now: Date) => {
  const minutes = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 60_000));
  return new AppError('rate_limited', 'ACCOUNT_LOCKED', `密码错误次数过多，账号已锁定，请 ${minutes} 分钟后再试或使用短信验证码登录`, `Too many wrong passwords; try again in ${minutes} min or log in with an SMS code`, { retryAfterSeconds: minutes * 60 });
};

export interface LoginResult {
  user: User;
  token: string;
  expiresAt: Date;
}

async function startSession(em: EntityManager, user: User, ip: string | null, method: 'password' | 'sms'): Promise<LoginResult> {
  user.failedLoginCount = 0;
  user.lockedUntil = null;
  const session = await createSession(em, user.id, ip);
  recordAudit(em, { id: user.id, name: user.name, ip }, { action: 'auth.login', targetType: 'user', targetId: user.id, detail: { method } });
  await em.flush();
  return { user, ...session };
}

/** Password login with lockout after repeated failures. A new session (fresh cookie) at every login. */
export async function loginWithPassword(em: EntityManager, mobile: string, password: string, ip: string | null, now = new Date()): Promise<LoginResult> {
  const user = await em.findOne(UserSchema, { mobile });
  if (user?.lockedUntil && user.lockedUntil > now) throw locked(user.lockedUntil, now);
  if (!user || !(await verifyPassword(user.passwordHash, password))) {
    const actor = { id: user?.id ?? null, name: user?.name ?? mobile, ip };
    recordAudit(em, actor, { action: 'auth.login_failed', targetType: 'user', targetId: user?.id ?? mobile.slice(0, 36), detail: { method: 'password' } });
    if (user) {
      user.failedLoginCount += 1;
      if (user.failedLoginCount >= LOGIN_RULES.maxFailures) {
        user.lockedUntil = new Date(now.getTime() + LOGIN_RULES.lockMs);
        user.failedLoginCount = 0;
        recordAudit(em, actor, { action: 'auth.locked', targetType: 'user', targetId: user.id });
        await em.flush();
        throw locked(user.lockedUntil, now);
      }
    }
    await em.flush();
    throw badCredentials();
  }
  return startSession(em, user, ip, 'password');
}

const loginTarget = (mobile: string) => ({ mobile, purpose: 'login', subject: `login:${mobile}` });

/** Sends a login code. Unknown numbers get the same answer (no account enumeration) but no message. */
export async function requestLoginCode(em: EntityManager, sms: SmsSender, mobile: string, ip: string | null) {
  const user = await em.findOne(UserSchema, { mobile });
  const silent: SmsSender = { send: async () => {} };
  const sent = await sendVerificationCode(em, user ? sms : silent, loginTarget(mobile), (code) => `【SealFlow】您的登录验证码为 ${code}，5 分钟内有效。`, ip);
  return { expiresAt: sent.expiresAt.toISOString(), resendAfterSeconds: sent.resendAfterSeconds };
}

export async function loginWithSmsCode(em: EntityManager, mobile: string, code: string, ip: string | null): Promise<LoginResult> {
  await consumeVerificationCode(em, loginTarget(mobile), code);
  const user = await em.findOne(UserSchema, { mobile });
  if (!user) throw badCredentials();
  return startSession(em, user, ip, 'sms');
}
