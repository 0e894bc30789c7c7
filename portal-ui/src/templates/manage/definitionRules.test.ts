import { describe, expect, it } from 'vitest';
import { checkRoles } from './definitionRules';
import { emptyMark, type TemplateDefinition, type TemplateRoleMark } from './types';

const withRiding = (mark: Partial<TemplateRoleMark>, kind: 'web' | 'word' = 'web') => {
  const def: TemplateDefinition = {
    fields: [],
    roles: [{ id: 'r1', name: '甲方', kind: 'enterprise', step: 1, canRefuse: false, marks: [{ ...emptyMark('riding'), sealType: 'contract', y: 100, offsetY: 100, ...mark }] }],
  };
  return checkRoles(kind, def)['role.0.mark.0.position'] ?? checkRoles(kind, def)['role.0.mark.0.ridingRule'] ?? null;
};

describe('definitionRules: the 骑缝规则 as the server checks it', () => {
  it('a range and rule that keep at least two pages pass', () => {
    expect(withRiding({ pageFrom: 1, pageTo: 4, ridingRule: 'odd' })).toBeNull();
    expect(withRiding({ pageFrom: 1, pageTo: 2 })).toBeNull();
    expect(withRiding({ ridingRule: 'even' }, 'word')).toBeNull(); // Word: checked on the generated pages
  });

  it('fewer than two selected pages, an unknown rule or a rule on another mark are errors at the mark', () => {
    expect(withRiding({ pageFrom: 3, pageTo: 3, ridingRule: 'even' })).toEqual({ code: 'riding_rule_none', params: { from: 3, to: 3 } });
    expect(withRiding({ pageFrom: 2, pageTo: 3, ridingRule: 'odd' })).toEqual({ code: 'riding_rule_one', params: { from: 2, to: 3 } });
    expect(withRiding({ pageFrom: 2, pageTo: 2 })).toEqual({ code: 'riding_range_invalid', params: { from: 2, to: 2 } });
    expect(withRiding({ pageFrom: 1, pageTo: 4, ridingRule: 'first' as never })).toEqual({ code: 'riding_rule_invalid' });
    expect(withRiding({ kind: 'seal', page: 1, x: 0, keyword: 'k', pageFrom: null, pageTo: null, ridingRule: 'odd' })?.code).toBe('riding_rule_invalid');
  });
});
