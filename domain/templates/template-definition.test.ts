import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { checkDefinition, parseDefinition, withFieldsForTags, type TemplateDefinitionInput } from './template-definition';

const A4 = { width: 595, height: 842 };
const tags = ['合同编号', '甲方名称', '总金额', '总金额大写'];

const wordDef = (over: Partial<TemplateDefinitionInput> = {}): TemplateDefinitionInput => ({
  fields: [
    { key: '合同编号', label: '合同编号', type: 'text', required: true },
    { key: '总金额', label: '总金额', type: 'amount', required: true },
    { key: '总金额大写', label: '总金额（大写）', type: 'amount_capital', derivedFrom: '总金额' },
  ],
  roles: [
    { id: 'r1', name: '甲方', kind: 'enterprise', step: 1, marks: [{ kind: 'seal', sealType: 'contract', keyword: '甲方（盖章）：', occurrence: 'last', offsetX: 20, offsetY: -30 }] },
    { id: 'r2', name: '乙方', kind: 'person', step: 2, canRefuse: true, marks: [{ kind: 'handwritten', keyword: '乙方（签字）：' }] },
  ],
  ...over,
});

const webDef = (over: Partial<TemplateDefinitionInput> = {}): TemplateDefinitionInput => ({
  fields: [{ key: 'buyer_name', label: '买方名称', type: 'text', required: true, box: { page: 1, x: 100, y: 100, width: 200, height: 20, fontSize: 12, align: 'left' } }],
  roles: [{ id: 'r1', name: '买方', kind: 'enterprise', step: 1, marks: [{ kind: 'seal', sealType: 'official', page: 2, x: 300, y: 600 }] }],
  ...over,
});

function refusal(run: () => unknown): { code: string; message: string; messageEn: string } {
  try {
    run();
  } catch (err) {
    if (err instanceof AppError) return { code: err.code, message: err.message, messageEn: err.messageEn };
    throw err;
  }
  throw new Error('accepted');
}

describe('template definition: shape', () => {
  it('fills the nullable parts and defaults', () => {
    const def = checkDefinition('word', wordDef(), { tags, complete: true });
    expect(def.fields[0]).toEqual({ key: '合同编号', label: '合同编号', type: 'text', required: true, defaultValue: null, maxLength: null, derivedFrom: null, libraryFieldId: null, box: null });
    expect(def.roles[0]!.marks[0]).toMatchObject({ kind: 'seal', sealType: 'contract', keyword: '甲方（盖章）：', occurrence: 'last', offsetX: 20, offsetY: -30, page: null });
    expect(def.roles[0]!.canRefuse).toBe(false);
  });

  it('names the field whose shape is wrong', () => {
    const r = refusal(() => parseDefinition({ fields: [{ key: 'a', label: '金额', type: 'money' }], roles: [] }));
    expect(r.code).toBe('TEMPLATE_DEFINITION_INVALID');
    expect(r.message).toBe('字段「金额」：字段类型不正确');
  });

  it('refuses unknown properties', () => {
    expect(refusal(() => parseDefinition({ fields: [], roles: [], extra: 1 })).code).toBe('TEMPLATE_DEFINITION_INVALID');
  });

  it('refuses a missing definition (undefined or null) instead of reading it as no fields and no roles', () => {
    for (const missing of [undefined, null]) {
      const r = refusal(() => checkDefinition('word', missing, { tags }));
      expect(r).toMatchObject({ code: 'TEMPLATE_DEFINITION_INVALID', message: '缺少模板定义（字段与签署角色），请刷新后重试' });
      expect(r.messageEn).toBe('The template definition (fields and signer roles) is missing');
    }
    expect(parseDefinition({})).toEqual({ fields: [], roles: [] }); // an explicit empty definition is one
  });

  it('refuses hidden characters in every text a field keeps (the shared rule): a lone surrogate would make MariaDB refuse the JSON column', () => {
    const field = (over: Record<string, unknown>) => wordDef({ fields: [{ key: '合同编号', label: '合同编号', type: 'text', ...over }] });
    const cases: [Record<string, unknown>, string, string][] = [
      [{ defaultValue: '\uD800x' }, '字段「合同编号」：默认值含有不可见或控制字符（U+D800）', 'Field "合同编号": The default value contains an invisible or control character (U+D800)'],
      [{ defaultValue: 'HT-\u202E001' }, '字段「合同编号」：默认值含有不可见或控制字符（U+202E）', 'U+202E'],
      [{ defaultValue: 'a\u200Bb' }, '字段「合同编号」：默认值含有不可见或控制字符（U+200B）', 'U+200B'],
      [{ libraryFieldId: '\uD800x' }, '字段「合同编号」：字段库标识含有不可见或控制字符（U+D800）', 'The library field id contains'],
      [{ libraryFieldId: 'a\u0000' }, '字段「合同编号」：字段库标识含有不可见或控制字符（U+0000）', 'U+0000'],
      [{ label: '合同\uD800编号' }, '字段「合同\uD800编号」：字段名称含有不可见或控制字符（U+D800）', 'U+D800'],
    ];
    for (const [over, zh, en] of cases) {
      const r = refusal(() => checkDefinition('word', field(over), { tags }));
      expect(r.code).toBe('TEMPLATE_DEFINITION_INVALID');
      expect(r.message).toBe(zh);
      expect(r.messageEn).toContain(en);
    }
    const roleName = refusal(() => checkDefinition('word', wordDef({ roles: [{ id: 'r1', name: '甲\u202E方', kind: 'person', step: 1, marks: [] }] }), { tags }));
    expect(roleName.message).toBe('角色「甲\u202E方」：角色名称含有不可见或控制字符（U+202E）');
    // A multi-line default keeps its line breaks; a library field id (a UUID) is kept as sent.
    const ok = checkDefinition('word', wordDef({ fields: [{ key: '合同编号', label: '备注', type: 'multiline', defaultValue: '第一行\n第二行', libraryFieldId: '0b6a4a3e-6a3f-4f7e-9d55-1c1f2f3a4b5c' }] }), { tags });
    expect(ok.fields[0]).toMatchObject({ defaultValue: '第一行\n第二行', libraryFieldId: '0b6a4a3e-6a3f-4f7e-9d55-1c1f2f3a4b5c' });
  });
});

describe('template definition: fields', () => {
  it('word field keys must be tags of the source', () => {
    const r = refusal(() => checkDefinition('word', wordDef({ fields: [{ key: '丙方名称', label: '丙方', type: 'text' }] }), { tags }));
    expect(r.message).toBe('字段「丙方」：模板文件中没有标签 {丙方名称}');
  });

  it('keys are unique', () => {
    const fields = [
      { key: '甲方名称', label: '甲方', type: 'text' as const },
      { key: '甲方名称', label: '甲方2', type: 'text' as const },
    ];
    expect(refusal(() => checkDefinition('word', wordDef({ fields }), { tags })).message).toBe('字段「甲方2」：标识 甲方名称 重复');
  });

  it('amount_capital derives from an amount field only', () => {
    const fields = [
      { key: '合同编号', label: '编号', type: 'text' as const },
      { key: '总金额大写', label: '大写', type: 'amount_capital' as const, derivedFrom: '合同编号' },
    ];
    expect(refusal(() => checkDefinition('word', wordDef({ fields }), { tags })).message).toBe('字段「大写」：须由一个金额字段生成');
    const textDerived = [{ key: '合同编号', label: '编号', type: 'text' as const, derivedFrom: '总金额' }];
    expect(refusal(() => checkDefinition('word', wordDef({ fields: textDerived }), { tags })).message).toBe('字段「编号」：只有大写金额字段可以由其他字段生成');
  });

  it('a length limit is for text fields only and at most 2000', () => {
    expect(refusal(() => checkDefinition('word', wordDef({ fields: [{ key: '总金额', label: '金额', type: 'amount', maxLength: 10 }] }), { tags })).message).toBe('字段「金额」：只有文本字段可以限制长度');
    expect(refusal(() => parseDefinition({ fields: [{ key: 'x', label: '说明', type: 'multiline', maxLength: 2001 }] })).message).toBe('字段「说明」：长度限制不能超过 2000');
  });

  it('web fields need a box inside a page and a plain key', () => {
    expect(checkDefinition('web', webDef(), { pages: [A4, A4] }).fields[0]!.box).toMatchObject({ page: 1, fontSize: 12 });
    const noBox = webDef({ fields: [{ key: 'buyer', label: '买方', type: 'text' }] });
    expect(refusal(() => checkDefinition('web', noBox, { pages: [A4] })).message).toBe('字段「买方」：请在页面上放置字段位置');
    const outside = webDef({ fields: [{ key: 'buyer', label: '买方', type: 'text', box: { page: 1, x: 500, y: 100, width: 200, height: 20, fontSize: 12, align: 'left' } }] });
    expect(refusal(() => checkDefinition('web', outside, { pages: [A4] })).message).toBe('字段「买方」：位置超出页面范围');
    const page3 = webDef({ fields: [{ key: 'buyer', label: '买方', type: 'text', box: { page: 3, x: 10, y: 10, width: 20, height: 20, fontSize: 12, align: 'left' } }] });
    expect(refusal(() => checkDefinition('web', page3, { pages: [A4, A4] })).message).toBe('字段「买方」：页码超出文件页数（共 2 页）');
    const badKey = webDef({ fields: [{ key: 'a-b', label: '买方', type: 'text', box: { page: 1, x: 10, y: 10, width: 20, height: 20, fontSize: 12, align: 'left' } }] });
    expect(refusal(() => checkDefinition('web', badKey, { pages: [A4] })).code).toBe('TEMPLATE_DEFINITION_INVALID');
  });

  it('word fields take no box', () => {
    const boxed = wordDef({ fields: [{ key: '合同编号', label: '编号', type: 'text', box: { page: 1, x: 1, y: 1, width: 10, height: 10, fontSize: 10, align: 'left' } }] });
    expect(refusal(() => checkDefinition('word', boxed, { tags })).message).toBe('字段「编号」：Word 模板的字段不需要位置');
  });

  it('tags without a field get an optional text field; existing fields stay', () => {
    const def = withFieldsForTags(parseDefinition({ fields: [{ key: '总金额', label: '金额', type: 'amount', required: true }] }), tags);
    expect(def.fields.map((f) => [f.key, f.type, f.required])).toEqual([
      ['总金额', 'amount', true],
      ['合同编号', 'text', false],
      ['甲方名称', 'text', false],
      ['总金额大写', 'text', false],
    ]);
  });
});

describe('template definition: roles and marks', () => {
  it('role names unique and steps contiguous from 1', () => {
    const dupe = wordDef({ roles: [{ id: 'r1', name: '甲方', kind: 'person', step: 1 }, { id: 'r2', name: '甲方', kind: 'person', step: 2 }] });
    expect(refusal(() => checkDefinition('word', dupe, { tags })).message).toBe('角色名称「甲方」重复');
    const gap = wordDef({ roles: [{ id: 'r1', name: '甲方', kind: 'person', step: 1 }, { id: 'r2', name: '乙方', kind: 'person', step: 3 }] });
    expect(refusal(() => checkDefinition('word', gap, { tags })).message).toBe('签署顺序须从 1 开始连续编号');
    const sameId = wordDef({ roles: [{ id: 'r1', name: '甲方', kind: 'person', step: 1 }, { id: 'r1', name: '乙方', kind: 'person', step: 1 }] });
    expect(refusal(() => checkDefinition('word', sameId, { tags })).message).toBe('角色「乙方」：标识 r1 重复');
  });

  it('marks allowed for the role kind (ALLOWED_MARKS), named by role', () => {
    const personSeal = wordDef({ roles: [{ id: 'r1', name: '乙方', kind: 'person', step: 1, marks: [{ kind: 'seal', sealType: 'contract', keyword: '乙方' }] }] });
    const r = refusal(() => checkDefinition('word', personSeal, { tags }));
    expect(r.code).toBe('TEMPLATE_DEFINITION_INVALID');
    expect(r.message).toBe('角色「乙方」：不能使用企业印章');
    expect(r.messageEn).toBe('Role "乙方": a enterprise seal is not allowed for this participant');
  });

  it('word marks need a keyword, except the riding seal', () => {
    const noKeyword = wordDef({ roles: [{ id: 'r1', name: '甲方', kind: 'enterprise', step: 1, marks: [{ kind: 'seal', sealType: 'contract' }] }] });
    expect(refusal(() => checkDefinition('word', noKeyword, { tags })).message).toBe('角色「甲方」：请为签章位置填写定位关键字');
    const riding = wordDef({ roles: [{ id: 'r1', name: '甲方', kind: 'enterprise', step: 1, marks: [{ kind: 'riding', sealType: 'contract', offsetY: 300 }] }] });
    expect(checkDefinition('word', riding, { tags, complete: true }).roles[0]!.marks[0]!.kind).toBe('riding');
  });

  it('骑缝规则: 全部页 / 奇数页 / 偶数页, kept with the mark (web: over its range, word: over the generated pages)', () => {
    const riding = (mark: Record<string, unknown>) => ({ id: 'r1', name: '买方', kind: 'enterprise' as const, step: 1, marks: [{ kind: 'riding' as const, sealType: 'official', ...mark }] });
    const web = checkDefinition('web', webDef({ roles: [riding({ pageFrom: 1, pageTo: 4, y: 300, ridingRule: 'even' })] }), { pages: [A4, A4, A4, A4], complete: true });
    expect(web.roles[0]!.marks[0]).toMatchObject({ kind: 'riding', pageFrom: 1, pageTo: 4, ridingRule: 'even' });
    expect(checkDefinition('web', webDef({ roles: [riding({ pageFrom: 1, pageTo: 4, y: 300 })] }), { pages: [A4, A4, A4, A4] }).roles[0]!.marks[0]!.ridingRule).toBeNull();
    // Word: the page count is known at generation only (generate-document.ts checks the rule there).
    for (const rule of ['all', 'odd', 'even'] as const) {
      expect(checkDefinition('word', wordDef({ roles: [riding({ offsetY: 300, ridingRule: rule })] }), { tags, complete: true }).roles[0]!.marks[0]!.ridingRule).toBe(rule);
    }
  });

  it('骑缝规则 refused: a range it leaves with fewer than two pages, an unknown rule, a rule on another mark', () => {
    const riding = (mark: Record<string, unknown>) => webDef({ roles: [{ id: 'r1', name: '买方', kind: 'enterprise', step: 1, marks: [{ kind: 'riding', sealType: 'official', y: 300, ...mark }] }] });
    const pages = [A4, A4, A4, A4];
    const none = refusal(() => checkDefinition('web', riding({ pageFrom: 3, pageTo: 3, ridingRule: 'even' }), { pages }));
    expect(none).toEqual({ code: 'TEMPLATE_DEFINITION_INVALID', message: '角色「买方」：骑缝区间第 3–3 页中没有偶数页，请调整骑缝区间或骑缝规则', messageEn: 'Role "买方": pages 3–3 have no even page; change the range or the rule' });
    expect(refusal(() => checkDefinition('web', riding({ pageFrom: 2, pageTo: 3, ridingRule: 'odd' }), { pages })).message).toBe('角色「买方」：骑缝章至少跨两页：骑缝区间第 2–3 页中只有 1 个奇数页，请扩大骑缝区间或改用全部页');
    expect(refusal(() => checkDefinition('web', riding({ pageFrom: 1, pageTo: 4, ridingRule: 'middle' }), { pages })).message).toBe('角色「买方」：骑缝规则须为全部页、奇数页或偶数页');
    const onSeal = webDef({ roles: [{ id: 'r1', name: '买方', kind: 'enterprise', step: 1, marks: [{ kind: 'seal', sealType: 'official', page: 2, x: 300, y: 600, ridingRule: 'odd' }] }] });
    expect(refusal(() => checkDefinition('web', onSeal, { pages })).message).toBe('角色「买方」：企业印章不需要骑缝规则');
    const wordSeal = wordDef({ roles: [{ id: 'r1', name: '甲方', kind: 'enterprise', step: 1, marks: [{ kind: 'seal', sealType: 'contract', keyword: '甲方', ridingRule: 'all' }] }] });
    expect(refusal(() => checkDefinition('word', wordSeal, { tags })).message).toBe('角色「甲方」：企业印章不需要骑缝规则');
  });

  it('seal types must be enabled', () => {
    expect(refusal(() => checkDefinition('word', wordDef(), { tags, sealTypes: ['official'] })).message).toBe('角色「甲方」：印章类型 contract 未启用');
  });

  it('web marks must be placed inside the pages', () => {
    const off = webDef({ roles: [{ id: 'r1', name: '买方', kind: 'enterprise', step: 1, marks: [{ kind: 'seal', sealType: 'official', page: 1, x: 550, y: 600 }] }] });
    expect(refusal(() => checkDefinition('web', off, { pages: [A4] })).message).toBe('角色「买方」：企业印章的位置超出页面范围');
    const unplaced = webDef({ roles: [{ id: 'r1', name: '买方', kind: 'enterprise', step: 1, marks: [{ kind: 'seal', sealType: 'official' }] }] });
    expect(refusal(() => checkDefinition('web', unplaced, { pages: [A4] })).message).toBe('角色「买方」：请放置企业印章的位置');
  });

  it('publishing needs at least one role, each with its main mark', () => {
    expect(refusal(() => checkDefinition('word', wordDef({ roles: [] }), { tags, complete: true })).message).toBe('请至少添加一个签署角色');
    const dateOnly = wordDef({ roles: [{ id: 'r1', name: '甲方', kind: 'enterprise', step: 1, marks: [{ kind: 'date', keyword: '日期' }] }] });
    expect(checkDefinition('word', dateOnly, { tags }).roles).toHaveLength(1); // a draft may be incomplete
    expect(refusal(() => checkDefinition('word', dateOnly, { tags, complete: true })).message).toBe('角色「甲方」：请至少放置一个印章（企业印章或骑缝章）');
  });
});
