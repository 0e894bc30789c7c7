/**
 * Validators for Chinese identity data. Pure functions, shared by API schemas and UIs' messages.
 */

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

/** Password rules: 8–64 characters with at least three of lower case, upper case, digits, symbols; not the mobile number. */
export function passwordProblem(password: string, mobile?: string): PasswordProblem | null {
  if (password.length < 8 || password.length > 64) return { message: '密码长度须为 8–64 位', messageEn: 'The password must be 8–64 characters long' };
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  if (classes < 3) return { message: '密码须包含大写字母、小写字母、数字、符号中的至少三种', messageEn: 'Use at least three of: lower case, upper case, digits, symbols' };
  if (mobile && password.includes(mobile)) return { message: '密码不能包含手机号', messageEn: 'The password must not contain the mobile number' };
  return null;
}
