import type { EntityManager } from '@mikro-orm/core';
import { z } from 'zod';
import type { SmsSender } from '../../integrations/sms';
import { recordAudit, type AuditActor } from '../audit/record-audit';
import { AppError, invalid } from '../errors';
import { consumeVerificationCode, consumeVerificationCodes, presentSentCode, sendVerificationCode, type SentCodeView } from '../sms/verification-codes';
import { checkPasswordThrottled } from './login';
import { hashPassword } from './passwords';
import { maskMobile } from './masking';
import { mobileSchema } from './register';
import { flushOrConflict } from '../persistence/concurrency';
import { endOtherSessions } from './sessions';
import { UserSchema, type User } from './user.entity';
import { PASSWORD_INPUT_MAX, passwordProblem } from './validators';

export const emailSchema = z.object({ email: z.string({ required_error: '请输入邮箱' }).trim().email('邮箱格式不正确').max(200, '邮箱过长') });
export const mobileChangeCodesSchema = z.object({ newMobile: mobileSchema });
export const mobileChangeSchema = z.object({
  newMobile: mobileSchema,
  oldCode: z.string().trim().regex(/^\d{6}$/, '原手机号验证码为 6 位数字'),
  newCode: z.string().trim().regex(/^\d{6}$/, '新手机号验证码为 6 位数字'),
});
/** The current password, or (forgotten) an SMS code sent to the account's own number (`requestPasswordCode`). */
export const passwordChangeSchema = z
  .object({
    oldPassword: z.string().max(PASSWORD_INPUT_MAX, '密码过长').optional(),
    code: z.string().trim().regex(/^\d{6}$/, '验证码为 6 位数字').optional(),
    newPassword: z.string({ required_error: '请输入新密码' }).min(1, '请输入新密码').max(PASSWORD_INPUT_MAX, '密码过长'),
  })
  .refine((v) => !!v.oldPassword || !!v.code, { message: '请输入原密码或短信验证码', path: ['oldPassword'] });

const passwordCodeTarget = (user: User) => ({ mobile: user.mobile, purpose: 'password_change', subject: `password:${user.id}` });

/** A sent 修改密码 code as POST /api/me/password/code answers it (portal-ui imports the type): every code send's answer, verification-codes.ts presentSentCode. */
export type PasswordCodeView = SentCodeView;

/** M7 change password without the current one (forgotten, after an SMS login): a code to the account's own number. */
export async function requestPasswordCode(em: EntityManager, sms: SmsSender, user: User, ip: string | null): Promise<PasswordCodeView> {
  const sent = await sendVerificationCode(em, sms, passwordCodeTarget(user), (code) => `【SealFlow】您正在修改登录密码，验证码 ${code}，5 分钟内有效。如非本人操作请忽略。`, ip);
  return presentSentCode(user.mobile, sent);
}

/** M7: change email. */
export async function changeEmail(em: EntityManager, user: User, email: string, actor: AuditActor) {
  user.email = email;
  recordAudit(em, actor, { action: 'user.email_changed', targetType: 'user', targetId: user.id });
  await em.flush();
}

const oldTarget = (user: User, newMobile: string) => ({ mobile: user.mobile, purpose: 'mobile_change_old', subject: `mobile-change:${user.id}:${newMobile}` });
const newTarget = (user: User, newMobile: string) => ({ mobile: newMobile, purpose: 'mobile_change_new', subject: `mobile-change:${user.id}:${newMobile}` });

const mobileTaken = () => new AppError('conflict', 'MOBILE_TAKEN', '该手机号已被其他账号使用', 'This number belongs to another account');

function assertNotSameMobile(user: User, newMobile: string) {
  if (newMobile === user.mobile) throw invalid('SAME_MOBILE', '新手机号与原手机号相同', 'The new number is the current one');
}

/**
 * M7 change mobile, step 1: codes to the old and the new number. The same answer and budgets whether or
 * not the new number belongs to another account (no account enumeration by any signed-in user): a
 * registered number gets a notice instead of a code, so its owner learns of the attempt and the
 * change can never be confirmed; that it is taken is said only after both codes checked out.
 */
export async function requestMobileChangeCodes(em: EntityManager, sms: SmsSender, user: User, newMobile: string, ip: string | null) {
  assertNotSameMobile(user, newMobile);
  const registered = !!(await em.findOne(UserSchema, { mobile: newMobile }));
  const newText = registered
    ? () => '【SealFlow】有人尝试将此手机号绑定到另一个 SealFlow 账号。此号码已属于您的账号，未做任何更改；如非本人操作请忽略。'
    : (code: string) => `【SealFlow】您正在绑定此手机号，验证码 ${code}，5 分钟内有效。`;
  await sendVerificationCode(em, sms, oldTarget(user, newMobile), (code) => `【SealFlow】您正在更换绑定手机号，验证码 ${code}（原手机号），5 分钟内有效。`, ip);
  const sent = await sendVerificationCode(em, sms, newTarget(user, newMobile), newText, ip);
  return { expiresAt: sent.expiresAt.toISOString(), resendAfterSeconds: sent.resendAfterSeconds };
}

/**
 * M7 change mobile, step 2: both codes must check out. The number is the login name and where
 * 意愿认证 codes go, so every other session ends (as after a password change): a session opened
 * with the old number — a lost phone's — does not outlive it.
 */
export async function changeMobile(em: EntityManager, user: User, currentSessionId: string, input: z.infer<typeof mobileChangeSchema>, actor: AuditActor) {
  assertNotSameMobile(user, input.newMobile);
  // The codes first: only who holds the new number's code (it was free when the code went out) learns it is taken now.
  await consumeVerificationCodes(em, [
    { target: oldTarget(user, input.newMobile), code: input.oldCode },
    { target: newTarget(user, input.newMobile), code: input.newCode },
  ]);
  if (await em.findOne(UserSchema, { mobile: input.newMobile })) throw mobileTaken();
  const old = user.mobile;
  user.mobile = input.newMobile;
  recordAudit(em, actor, { action: 'user.mobile_changed', targetType: 'user', targetId: user.id, detail: { from: maskMobile(old), to: maskMobile(input.newMobile) } });
  await flushOrConflict(em, mobileTaken); // users.mobile is unique: a number taken in the meantime is a 409
  await endOtherSessions(em, user.id, currentSessionId);
}

/** M7 change password: the old one is required (wrong guesses count toward the login lockout); every other session ends. */
export async function changePassword(em: EntityManager, user: User, currentSessionId: string, input: z.infer<typeof passwordChangeSchema>, actor: AuditActor) {
  const wrong = () => new AppError('rejected', 'WRONG_PASSWORD', '原密码不正确', 'The current password is wrong');
  // The code (the phone in hand, as for an SMS login) or the current password (its failures count as failed logins).
  if (input.code) await consumeVerificationCode(em, passwordCodeTarget(user), input.code);
  else await checkPasswordThrottled(em, { mobile: user.mobile, user, password: input.oldPassword ?? '', actor, wrong });
  const problem = passwordProblem(input.newPassword, user.mobile);
  if (problem) throw invalid('WEAK_PASSWORD', problem.message, problem.messageEn);
  user.passwordHash = await hashPassword(input.newPassword);
  recordAudit(em, actor, { action: 'user.password_changed', targetType: 'user', targetId: user.id });
  await em.flush();
  await endOtherSessions(em, user.id, currentSessionId);
}
