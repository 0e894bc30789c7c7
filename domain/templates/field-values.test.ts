import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import {
  amountInChinese,
  checkFieldValue,
  isDerivedField,
  parseFieldValues,
  sampleFieldValues,
  type FieldValueSpec,
  type FieldValueType,
} from './field-values';

const field = (key: string, type: FieldValueType, over: Partial<FieldValueSpec> = {}): FieldValueSpec => ({
  key,
  label: over.label ?? key,
  type,
  required: false,
  defaultValue: null,
  maxLength: null,
  derivedFrom: null,
  ...over,
});

function refusal(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return e as AppError;
  }
  throw new Error('expected a refusal');
}

describe('amountInChinese', () => {
  it.each([
    ['0', '零元整'],
    ['0.00', '零元整'],
    ['10', '壹拾元整'],
    ['15', '壹拾伍元整'],
    ['100.05', '壹佰元零伍分'],
    ['100.5', '壹佰元伍角整'],
    ['1001', '壹仟零壹元整'],
    ['1010', '壹仟零壹拾元整'],
    ['1234.5', '壹仟贰佰叁拾肆元伍角整'],
    ['1234.56', '壹仟贰佰叁拾肆元伍角陆分'],
    ['0.5', '伍角整'],
    ['0.05', '伍分'],
    ['0.55', '伍角伍分'],
    ['100000', '壹拾万元整'],
    ['100010', '壹拾万零壹拾元整'],
    ['1000100', '壹佰万零壹佰元整'],
    ['10000100', '壹仟万零壹佰元整'],
    ['100000000', '壹亿元整'],
    ['100001000', '壹亿零壹仟元整'],
    ['100000001', '壹亿零壹元整'],
    ['12345678.9', '壹仟贰佰叁拾肆万伍仟陆佰柒拾捌元玖角整'],
    ['999999999999.99', '玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分'],
    ['007', '柒元整'],
  ])('%s → %s', (value, expected) => {
    expect(amountInChinese(value)).toBe(expected);
  });

  it('refuses negative, too large, three decimals and non-numbers', () => {
    expect(refusal(() => amountInChinese('-1')).message).toContain('负数');
    expect(refusal(() => amountInChinese('1000000000000')).code).toBe('AMOUNT_INVALID');
    expect(refusal(() => amountInChinese('1.234')).message).toContain('两位小数');
    expect(refusal(() => amountInChinese('abc')).messageEn).toContain('not a valid number');
    expect(refusal(() => amountInChinese('')).kind).toBe('validation');
  });
});

describe('parseFieldValues', () => {
  const fields = [
    field('name', 'text', { label: '甲方名称', required: true, maxLength: 10 }),
    field('notes', 'multiline', { label: '备注' }),
    field('qty', 'number', { label: '数量' }),
    field('signedOn', 'date', { label: '签订日期' }),
    field('total', 'amount', { label: '总金额', required: true }),
    field('totalCn', 'amount_capital', { label: '总金额大写', derivedFrom: 'total', required: true }),
  ];

  it('formats every type for generation', () => {
    const out = parseFieldValues(fields, {
      name: '北京示例科技有限公司',
      notes: '第一行\r\n第二行',
      qty: 12.5,
      signedOn: '2026-12-02',
      total: '1234.5',
    });
    expect(out).toEqual({
      name: '北京示例科技有限公司',
      notes: '第一行\n第二行',
      qty: '12.5',
      signedOn: '2026年12月2日',
      total: '1,234.50',
      totalCn: '壹仟贰佰叁拾肆元伍角整',
    });
  });

  it('accepts grouped amounts, ignores a value sent for the derived field, fills defaults and leaves optional ones empty', () => {
    const withDefault = [...fields.slice(0, 4), field('place', 'text', { defaultValue: '上海' }), ...fields.slice(4)];
    const out = parseFieldValues(withDefault, { name: '甲', total: '1,000,000', totalCn: '伪造' });
    expect(out.total).toBe('1,000,000.00');
    expect(out.totalCn).toBe('壹佰万元整');
    expect(out.place).toBe('上海');
    expect(out.notes).toBe('');
    expect(out.qty).toBe('');
    expect(out.signedOn).toBe('');
  });

  it.each<[string, Record<string, unknown>, string, string]>([
    ['required missing', { total: '1' }, '「甲方名称」为必填项', '"甲方名称" is required'],
    ['required blank', { name: '   ', total: '1' }, '「甲方名称」为必填项', 'is required'],
    ['too long', { name: '一二三四五六七八九十一', total: '1' }, '「甲方名称」不能超过 10 个字符', 'at most 10 characters'],
    ['newline in single-line text', { name: '甲\n乙', total: '1' }, '「甲方名称」不能换行', 'single line'],
    ['control character', { name: '甲\u0007', total: '1' }, '控制字符', 'control characters'],
    ['bidi override (the generated text would read reversed)', { name: '甲\u202E乙丙', total: '1' }, '控制字符', 'control characters'],
    ['zero-width character', { name: '甲\u200B乙', total: '1' }, '控制字符', 'control characters'],
    ['lone surrogate', { name: '甲\uD800', total: '1' }, '控制字符', 'control characters'],
    ['wrong type', { name: { x: 1 }, total: '1' }, '「甲方名称」类型不正确', 'wrong type'],
    ['number not numeric', { name: '甲', total: '1', qty: '12a' }, '「数量」不是有效的数字', 'not a valid number'],
    ['number three decimals', { name: '甲', total: '1', qty: '1.005' }, '「数量」最多保留两位小数', 'two decimals'],
    ['number too large', { name: '甲', total: '1', qty: '-1000000000000' }, '「数量」不能超过', 'below 1,000,000,000,000'],
    ['amount negative', { name: '甲', total: '-5' }, '「总金额」不能为负数', 'must not be negative'],
    ['amount too large', { name: '甲', total: 1e12 }, '「总金额」不能超过', 'below'],
    ['amount missing (derived required)', { name: '甲' }, '「总金额」为必填项', 'is required'],
    ['date format', { name: '甲', total: '1', signedOn: '2026/12/02' }, '「签订日期」日期格式应为 YYYY-MM-DD', 'YYYY-MM-DD'],
    ['date not real', { name: '甲', total: '1', signedOn: '2026-02-29' }, '「签订日期」不是有效的日期', 'not a valid date'],
    ['unknown key', { name: '甲', total: '1', extra: 'x' }, '未知字段「extra」', 'Unknown field'],
  ])('refuses %s', (_name, raw, zh, en) => {
    const e = refusal(() => parseFieldValues(fields, raw));
    expect(e.code).toBe('TEMPLATE_FIELD_INVALID');
    expect(e.kind).toBe('validation');
    expect(e.message).toContain(zh);
    expect(e.messageEn).toContain(en);
  });

  it('names the derived field when its optional amount is empty but it is required', () => {
    const f = [field('t', 'amount', { label: '金额' }), field('c', 'amount_capital', { label: '大写', derivedFrom: 't', required: true })];
    const e = refusal(() => parseFieldValues(f, {}));
    expect(e.message).toBe('「大写」为必填项（请填写「金额」）');
    expect(e.details).toEqual({ field: 'c' });
    expect(parseFieldValues([f[0]!, { ...f[1]!, required: false }], {})).toEqual({ t: '', c: '' });
  });

  it('takes a typed amount in capitals as capitals or as a number', () => {
    const f = [field('c', 'amount_capital', { label: '大写' })];
    expect(parseFieldValues(f, { c: '壹佰元整' })).toEqual({ c: '壹佰元整' });
    expect(parseFieldValues(f, { c: '100.05' })).toEqual({ c: '壹佰元零伍分' });
    expect(refusal(() => parseFieldValues(f, { c: '一百元' })).message).toContain('「大写」不是有效的数字');
  });

  it('refuses a derived field whose source is not an amount field', () => {
    const f = [field('t', 'text'), field('c', 'amount_capital', { label: '大写', derivedFrom: 't' })];
    expect(refusal(() => parseFieldValues(f, { t: 'x' })).message).toContain('引用的金额字段不存在');
  });

  it('reads only the values sent: fields named like Object members (constructor, toString, __proto__) are left empty, defaulted or required like any other', () => {
    const named = [field('constructor', 'text', { label: '构造' }), field('toString', 'text', { label: '文本', defaultValue: '默认' }), field('__proto__', 'text', { label: '原型', required: true })];
    expect(refusal(() => parseFieldValues(named, {})).message).toBe('「原型」为必填项');
    const out = parseFieldValues(named, JSON.parse('{"__proto__":"值"}') as Record<string, unknown>);
    expect(Object.entries(out)).toEqual([
      ['constructor', ''],
      ['toString', '默认'],
      ['__proto__', '值'],
    ]);
  });
  it('refuses values that are not an object', () => {
    expect(refusal(() => parseFieldValues(fields, [] as unknown as Record<string, unknown>)).code).toBe('TEMPLATE_FIELD_INVALID');
  });

  it('caps text without maxLength at 2000 characters (counted as characters, not UTF-16 units)', () => {
    const f = [field('t', 'multiline')];
    expect(parseFieldValues(f, { t: '𠀀'.repeat(2000) }).t).toHaveLength(4000);
    expect(refusal(() => parseFieldValues(f, { t: '字'.repeat(2001) })).message).toContain('2000');
  });
});

describe('sampleFieldValues', () => {
  it('uses defaults, then typical values per type cut to maxLength, and skips derived fields; the samples pass parseFieldValues', () => {
    const fields = [
      field('a', 'text', { required: true }),
      field('b', 'text', { maxLength: 2, required: true }),
      field('c', 'multiline', { required: true }),
      field('d', 'number', { required: true }),
      field('e', 'date', { required: true }),
      field('f', 'amount', { required: true }),
      field('g', 'amount_capital', { derivedFrom: 'f', required: true }),
      field('h', 'amount_capital', { required: true }),
      field('i', 'text', { defaultValue: '默认值' }),
      field('j', 'date', { defaultValue: 'not a date' }),
    ];
    const sample = sampleFieldValues(fields);
    expect(sample).toEqual({
      a: '示例文本',
      b: '示例',
      c: '示例文本\n第二行',
      d: '100',
      e: '2026-01-01',
      f: '12345.67',
      h: '12345.67',
      i: '默认值',
      j: '2026-01-01',
    });
    const parsed = parseFieldValues(fields, sample);
    expect(parsed.g).toBe('壹万贰仟叁佰肆拾伍元陆角柒分');
    expect(parsed.f).toBe('12,345.67');
    expect(parsed.e).toBe('2026年1月1日');
  });
});

describe('checkFieldValue / isDerivedField', () => {
  it('answers the problem without the label for the portal form', () => {
    expect(checkFieldValue(field('x', 'date'), '2026-13-01')).toEqual({ problem: { zh: '不是有效的日期', en: 'is not a valid date' } });
    expect(checkFieldValue(field('x', 'amount'), ' 5 ')).toEqual({ value: '5.00' });
    expect(isDerivedField(field('x', 'amount_capital', { derivedFrom: 'y' }))).toBe(true);
    expect(isDerivedField(field('x', 'amount_capital'))).toBe(false);
  });
});
