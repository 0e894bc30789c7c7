import { describe, expect, it } from 'vitest';
import { updateTemplateSchema, versionSchema } from './update-template';

describe('versionSchema (the optimistic version of 编辑模板, 发布, 替换模板文件, 启用/停用)', () => {
  it('takes a positive integer, or its decimal digits as a multipart form field sends them', () => {
    expect(versionSchema.parse(3)).toBe(3);
    expect(versionSchema.parse('3')).toBe(3);
    expect(versionSchema.parse('12')).toBe(12);
  });

  it.each<[string, unknown]>([
    ['an array of one number', [5]],
    ['an array of one string', ['5']],
    ['a boolean', true],
    ['an object', { valueOf: 5 }],
    ['a fraction', 2.5],
    ['zero', 0],
    ['a negative number', -1],
    ['a string with spaces', ' 3 '],
    ['a hexadecimal string', '0x3'],
    ['an exponent string', '3e0'],
    ['a fraction string', '3.0'],
    ['an empty string', ''],
    ['null', null],
    ['NaN', Number.NaN],
  ])('refuses %s', (_name, value) => {
    const r = versionSchema.safeParse(value);
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toBe('版本号不正确');
  });

  it('a missing version is named as missing', () => {
    expect(versionSchema.safeParse(undefined).error?.issues[0]?.message).toBe('缺少版本号');
    expect(versionSchema.optional().parse(undefined)).toBeUndefined();
    expect(updateTemplateSchema.safeParse({ version: [5], name: '模板', definition: { fields: [], roles: [] } }).success).toBe(false);
  });
});
