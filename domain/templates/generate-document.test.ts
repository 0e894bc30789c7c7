import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { markSize } from '../contracts/mark-geometry';
import { generateTemplateDocument, textFieldItems, wordRoleMarks, type KeywordHit, type TemplateEngine, type TextFieldItem } from './generate-document';
import type { TemplateDefinition, TemplateField, TemplateRole, TemplateRoleMark } from './template-definition';

const A4 = { width: 595.28, height: 841.89 };
const mark = (over: Partial<TemplateRoleMark>): TemplateRoleMark => ({
  kind: 'seal',
  sealType: 'contract',
  page: null,
  x: null,
  y: null,
  width: null,
  height: null,
  pageFrom: null,
  pageTo: null,
  ridingRule: null,
  keyword: null,
  occurrence: null,
  offsetX: null,
  offsetY: null,
  ...over,
});
const role = (marks: TemplateRoleMark[], over: Partial<TemplateRole> = {}): TemplateRole => ({ id: 'r1', name: '甲方', kind: 'enterprise', step: 1, canRefuse: false, marks, ...over });
const hit = (page: number, x: number, y: number): KeywordHit => ({ page, x, y, width: 60, height: 12 });
const field = (over: Partial<TemplateField>): TemplateField => ({ key: 'k', label: '标签', type: 'text', required: false, defaultValue: null, maxLength: null, derivedFrom: null, libraryFieldId: null, box: null, ...over });

function errorOf(run: () => unknown): AppError {
  try {
    run();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('no error');
}

describe('wordRoleMarks (关键字定位)', () => {
  const hits = { '甲方（盖章）：': [hit(1, 100, 200), hit(2, 110, 300), hit(3, 120, 400)] };
  const pages = [A4, A4, A4];

  it('places a mark at the first, last or every occurrence, top-left of the hit plus the offset', () => {
    const first = wordRoleMarks(role([mark({ keyword: '甲方（盖章）：', occurrence: 'first', offsetX: 80, offsetY: -40 })]), hits, pages);
    expect(first).toEqual([{ kind: 'seal', sealType: 'contract', page: 1, x: 180, y: 160, width: null, height: null }]);
    const last = wordRoleMarks(role([mark({ keyword: '甲方（盖章）：', occurrence: 'last', offsetX: 0, offsetY: 0 })]), hits, pages);
    expect(last.map((m) => [m.page, m.x, m.y])).toEqual([[3, 120, 400]]);
    const all = wordRoleMarks(role([mark({ keyword: '甲方（盖章）：', occurrence: 'all' })]), hits, pages);
    expect(all.map((m) => [m.page, m.x, m.y])).toEqual([[1, 100, 200], [2, 110, 300], [3, 120, 400]]);
  });

  it('a 骑缝章 spans every page of the generated document at y = offsetY', () => {
    expect(wordRoleMarks(role([mark({ kind: 'riding', offsetY: 300 })]), hits, pages)).toEqual([{ kind: 'riding', sealType: 'contract', y: 300, width: null, height: null, pageFrom: 1, pageTo: 3, ridingRule: 'all' }]);
    const single = errorOf(() => wordRoleMarks(role([mark({ kind: 'riding', offsetY: 300 })]), hits, [A4]));
    expect([single.code, single.kind]).toEqual(['TEMPLATE_RIDING_SINGLE_PAGE', 'rejected']);
  });

  it('骑缝规则: 奇数页 / 偶数页 of the generated document, at least two of them', () => {
    const odd = wordRoleMarks(role([mark({ kind: 'riding', offsetY: 300, ridingRule: 'odd' })]), hits, pages);
    expect(odd).toEqual([{ kind: 'riding', sealType: 'contract', y: 300, width: null, height: null, pageFrom: 1, pageTo: 3, ridingRule: 'odd' }]);
    // Three pages hold one even page (2): too few for a 骑缝章.
    const even = errorOf(() => wordRoleMarks(role([mark({ kind: 'riding', offsetY: 300, ridingRule: 'even' })]), hits, pages));
    expect([even.code, even.kind]).toEqual(['TEMPLATE_RIDING_SINGLE_PAGE', 'rejected']);
    expect(even.message).toBe('角色「甲方」的骑缝章（偶数页）至少需要两页，生成的文件共 3 页，其中只有 1 个偶数页');
    expect(even.messageEn).toContain('even pages');
    expect(wordRoleMarks(role([mark({ kind: 'riding', offsetY: 300, ridingRule: 'even' })]), hits, [A4, A4, A4, A4])[0]).toMatchObject({ pageFrom: 1, pageTo: 4, ridingRule: 'even' });
  });

  it('a keyword not found is a 422 naming the role and the keyword', () => {
    const err = errorOf(() => wordRoleMarks(role([mark({ keyword: '丙方（盖章）：' })], { name: '丙方' }), hits, pages));
    expect([err.code, err.kind]).toEqual(['TEMPLATE_KEYWORD_MISSING', 'rejected']);
    expect(err.message).toContain('丙方');
    expect(err.message).toContain('丙方（盖章）：');
    expect(err.messageEn).toContain('丙方（盖章）：');
  });

  it('a mark pushed off the page by its offset is refused (the seal size counts)', () => {
    const size = markSize('seal', 'contract');
    const fits = wordRoleMarks(role([mark({ keyword: '甲方（盖章）：', offsetX: A4.width - 100 - size.width })]), hits, pages);
    expect(fits).toHaveLength(1);
    const err = errorOf(() => wordRoleMarks(role([mark({ keyword: '甲方（盖章）：', offsetX: A4.width - 100 - size.width + 1 })]), hits, pages));
    expect(err.code).toBe('TEMPLATE_MARK_OUT_OF_PAGE');
    expect(errorOf(() => wordRoleMarks(role([mark({ keyword: '甲方（盖章）：', offsetY: -201 })]), hits, pages)).code).toBe('TEMPLATE_MARK_OUT_OF_PAGE');
  });

  it('a keyword that occurs too often for 每处 is refused rather than cut', () => {
    const many = { 签字: Array.from({ length: 31 }, (_, i) => hit(1, 10, 10 + i * 20)) };
    const err = errorOf(() => wordRoleMarks(role([mark({ kind: 'handwritten', sealType: null, keyword: '签字', occurrence: 'all' })], { kind: 'person' }), many, [{ width: 595, height: 2000 }]));
    expect(err.code).toBe('TEMPLATE_TOO_MANY_MARKS');
  });
});

describe('generateTemplateDocument', () => {
  const calls: string[] = [];
  const engine = (hits: Record<string, KeywordHit[]> = {}, pages = [A4, A4]): TemplateEngine => ({
    fillDocx: async (docx, values) => {
      calls.push(`fill:${JSON.stringify(values)}`);
      return docx;
    },
    toPdf: async () => {
      calls.push('toPdf');
      return new TextEncoder().encode('%PDF-generated');
    },
    findKeywords: async (_pdf, keywords) => {
      calls.push(`find:${keywords.join('|')}`);
      return hits;
    },
    drawTextFields: async (_pdf, items: TextFieldItem[]) => {
      calls.push(`draw:${items.map((i) => i.text).join('|')}`);
      return new TextEncoder().encode('%PDF-drawn');
    },
    inspectPdf: async () => ({ pageCount: pages.length, pages }),
  });
  const store = { get: async () => new TextEncoder().encode('source') };
  const limits = { maxBytes: 1e7, maxPages: 100 };

  it('word: fills every field (missing ones empty), converts, finds each keyword once and places the marks', async () => {
    calls.length = 0;
    const definition: TemplateDefinition = {
      fields: [field({ key: '甲方名称' }), field({ key: '总金额', type: 'amount' })],
      roles: [role([mark({ keyword: '甲方（盖章）：', offsetX: 70, offsetY: -30 }), mark({ kind: 'date', sealType: null, keyword: '甲方（盖章）：', offsetX: 70, offsetY: 60 })]), role([mark({ kind: 'handwritten', sealType: null, keyword: '乙方（签字）：', offsetX: 70 })], { id: 'r2', name: '乙方', kind: 'person', step: 2 })],
    };
    const doc = await generateTemplateDocument({ store, limits, engine: engine({ '甲方（盖章）：': [hit(2, 72, 500)], '乙方（签字）：': [hit(2, 300, 500)] }) }, { id: 't', kind: 'word', name: '采购合同', sourceKey: 'templates/t/source.docx', definition }, { 甲方名称: '某某公司' });
    expect(calls).toEqual(['fill:{"甲方名称":"某某公司","总金额":""}', 'toPdf', 'find:甲方（盖章）：|乙方（签字）：']);
    expect(new TextDecoder().decode(doc.pdf)).toBe('%PDF-generated');
    expect(doc.pages).toHaveLength(2);
    expect(doc.roleMarks.r1!.map((m) => [m.kind, m.page, m.x, m.y])).toEqual([['seal', 2, 142, 470], ['date', 2, 142, 560]]);
    expect(doc.roleMarks.r2!.map((m) => [m.kind, m.page, m.x, m.y])).toEqual([['handwritten', 2, 370, 500]]);
  });

  it('web: draws the values into their boxes (empty ones skipped) and keeps the placed marks', async () => {
    calls.length = 0;
    const box = { page: 1, x: 100, y: 100, width: 200, height: 20, fontSize: 12, align: 'left' as const };
    const definition: TemplateDefinition = {
      fields: [field({ key: 'name', box }), field({ key: 'notes', type: 'multiline', box: { ...box, y: 200, height: 80 } }), field({ key: 'empty', box: { ...box, y: 300 } })],
      roles: [role([mark({ page: 1, x: 300, y: 600 }), mark({ kind: 'riding', pageFrom: 1, pageTo: 2, y: 300, ridingRule: null }), mark({ kind: 'riding', pageFrom: 1, pageTo: 2, y: 400, ridingRule: 'even' })])],
    };
    const values = { name: '张三', notes: '第一行\n第二行', empty: '' };
    expect(textFieldItems(definition, values).map((i) => [i.text, i.multiline])).toEqual([['张三', false], ['第一行\n第二行', true]]);
    const doc = await generateTemplateDocument({ store, limits, engine: engine() }, { id: 't', kind: 'web', name: 'Web', sourceKey: 'templates/t/source.pdf', definition }, values);
    expect(calls).toEqual(['draw:张三|第一行\n第二行']);
    expect(new TextDecoder().decode(doc.pdf)).toBe('%PDF-drawn');
    expect(doc.roleMarks).toEqual({
      r1: [
        { kind: 'seal', sealType: 'contract', page: 1, x: 300, y: 600, width: null, height: null, pageFrom: null, pageTo: null },
        // A 骑缝章 passes its 骑缝规则 on to the contract as defined (全部页 when none; startContract checks it against the pages).
        { kind: 'riding', sealType: 'contract', page: null, x: null, y: 300, width: null, height: null, pageFrom: 1, pageTo: 2, ridingRule: 'all' },
        { kind: 'riding', sealType: 'contract', page: null, x: null, y: 400, width: null, height: null, pageFrom: 1, pageTo: 2, ridingRule: 'even' },
      ],
    });
  });
});
