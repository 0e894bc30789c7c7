// The rules the server checks on a template (domain/templates/template-definition.ts checkDefinition
// and field-values.ts), checked in the browser per field and role before saving or publishing so
// that the author sees them at the place; the limits come from domain/templates/template-limits.ts.
// The server stays the judge: its errors are shown too.
import {
  MAX_BUSINESS_TYPE,
  MAX_FIELD_LABEL as MAX_LABEL,
  MAX_FIELD_LENGTH as MAX_TEXT_LENGTH,
  MAX_FONT_SIZE as MAX_FONT,
  MAX_KEYWORD,
  MAX_MARK_OFFSET,
  MAX_ROLE_NAME,
  MAX_SCENARIO,
  MAX_TEMPLATE_NAME as MAX_NAME,
  MIN_FONT_SIZE as MIN_FONT,
  WEB_FIELD_KEY as WEB_KEY_RE,
} from '../../../../domain/templates/template-limits';
import { isRidingRule, ridingRangeProblem } from '../../../../domain/contracts/riding-rule';
import { ROLE_MARKS, type TemplateDefinition, type TemplateField, type TemplateKind } from './types';

export { MAX_BUSINESS_TYPE, MAX_FONT, MAX_KEYWORD, MAX_LABEL, MAX_NAME, MAX_ROLE_NAME, MAX_SCENARIO, MAX_TEXT_LENGTH, MIN_FONT, WEB_KEY_RE };
const DECIMAL_RE = /^\d+(\.\d{1,2})?$/;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** An error: a translation key under portal.templates.errors and its parameters. */
export interface RuleError {
  code: string;
  params?: Record<string, string | number>;
}

/** Errors by where they belong: `info.name`, `field.<i>.label`, `role.<i>.name`, `role.<i>.mark.<j>.keyword`, `roles`… */
export type RuleErrors = Record<string, RuleError>;

const chars = (s: string | null | undefined) => [...(s ?? '').trim()].length;

export function checkInfo(info: { name: string; businessType: string | null; scenario: string | null }): RuleErrors {
  const errors: RuleErrors = {};
  if (!info.name.trim()) errors['info.name'] = { code: 'name_required' };
  else if (chars(info.name) > MAX_NAME) errors['info.name'] = { code: 'too_long', params: { max: MAX_NAME } };
  if (chars(info.businessType) > MAX_BUSINESS_TYPE) errors['info.businessType'] = { code: 'too_long', params: { max: MAX_BUSINESS_TYPE } };
  if (chars(info.scenario) > MAX_SCENARIO) errors['info.scenario'] = { code: 'too_long', params: { max: MAX_SCENARIO } };
  return errors;
}

function validDate(value: string): boolean {
  const m = DATE_RE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/** The problem with a value typed for a field (a default value here; the fill form uses the same rule), or null. */
export function valueProblem(field: Pick<TemplateField, 'type' | 'maxLength'>, value: string): RuleError | null {
  const v = value.trim();
  if (!v) return null;
  switch (field.type) {
    case 'number':
    case 'amount': {
      const plain = v.replace(/,/g, '');
      if (!DECIMAL_RE.test(plain)) return { code: 'value_number' };
      if (Number(plain) >= 1e12) return { code: 'value_too_large' };
      return null;
    }
    case 'date':
      return validDate(v) ? null : { code: 'value_date' };
    default:
      return field.maxLength != null && [...value].length > field.maxLength ? { code: 'too_long', params: { max: field.maxLength } } : null;
  }
}

export function checkFields(kind: TemplateKind, fields: TemplateField[], pages: { width: number; height: number }[] | null): RuleErrors {
  const errors: RuleErrors = {};
  const seen = new Set<string>();
  fields.forEach((f, i) => {
    const at = (name: string, e: RuleError) => (errors[`field.${i}.${name}`] ??= e);
    if (kind === 'web' && !WEB_KEY_RE.test(f.key)) at('key', { code: 'key_invalid' });
    if (seen.has(f.key)) at('key', { code: 'key_duplicate' });
    seen.add(f.key);
    if (!f.label.trim()) at('label', { code: 'label_required' });
    else if (chars(f.label) > MAX_LABEL) at('label', { code: 'too_long', params: { max: MAX_LABEL } });
    if (f.maxLength != null) {
      if (f.type !== 'text' && f.type !== 'multiline') at('maxLength', { code: 'max_length_text_only' });
      else if (!Number.isInteger(f.maxLength) || f.maxLength < 1 || f.maxLength > MAX_TEXT_LENGTH) at('maxLength', { code: 'max_length_range', params: { max: MAX_TEXT_LENGTH } });
    }
    if (f.derivedFrom != null) {
      const source = fields.find((g) => g.key === f.derivedFrom);
      if (f.type !== 'amount_capital') at('derivedFrom', { code: 'derived_capital_only' });
      else if (!source || source.type !== 'amount') at('derivedFrom', { code: 'derived_needs_amount' });
    }
    if (f.defaultValue != null) {
      const problem = valueProblem(f, f.defaultValue);
      if (problem) at('defaultValue', problem);
    }
    if (kind === 'web') {
      const b = f.box;
      const page = b ? pages?.[b.page - 1] : undefined;
      if (!b) at('box', { code: 'box_required' });
      else if (!page || b.x < 0 || b.y < 0 || b.width <= 0 || b.height <= 0 || b.x + b.width > page.width + 0.01 || b.y + b.height > page.height + 0.01) at('box', { code: 'box_outside' });
      else if (b.fontSize < MIN_FONT || b.fontSize > MAX_FONT) at('box', { code: 'font_range', params: { min: MIN_FONT, max: MAX_FONT } });
    }
  });
  return errors;
}

export function checkRoles(kind: TemplateKind, def: TemplateDefinition): RuleErrors {
  const errors: RuleErrors = {};
  const roles = def.roles;
  if (roles.length === 0) errors.roles = { code: 'roles_required' };
  const names = new Set<string>();
  roles.forEach((r, i) => {
    const at = (name: string, e: RuleError) => (errors[`role.${i}.${name}`] ??= e);
    const name = r.name.trim();
    if (!name) at('name', { code: 'role_name_required' });
    else if (chars(name) > MAX_ROLE_NAME) at('name', { code: 'too_long', params: { max: MAX_ROLE_NAME } });
    else if (names.has(name)) at('name', { code: 'role_name_duplicate' });
    names.add(name);
    const main = r.kind === 'person' ? ['name_seal', 'handwritten'] : ['seal'];
    if (!r.marks.some((m) => main.includes(m.kind))) at('marks', { code: r.kind === 'person' ? 'person_mark_required' : 'seal_mark_required' });
    r.marks.forEach((m, j) => {
      const atMark = (field: string, e: RuleError) => (errors[`role.${i}.mark.${j}.${field}`] ??= e);
      if (!ROLE_MARKS[r.kind].includes(m.kind)) atMark('kind', { code: 'mark_not_allowed' });
      if ((m.kind === 'seal' || m.kind === 'riding') && r.kind !== 'department' && !m.sealType) atMark('sealType', { code: 'seal_type_required' });
      if (kind === 'word' && m.kind !== 'riding') {
        if (!m.keyword?.trim()) atMark('keyword', { code: 'keyword_required' });
        else if (chars(m.keyword) > MAX_KEYWORD) atMark('keyword', { code: 'too_long', params: { max: MAX_KEYWORD } });
      }
      for (const o of ['offsetX', 'offsetY'] as const) {
        const v = m[o];
        if (v != null && (!Number.isFinite(v) || Math.abs(v) > MAX_MARK_OFFSET)) atMark(o, { code: 'offset_range' });
      }
      if (kind === 'web' && (m.kind === 'riding' ? m.pageFrom == null || m.y == null : m.page == null || m.x == null || m.y == null)) atMark('position', { code: 'position_required' });
      // 骑缝规则: the server's rule (domain/contracts/riding-rule.ts); Word marks span the generated pages, checked at generation.
      if (m.ridingRule != null && (m.kind !== 'riding' || !isRidingRule(m.ridingRule))) atMark('ridingRule', { code: 'riding_rule_invalid' });
      else if (kind === 'web' && m.kind === 'riding' && m.pageFrom != null && m.pageTo != null) {
        const problem = ridingRangeProblem(m.pageFrom, m.pageTo, m.ridingRule);
        if (problem) atMark('position', { code: problem.code === 'RIDING_RANGE_INVALID' ? 'riding_range_invalid' : problem.selected === 0 ? 'riding_rule_none' : 'riding_rule_one', params: { from: m.pageFrom, to: m.pageTo } });
      }
    });
  });
  const steps = [...new Set(roles.map((r) => r.step))].sort((a, b) => a - b);
  if (roles.length > 0 && steps.some((s, i) => s !== i + 1)) errors.steps = { code: 'steps_contiguous' };
  return errors;
}

/** Everything the server checks at publish time that the browser can check. */
export function checkTemplate(kind: TemplateKind, info: { name: string; businessType: string | null; scenario: string | null }, def: TemplateDefinition, pages: { width: number; height: number }[] | null): RuleErrors {
  return { ...checkInfo(info), ...checkFields(kind, def.fields, pages), ...checkRoles(kind, def) };
}

/** A web field key from a label: the allowed characters only (the library name, a new field's label). */
export function keyFromLabel(label: string, taken: string[]): string {
  const base = [...label.replace(/[^A-Za-z0-9_\u4e00-\u9fff]/g, '')].slice(0, 36).join('') || 'field';
  let key = base;
  for (let n = 2; taken.includes(key); n++) key = `${base}_${n}`;
  return key;
}
