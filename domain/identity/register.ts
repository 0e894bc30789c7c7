import type { EntityManager } from '@mikro-orm/core';
import { z } from 'zod';
import type { SmsSender } from '../../integrations/sms';
import { recordAudit } from '../audit/record-audit';
import { AppError, invalid } from '../errors';
import { consumeVerificationCode, sendVerificationCode } from '../sms/verification-codes';
import type { LoginResult } from './login';
import { flushOrConflict } from '../persistence/concurrency';
import { createUser } from './create-user';
import { createSession } from './sessions';
import { UserSchema } from './user.entity';
import { isValidMobile, PASSWORD_INPUT_MAX, passwordProblem, displayName } from './validators';

export const mobileSchema = z.string({ required_error: '请输入手机号' }).trim().refine(isValidMobile, '手机号格式不正确');

export const registerSchema = z.object({
  mobile: mobileSchema,
  code: z.string({ required_error: '请输入验证码' }).trim().regex(/^\d{6}$/, '验证码为 6 位数字'),
  password: z.string({ required_error: '请输入密码' }).max(PASSWORD_INPUT_MAX, '密码过长'),
  // No invisible, control or bidi characters in a name others see (the real name replaces it at 实名认证).
  name: displayName(),
});

const registerTarget = (mobile: string) => ({ mobile, purpose: 'register', subject: `register:${mobile}` });
const taken = () => new AppError('conflict', 'MOBILE_TAKEN', '该手机号已注册，请直接登录', 'This mobile number is already registered; please log in');

/**
 * The same answer and the same budgets whether or not the number is registered (no account
 * enumeration): a registered number gets a notice instead of a code, so its owner learns of the
 * attempt and nobody else learns anything.
 */
export async function requestRegistrationCode(em: EntityManager, sms: SmsSender, mobile: string, ip: string | null) {
  const registered = !!(await em.findOne(UserSchema, { mobile }));
  const text = registered
    ? () => '【SealFlow】有人尝试用此手机号注册 SealFlow。您已有账号，可直接登录（忘记密码可使用短信验证码登录）；如非本人操作请忽略。'
    : (code: string) => `【SealFlow】您的注册验证码为 ${code}，5 分钟内有效。`;
  const sent = await sendVerificationCode(em, sms, registerTarget(mobile), text, ip);
  return { expiresAt: sent.expiresAt.toISOString(), resendAfterSeconds: sent.resendAfterSeconds };
}

/** M1 注册: mobile + SMS code + password (strength rules). Logs the new user in. */
export async function register(em: EntityManager, input: z.infer<typeof registerSchema>, ip: string | null): Promise<LoginResult> {
  const problem = passwordProblem(input.password, input.mobile);
  if (problem) throw invalid('WEAK_PASSWORD', problem.message, problem.messageEn);
  // The code first: only the owner of a number that received a code learns whether it is taken.
  await consumeVerificationCode(em, registerTarget(input.mobile), input.code);
  if (await em.findOne(UserSchema, { mobile: input.mobile })) throw taken();
  const user = await createUser(em, { mobile: input.mobile, name: input.name, password: input.password });
  recordAudit(em, { id: user.id, name: user.name, ip }, { action: 'user.registered', targetType: 'user', targetId: user.id });
  await flushOrConflict(em, taken); // users.mobile is unique: a parallel registration of the number is a 409
  const session = await createSession(em, user.id, ip);
  return { user, ...session };
}
