import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { assertTemplateUsable, participantsForRoles, templateForm } from './start-from-template';
import type { TemplateDefinition, TemplateRole } from './template-definition';

const role = (id: string, name: string, kind: TemplateRole['kind'], step: number, canRefuse = false): TemplateRole => ({ id, name, kind, step, canRefuse, marks: [] });
const roles = [role('r2', '乙方', 'enterprise', 2, true), role('r1', '甲方', 'person', 1), role('r3', '丙方', 'department', 2)];

function errorOf(run: () => unknown): AppError {
  try {
    run();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('no error');
}

describe('participantsForRoles', () => {
  it('every role becomes one preset participant of its kind, step and 可拒签, ordered by step', () => {
    const mapped = participantsForRoles(roles, [
      { roleId: 'r3', enterpriseId: 'e2', departmentName: '法务部', mobile: '13800000009' },
      { roleId: 'r1', mobile: '13800000001', name: '张三', enterpriseId: 'ignored' },
      { roleId: 'r2', enterpriseId: 'e1', operatorMobile: '13800000002' },
    ]);
    expect(mapped.map((m) => m.spec)).toEqual([
      { kind: 'person', step: 1, canRefuse: false, note: null, placement: 'preset', mobile: '13800000001', name: '张三' },
      { kind: 'enterprise', step: 2, canRefuse: true, note: null, placement: 'preset', enterpriseId: 'e1', operatorMobile: '13800000002' },
      { kind: 'department', step: 2, canRefuse: false, note: null, placement: 'preset', enterpriseId: 'e2', operatorMobile: null, departmentName: '法务部' },
    ]);
  });

  it('refuses a role left out, taken twice or unknown, naming it', () => {
    const missing = errorOf(() => participantsForRoles(roles, [{ roleId: 'r1', mobile: '13800000001' }, { roleId: 'r2', enterpriseId: 'e1' }]));
    expect([missing.code, missing.message]).toEqual(['TEMPLATE_ROLE_UNMAPPED', '请为角色「丙方」指定签署方']);
    expect(errorOf(() => participantsForRoles(roles, [{ roleId: 'r1', mobile: '1' }, { roleId: 'r1', mobile: '2' }])).code).toBe('TEMPLATE_ROLE_DUPLICATE');
    expect(errorOf(() => participantsForRoles(roles, [{ roleId: 'r9', mobile: '1' }])).code).toBe('TEMPLATE_ROLE_UNKNOWN');
  });
});

describe('assertTemplateUsable', () => {
  it('only published + enabled templates start contracts: 409 saying 未发布 or 已停用', () => {
    expect(() => assertTemplateUsable({ status: 'published', enabled: true })).not.toThrow();
    const draft = errorOf(() => assertTemplateUsable({ status: 'draft', enabled: true }));
    expect([draft.kind, draft.code, draft.details?.reason]).toEqual(['conflict', 'TEMPLATE_NOT_USABLE', 'draft']);
    expect(draft.message).toContain('未发布');
    const disabled = errorOf(() => assertTemplateUsable({ status: 'published', enabled: false }));
    expect([disabled.code, disabled.details?.reason]).toEqual(['TEMPLATE_NOT_USABLE', 'disabled']);
    expect(disabled.message).toContain('已停用');
  });
});

describe('templateForm', () => {
  it('answers fields without boxes (derived capitals flagged) and roles with the kinds of their marks', () => {
    const definition: TemplateDefinition = {
      fields: [
        { key: 'amount', label: '金额', type: 'amount', required: true, defaultValue: null, maxLength: null, derivedFrom: null, libraryFieldId: null, box: { page: 1, x: 1, y: 1, width: 100, height: 20, fontSize: 12, align: 'left' } },
        { key: 'capital', label: '大写', type: 'amount_capital', required: false, defaultValue: null, maxLength: null, derivedFrom: 'amount', libraryFieldId: null, box: null },
      ],
      roles: [{ ...role('r1', '甲方', 'person', 1), marks: [{ kind: 'name_seal', sealType: null, page: 1, x: 1, y: 1, width: null, height: null, pageFrom: null, pageTo: null, ridingRule: null, keyword: null, occurrence: null, offsetX: null, offsetY: null }] }],
    };
    const form = templateForm({ id: 't', kind: 'web', name: '模板', definition });
    expect(form.fields.map((f) => [f.key, f.derived, 'box' in f])).toEqual([['amount', false, false], ['capital', true, false]]);
    expect(form.roles).toEqual([{ id: 'r1', name: '甲方', kind: 'person', step: 1, canRefuse: false, markKinds: ['name_seal'] }]);
  });
});
