import { describe, expect, it } from 'vitest';
import { isValidChineseIdNumber, isValidMobile, isValidUscc, passwordProblem } from './validators';

describe('统一社会信用代码 (GB 32100)', () => {
  it.each(['91350100M000100Y43', '91110000600037341L', '91310000775785552L', '91440300708461136T'])('accepts %s', (code) => {
    expect(isValidUscc(code)).toBe(true);
  });
  it.each([
    ['91350100M000100Y44', 'wrong check character'],
    ['91350100M000100Y4', 'too short'],
    ['91350100I000100Y43', 'letter I is not in the charset'],
    ['91350100m000100y43', 'lower case'],
  ])('rejects %s (%s)', (code) => {
    expect(isValidUscc(code)).toBe(false);
  });
});

describe('居民身份证号 (GB 11643)', () => {
  it('accepts the GB 11643 sample, also with a lower-case x', () => {
    expect(isValidChineseIdNumber('11010519491231002X')).toBe(true);
    expect(isValidChineseIdNumber('11010519491231002x')).toBe(true);
  });
  it('rejects wrong check digits, impossible dates, future dates and bad formats', () => {
    expect(isValidChineseIdNumber('110105194912310021')).toBe(false);
    expect(isValidChineseIdNumber('110105194902300020')).toBe(false); // 30 February
    expect(isValidChineseIdNumber('11010519491231002', new Date())).toBe(false);
    expect(isValidChineseIdNumber('1101052099123100XX')).toBe(false);
  });
});

describe('mobile numbers and passwords', () => {
  it('validates mainland mobiles', () => {
    expect(isValidMobile('13800000001')).toBe(true);
    expect(isValidMobile('12800000001')).toBe(false);
    expect(isValidMobile('1380000000')).toBe(false);
  });
  it('enforces password strength', () => {
    expect(passwordProblem('Demo@123456')).toBeNull();
    expect(passwordProblem('short1A')?.message).toContain('8–64');
    expect(passwordProblem('alllowercase')?.message).toContain('至少三种');
    expect(passwordProblem('Abc13800000001', '13800000001')?.message).toContain('手机号');
  });
});
