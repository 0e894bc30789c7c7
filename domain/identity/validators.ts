/**
 * Validators for Chinese identity data. Pure functions, shared by API schemas and UIs' messages.
 */
import { z } from 'zod';
import { INVISIBLE, PERSON_NAME_MAX_LENGTH, normalizePersonName, personNameProblem, type TextProblem } from '../../documents/seals/person-name';

export { PERSON_NAME_MAX_LENGTH, normalizePersonName, personNameProblem, type TextProblem };

const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** 统一社会信用代码 (GB 32100-2015): 18 characters, the last a check character over the first 17. */
export function isValidUscc(code: string): boolean {
  if (!/^[0-9A-HJ-NPQRTUWXY]{18}$/.test(code)) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = USCC_CHARSET.indexOf(code[i]!);
    if (value < 0) return false;
    sum += value * (3 ** i % 31);
  }
  const check = (31 - (sum % 31)) % 31;
  return code[17] === USCC_CHARSET[check];
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** 居民身份证号 (GB 11643, ISO 7064 MOD 11-2): 17 digits, a check character, digits 7–14 a real past date. */
export function isValidChineseIdNumber(id: string, today = new Date()): boolean {
  const value = id.toUpperCase();
  if (!/^\d{17}[\dX]$/.test(value)) return false;
  const sum = ID_WEIGHTS.reduce((acc, w, i) => acc + w * Number(value[i]), 0);
  if (ID_CHECK[sum % 11] !== value[17]) return false;
  const [y, m, d] = [Number(value.slice(6, 10)), Number(value.slice(10, 12)), Number(value.slice(12, 14))];
  const birth = new Date(Date.UTC(y, m - 1, d));
  if (birth.getUTCFullYear() !== y || birth.getUTCMonth() !== m - 1 || birth.getUTCDate() !== d) return false;
  return y >= 1900 && birth.getTime() <= today.getTime();
}

/** Mainland mobile numbers: 11 digits starting with 1[3-9]. */
export const isValidMobile = (mobile: string) => /^1[3-9]\d{9}$/.test(mobile);

export interface PasswordProblem {
  message: string;
  messageEn: string;
}

/** The longest password any form accepts (the rules below allow 64): a login with a 1 MB "password" is refused, not hashed. */
export const PASSWORD_INPUT_MAX = 128;

/** Password rules: 8–64 characters with at least three of lower case, upper case, digits, symbols; not the mobile number. */
export function passwordProblem(password: string, mobile?: string): PasswordProblem | null {
  if (password.length < 8 || password.length > 64) return { message: '密码长度须为 8–64 位', messageEn: 'The password must be 8–64 characters long' };
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  if (classes < 3) return { message: '密码须包含大写字母、小写字母、数字、符号中的至少三种', messageEn: 'Use at least three of: lower case, upper case, digits, symbols' };
  if (mobile && password.includes(mobile)) return { message: '密码不能包含手机号', messageEn: 'The password must not contain the mobile number' };
  return null;
}

/** NFC, every whitespace run (newlines included) → one space, trimmed. */
export const normalizeText = (raw: string) => raw.normalize('NFC').replace(/\s+/gu, ' ').trim();

const describe = (ch: string) => `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/** Problems of a single-line title (contract titles…), already normalised; null if fine. */
export function titleProblem(title: string, max: number): TextProblem | null {
  const chars = [...title];
  if (chars.length === 0) return { code: 'EMPTY', message: '请输入标题', messageEn: 'Enter a title' };
  const invisible = chars.find((ch) => INVISIBLE.test(ch));
  if (invisible) {
    return { code: 'INVISIBLE_CHARACTER', message: `标题含有不可见或控制字符（${describe(invisible)}）`, messageEn: `The title contains an invisible or control character (${describe(invisible)})` };
  }
  if (chars.length > max) return { code: 'TOO_LONG', message: `标题不能超过 ${max} 个字`, messageEn: `The title must not exceed ${max} characters` };
  return null;
}

const issue = (ctx: z.RefinementCtx, p: TextProblem) => ctx.addIssue({ code: z.ZodIssueCode.custom, message: p.message, params: { code: p.code, messageEn: p.messageEn } });

/**
 * zod rule for titles: normalised (NFC, one line) and 1–max characters without control, zero-width,
 * bidi or other invisible characters. The parsed value is the normalised text.
 */
export const safeTitle = (max: number) =>
  z
    .string({ required_error: '请输入标题', invalid_type_error: '标题须为文本' })
    .transform(normalizeText)
    .superRefine((v, ctx) => {
      const p = titleProblem(v, max);
      if (p) issue(ctx, p);
    });

/**
 * zod rule for the display name given at registration (replaced by the real name at 实名认证):
 * normalised, 1–PERSON_NAME_MAX_LENGTH characters, no control, zero-width, bidi or other invisible characters.
 */
export const displayName = () =>
  z
    .string({ required_error: '请输入姓名', invalid_type_error: '姓名须为文本' })
    .transform(normalizeText)
    .superRefine((v, ctx) => {
      const p = personNameProblem(v);
      // Only the visibility and length parts of the real-name rule: any visible text is a fine display name.
      if (p && (p.code === 'EMPTY' || p.code === 'INVISIBLE_CHARACTER' || p.code === 'TOO_LONG')) issue(ctx, p);
    });

/**
 * zod rule for a person's real name (实名认证): normalised (normalizePersonName), then the seal's
 * rule, so every name that passes renders on the signer's seal. The parsed value is the normalised name.
 */
export const personName = () =>
  z
    .string({ required_error: '请输入姓名', invalid_type_error: '姓名须为文本' })
    .transform(normalizePersonName)
    .superRefine((v, ctx) => {
      const p = personNameProblem(v);
      if (p) issue(ctx, p);
    });
