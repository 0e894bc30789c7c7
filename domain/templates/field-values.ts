import { invalid } from '../errors';
import { codePointLabel, firstHiddenCharacter } from '../text/hidden-characters';

/**
 * Field values of a template (issue 11): the one rule that validates what a user (or a business
 * system) fills in and formats it into the strings that generation puts into the document.
 * Pure: no I/O, no imports besides the error type and the hidden-character rule, so the portal can reuse the same messages.
 */

export const FIELD_VALUE_TYPES = ['text', 'multiline', 'number', 'date', 'amount', 'amount_capital'] as const;
export type FieldValueType = (typeof FIELD_VALUE_TYPES)[number];

/** The part of a TemplateField (template-definition.ts) that decides its value. */
export interface FieldValueSpec {
  key: string;
  label: string;
  type: FieldValueType;
  required: boolean;
  defaultValue: string | null;
  maxLength: number | null;
  derivedFrom: string | null;
}

/** Longest text any field takes when the author set no maxLength (and the most an author may set). */
export const FIELD_TEXT_MAX_LENGTH = 2000;
/** Numbers and amounts are below this (one trillion), with at most two decimals. */
export const FIELD_NUMBER_LIMIT = 1e12;

export interface FieldProblem {
  zh: string;
  en: string;
}

/** A derived 大写金额 field spells out another field; the fill form does not ask for it. */
export const isDerivedField = (field: Pick<FieldValueSpec, 'type' | 'derivedFrom'>): boolean =>
  field.type === 'amount_capital' && field.derivedFrom !== null;

const DECIMAL = /^(-)?(\d+)(?:\.(\d{1,2}))?$/;
const GROUPED_DECIMAL = /^-?\d{1,3}(,\d{3})+(\.\d+)?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const CAPITALS = /^[零壹贰叁肆伍陆柒捌玖拾佰仟万亿元圆角分整正负]+$/;

interface Decimal {
  negative: boolean;
  integer: string; // no leading zeros ("0" for zero)
  fraction: string; // 0–2 digits as typed
}

/** Parses "1234.5", "1,234.50", "-3" (commas only as correct thousands separators); null if not a decimal. */
function parseDecimal(text: string): Decimal | null {
  const plain = GROUPED_DECIMAL.test(text) ? text.replace(/,/g, '') : text;
  const m = DECIMAL.exec(plain);
  if (!m) return null;
  return { negative: m[1] === '-', integer: m[2]!.replace(/^0+(?=\d)/, ''), fraction: m[3] ?? '' };
}

const isZero = (d: Decimal) => /^0+$/.test(d.integer) && /^0*$/.test(d.fraction);
const tooLarge = (d: Decimal) => d.integer.length > 12;

function decimalProblem(text: string, allowNegative: boolean): FieldProblem | Decimal {
  const d = parseDecimal(text);
  if (!d) {
    return /^-?[\d,]+\.\d{3,}$/.test(text)
      ? { zh: '最多保留两位小数', en: 'has more than two decimals' }
      : { zh: '不是有效的数字', en: 'is not a valid number' };
  }
  if (d.negative && !isZero(d) && !allowNegative) return { zh: '不能为负数', en: 'must not be negative' };
  if (tooLarge(d)) return { zh: '不能超过 999,999,999,999.99', en: 'must be below 1,000,000,000,000' };
  return d;
}

const isProblem = (v: FieldProblem | Decimal): v is FieldProblem => 'zh' in v;

/** 1234.5 → "1,234.50" */
function formatAmount(d: Decimal): string {
  const grouped = d.integer.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const sign = d.negative && !isZero(d) ? '-' : '';
  return `${sign}${grouped}.${d.fraction.padEnd(2, '0')}`;
}

function formatNumber(d: Decimal): string {
  const sign = d.negative && !isZero(d) ? '-' : '';
  return d.fraction ? `${sign}${d.integer}.${d.fraction}` : `${sign}${d.integer}`;
}

const DIGITS = '零壹贰叁肆伍陆柒捌玖';
const IN_GROUP = ['仟', '佰', '拾', ''];
const GROUP_UNITS = ['', '万', '亿'];

/** One group of four digits ("0305" → 叁佰零伍), without leading 零. */
function groupInChinese(group: string): string {
  const digits = group.padStart(4, '0');
  let out = '';
  let zeroPending = false;
  for (let i = 0; i < 4; i++) {
    const d = Number(digits[i]);
    if (d === 0) {
      if (out) zeroPending = true;
      continue;
    }
    if (zeroPending) out += '零';
    zeroPending = false;
    out += DIGITS[d]! + IN_GROUP[i]!;
  }
  return out;
}

/**
 * The amount in Chinese capitals as written on contracts and cheques (人民币大写):
 * 0 → 零元整, 10 → 壹拾元整, 1001 → 壹仟零壹元整, 100.05 → 壹佰元零伍分, 0.5 → 伍角整,
 * 1234.5 → 壹仟贰佰叁拾肆元伍角整. At most two decimals; negative or ≥ 1e12 is refused.
 */
export function amountInChinese(value: string): string {
  const d = decimalProblem(value.trim(), false);
  if (isProblem(d)) throw invalid('AMOUNT_INVALID', `金额${d.zh}`, `The amount ${d.en}`);
  const integer = d.integer;
  const [jiao, fen] = [Number(d.fraction[0] ?? 0), Number(d.fraction[1] ?? 0)];

  let yuan = '';
  const groups: string[] = [];
  for (let end = integer.length; end > 0; end -= 4) groups.unshift(integer.slice(Math.max(0, end - 4), end));
  let zeroPending = false;
  groups.forEach((group, i) => {
    const unit = GROUP_UNITS[groups.length - 1 - i]!;
    if (Number(group) === 0) {
      if (yuan) zeroPending = true;
      return;
    }
    if (yuan && (zeroPending || group.padStart(4, '0')[0] === '0')) yuan += '零';
    zeroPending = false;
    yuan += groupInChinese(group) + unit;
  });

  if (!yuan && !jiao && !fen) return '零元整';
  let out = yuan ? `${yuan}元` : '';
  if (jiao) out += `${DIGITS[jiao]}角`;
  if (fen) out += `${yuan && !jiao ? '零' : ''}${DIGITS[fen]}分`;
  else out += '整';
  return out;
}

const dayCount = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

function dateProblem(text: string): FieldProblem | string {
  const m = DATE.exec(text);
  if (!m) return { zh: '日期格式应为 YYYY-MM-DD', en: 'must be a date as YYYY-MM-DD' };
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1900 || y > 2999 || mo < 1 || mo > 12 || d < 1 || d > dayCount(y, mo)) {
    return { zh: '不是有效的日期', en: 'is not a valid date' };
  }
  return `${y}年${mo}月${d}日`;
}

function textProblem(field: FieldValueSpec, text: string): FieldProblem | null {
  const max = Math.min(field.maxLength ?? FIELD_TEXT_MAX_LENGTH, FIELD_TEXT_MAX_LENGTH);
  if ([...text].length > max) return { zh: `不能超过 ${max} 个字符`, en: `must be at most ${max} characters` };
  // The shared rule (bidi overrides, zero-width, lone surrogates…: the generated text would read other than it is stored); line breaks are the next check's.
  const hidden = firstHiddenCharacter(text, { multiline: true });
  if (hidden !== null) return { zh: `含有不可见的控制字符（${codePointLabel(hidden)}）`, en: `contains control characters (${codePointLabel(hidden)})` };
  if (field.type !== 'multiline' && /[\n\r]/.test(text)) return { zh: '不能换行', en: 'must be a single line' };
  return null;
}

/** The raw input as text: strings as given (CRLF → LF), finite numbers in plain notation; else null. */
function rawText(raw: unknown): string | null {
  if (typeof raw === 'string') return raw.replace(/\r\n?/g, '\n');
  if (typeof raw === 'number' && Number.isFinite(raw)) {
    return Math.abs(raw) < 1e21 ? raw.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 20 }) : String(raw);
  }
  return null;
}

/**
 * Checks one non-derived field's value and answers the string for generation ('' when an optional
 * field is left empty), or the problem (to be prefixed with the field's label).
 */
export function checkFieldValue(field: FieldValueSpec, raw: unknown): { value: string } | { problem: FieldProblem } {
  const given = raw === undefined || raw === null ? field.defaultValue ?? '' : raw;
  const text = rawText(given);
  if (text === null) return { problem: { zh: '类型不正确', en: 'has the wrong type' } };
  const trimmed = field.type === 'multiline' || field.type === 'text' ? text : text.trim();
  if (trimmed.trim() === '') {
    return field.required ? { problem: { zh: '为必填项', en: 'is required' } } : { value: '' };
  }
  switch (field.type) {
    case 'text':
    case 'multiline': {
      const problem = textProblem(field, trimmed);
      return problem ? { problem } : { value: trimmed };
    }
    case 'number': {
      const d = decimalProblem(trimmed, true);
      return isProblem(d) ? { problem: d } : { value: formatNumber(d) };
    }
    case 'amount': {
      const d = decimalProblem(trimmed, false);
      return isProblem(d) ? { problem: d } : { value: formatAmount(d) };
    }
    case 'amount_capital': {
      if (CAPITALS.test(trimmed)) return trimmed.length <= 40 ? { value: trimmed } : { problem: { zh: '过长', en: 'is too long' } };
      const d = decimalProblem(trimmed, false);
      return isProblem(d) ? { problem: d } : { value: amountInChinese(formatNumber(d)) };
    }
    case 'date': {
      const v = dateProblem(trimmed);
      return typeof v === 'string' ? { value: v } : { problem: v };
    }
  }
}

const fieldError = (field: FieldValueSpec, p: FieldProblem) =>
  invalid('TEMPLATE_FIELD_INVALID', `「${field.label}」${p.zh}`, `"${field.label}" ${p.en}`, { field: field.key });

/**
 * Validates the filled-in values of a template's fields and answers the formatted strings used for
 * generation, one per field key: amount → "1,234.50", amount_capital → "壹仟贰佰叁拾肆元伍角整"
 * (derived from its amount field, or typed as capitals or as a number), date → "2026年12月2日",
 * multiline keeps "\n". A missing value takes the field's default. Values for unknown keys are
 * refused; a value sent for a derived field is ignored (it is always computed).
 * Throws invalid('TEMPLATE_FIELD_INVALID') naming the field's label (details.field = key).
 */
export function parseFieldValues(fields: readonly FieldValueSpec[], raw: Record<string, unknown>): Record<string, string> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw invalid('TEMPLATE_FIELD_INVALID', '字段值应为对象', 'Field values must be an object');
  }
  const known = new Set(fields.map((f) => f.key));
  for (const key of Object.keys(raw)) {
    if (!known.has(key)) throw invalid('TEMPLATE_FIELD_INVALID', `未知字段「${key}」`, `Unknown field "${key}"`, { field: key });
  }
  // Own properties only, into a prototype-free record: a field named constructor, toString or __proto__ is a field like any other.
  const out = Object.create(null) as Record<string, string>;
  for (const field of fields) {
    if (isDerivedField(field)) continue;
    const checked = checkFieldValue(field, Object.hasOwn(raw, field.key) ? raw[field.key] : undefined);
    if ('problem' in checked) throw fieldError(field, checked.problem);
    out[field.key] = checked.value;
  }
  for (const field of fields) {
    if (!isDerivedField(field)) continue;
    const source = fields.find((f) => f.key === field.derivedFrom && f.type === 'amount');
    if (!source) {
      throw invalid('TEMPLATE_FIELD_INVALID', `「${field.label}」引用的金额字段不存在`, `"${field.label}" refers to no amount field`, { field: field.key });
    }
    const amount = out[source.key] ?? '';
    if (amount === '' && field.required) throw fieldError(field, { zh: `为必填项（请填写「${source.label}」）`, en: `is required (fill in "${source.label}")` });
    out[field.key] = amount === '' ? '' : amountInChinese(amount.replace(/,/g, ''));
  }
  return out;
}

const SAMPLE_TEXT = '示例文本';

/**
 * Raw sample values for publishing and previewing: each field's default value, else a typical value
 * of its type (示例文本, 12345.67, 2026-01-01 …) cut to the field's maxLength. Derived fields get none.
 * The result always passes parseFieldValues.
 */
export function sampleFieldValues(fields: readonly FieldValueSpec[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    if (isDerivedField(field)) continue;
    if (field.defaultValue !== null && field.defaultValue !== '' && !('problem' in checkFieldValue(field, field.defaultValue))) {
      out[field.key] = field.defaultValue;
      continue;
    }
    const max = Math.max(1, Math.min(field.maxLength ?? FIELD_TEXT_MAX_LENGTH, FIELD_TEXT_MAX_LENGTH));
    switch (field.type) {
      case 'text':
        out[field.key] = [...SAMPLE_TEXT].slice(0, max).join('');
        break;
      case 'multiline':
        out[field.key] = max >= 9 ? `${SAMPLE_TEXT}\n第二行` : [...SAMPLE_TEXT].slice(0, max).join('');
        break;
      case 'number':
        out[field.key] = '100';
        break;
      case 'date':
        out[field.key] = '2026-01-01';
        break;
      case 'amount':
      case 'amount_capital':
        out[field.key] = '12345.67';
        break;
    }
  }
  return out;
}
