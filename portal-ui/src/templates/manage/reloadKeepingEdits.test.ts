import { describe, expect, it } from 'vitest';
import { newField, type TemplateDefinition, type TemplateView } from './types';
import { infoOf, reloadKeepingEdits } from './reloadKeepingEdits';

const definition: TemplateDefinition = { fields: [newField('甲方名称', '甲方名称')], roles: [] };
const base = { version: 3, name: '租赁合同', businessType: '租赁', scenario: null, definition } as unknown as TemplateView;

describe('reloadKeepingEdits', () => {
  it('keeps the info fields and the definition edited on the page; the rest shows the other change', () => {
    // The page renamed the template and added a field; someone else set 应用场景 meanwhile (version 4).
    const latest = { ...base, version: 4, scenario: '设备租赁' } as TemplateView;
    const edited: TemplateDefinition = { ...definition, fields: [...definition.fields, newField('租金', '租金', 'amount')] };
    const next = reloadKeepingEdits(base, latest, { ...infoOf(base), name: '租赁合同（2026）' }, edited);
    expect(next.info).toEqual({ name: '租赁合同（2026）', businessType: '租赁', scenario: '设备租赁' });
    expect(next.definition).toBe(edited);
    expect(next.dirty).toBe(true);
  });

  it('an unchanged definition takes the other change; an edit the other change already made is not dirty', () => {
    const theirs: TemplateDefinition = { ...definition, fields: [{ ...definition.fields[0]!, required: true }] };
    const latest = { ...base, version: 4, name: '租赁合同（2026）', definition: theirs } as TemplateView;
    const next = reloadKeepingEdits(base, latest, { ...infoOf(base), name: '租赁合同（2026）' }, definition);
    expect(next.definition).toBe(theirs);
    expect(next.dirty).toBe(false);
  });
});
