import { describe, expect, it } from 'vitest';
import { PERSON_NAME_MAX_LENGTH as SEAL_NAME_MAX } from '../../documents/seals/person-name';
import { isValidChineseIdNumber, isValidMobile, isValidUscc, passwordProblem, personName, PERSON_NAME_MAX_LENGTH, safeTitle } from './validators';

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

describe('titles and person names (zod rules)', () => {
  const title = safeTitle(100);
  it('safeTitle normalises NFC and whitespace and keeps ordinary punctuation', () => {
    expect(title.parse('  采购合同\n（2026 年·第 3 期） ')).toBe('采购合同 （2026 年·第 3 期）');
    expect(title.parse('Cafe\u0301 lease')).toBe('Café lease');
  });
  it.each([
    ['合同\u200b', 'INVISIBLE_CHARACTER'],
    ['\u202e同合', 'INVISIBLE_CHARACTER'],
    ['合\u2067同', 'INVISIBLE_CHARACTER'],
    ['合同\u0000', 'INVISIBLE_CHARACTER'],
    ['合\udc00同', 'INVISIBLE_CHARACTER'],
    ['   ', 'EMPTY'],
    ['合'.repeat(101), 'TOO_LONG'],
  ])('safeTitle refuses %j (%s) with zh and en messages', (raw, code) => {
    const r = title.safeParse(raw);
    expect(r.success).toBe(false);
    const issue = r.error!.issues[0]!;
    expect(issue).toMatchObject({ params: { code, messageEn: expect.any(String) } });
    expect(issue.message).toMatch(/[\u4e00-\u9fff]/);
  });
  it('personName uses the seal renderer\'s maximum and refuses what the seal cannot show', () => {
    expect(PERSON_NAME_MAX_LENGTH).toBe(SEAL_NAME_MAX);
    const name = personName();
    expect(name.parse(' 阿依古丽・买买提 ')).toBe('阿依古丽·买买提');
    expect(name.safeParse('张'.repeat(PERSON_NAME_MAX_LENGTH + 1)).success).toBe(false);
    expect(name.safeParse('张\u200b伟').success).toBe(false);
    expect(name.safeParse('محمد').error?.issues[0]).toMatchObject({ params: { code: 'UNRENDERABLE_CHARACTER' } });
  });
});
