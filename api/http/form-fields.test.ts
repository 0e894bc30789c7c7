import { describe, expect, it } from 'vitest';
import { AppError } from '../../domain/errors';
import { checkFormFields, invalidFormField } from './form-fields';

const refusal = (body: unknown) => {
  try {
    checkFormFields(body);
  } catch (err) {
    if (err instanceof AppError) return { kind: err.kind, code: err.code, message: err.message, messageEn: err.messageEn };
    throw err;
  }
  return null;
};
const nullProto = (fields: Record<string, unknown>) => Object.assign(Object.create(null) as object, fields);

describe('checkFormFields', () => {
  it('accepts single string fields (and an empty form)', () => {
    expect(refusal(nullProto({ spec: '{"title":"x"}', version: '3', empty: '' }))).toBeNull();
    expect(refusal({})).toBeNull();
    expect(refusal(undefined)).toBeNull();
  });
  it.each([
    ['a nested object without a prototype (version[x])', nullProto({ version: nullProto({ x: '1' }) }), 'version'],
    ['an array (a name sent twice, or spec[])', nullProto({ title: 'ok', spec: ['{}', '{}'] }), 'spec'],
  ])('refuses %s with 400 INVALID_FORM_FIELD naming the field', (_label, body, name) => {
    expect(refusal(body)).toEqual({
      kind: 'validation',
      code: 'INVALID_FORM_FIELD',
      message: `表单字段“${name}”无效：字段名不能含方括号，且每个字段只能出现一次`,
      messageEn: `Invalid form field "${name}": field names cannot contain brackets and each field may appear once`,
    });
  });
  it('shows a hostile field name harmlessly: control and bidi characters replaced, at most 64 characters', () => {
    expect(invalidFormField('a\u202Eb\u0000c[x]').messageEn).toBe('Invalid form field "a?b?c[x]": field names cannot contain brackets and each field may appear once');
    expect(invalidFormField('字'.repeat(100)).message).toContain(`“${'字'.repeat(64)}…”`);
  });
});
