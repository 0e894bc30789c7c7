// Client-side checks mirroring the API's rules (the validators are shared with the domain layer).
import { isValidChineseIdNumber, isValidMobile, passwordProblem } from '../../../domain/identity/validators';

export { isValidChineseIdNumber, isValidMobile };

/** The password problem in the UI locale, or null. */
export function passwordError(password: string, locale: string, mobile?: string): string | null {
  const problem = passwordProblem(password, mobile);
  if (!problem) return null;
  return locale === 'en' ? problem.messageEn : problem.message;
}

export const isSmsCode = (code: string) => /^\d{6}$/.test(code.trim());
