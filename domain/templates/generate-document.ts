/**
 * Generation of a document from a template (M18, M19) — the one domain function the API (through
 * the TemplateGenerationWorkflow's activity), the publish check and the tests use:
 * - word: docxtemplater fills the .docx → LibreOffice converts it to PDF → the role marks are placed
 *   by 关键字定位 on the generated PDF (top-left of the keyword hit + offset; first / last / every
 *   occurrence; a 骑缝章 spans all pages at y = offsetY). A keyword that is missing, or a mark that
 *   leaves its page, is a 422 naming the role and the keyword (at publish time, with sample values).
 * - web: the field values are drawn as text into their boxes on the uploaded PDF (the page count
 *   never changes); the marks are where the author placed them.
 * The engine (Word filling, conversion, keyword search, text drawing, PDF inspection) is passed in:
 * activities give the real one (documents/ + integrations/office/), unit tests a fake.
 */
import type { KeywordHit, PdfInfo, PdfLimits, PdfOrigin, TextFieldItem } from '../../documents';
import type { DocumentStore } from '../../integrations/storage/document-store';
import type { MarkKind } from '../contracts/contract-mark.entity';
import { markSize, resolveMarkSize } from '../contracts/mark-geometry';
import { RIDING_RULE_LABELS, ridingPages, ridingRangeProblem, ridingRuleOf } from '../contracts/riding-rule';
import { MAX_MARKS_PER_PARTICIPANT, type MarkSpec, type PageSize } from '../contracts/start-contract-spec';
import { rejected } from '../errors';
import type { TemplateDefinition, TemplateRole, TemplateRoleMark } from './template-definition';
import type { DocumentTemplate } from './template.entity';

export type { KeywordHit, TextFieldItem };

/** What generation needs from the document engine (ISSUE11 binding interfaces of parts E and W). */
export interface TemplateEngine {
  fillDocx(docx: Uint8Array, values: Record<string, string>): Promise<Uint8Array>;
  toPdf(docx: Uint8Array): Promise<Uint8Array>;
  findKeywords(pdf: Uint8Array, keywords: string[]): Promise<Record<string, KeywordHit[]>>;
  drawTextFields(pdf: Uint8Array, items: TextFieldItem[]): Promise<Uint8Array>;
  inspectPdf(pdf: Uint8Array, limits: PdfLimits, origin?: PdfOrigin): Promise<PdfInfo>;
}

export interface GenerateDeps {
  store: Pick<DocumentStore, 'get'>;
  engine: TemplateEngine;
  limits: PdfLimits;
}

export type TemplateForGeneration = Pick<DocumentTemplate, 'id' | 'kind' | 'name' | 'sourceKey' | 'definition'>;

export interface GeneratedDocument {
  pdf: Uint8Array;
  pages: PageSize[];
  /** Role id → its marks, as `MarkSpec`s for startContract (placement 'preset'). */
  roleMarks: Record<string, MarkSpec[]>;
}

export async function generateTemplateDocument(deps: GenerateDeps, template: TemplateForGeneration, values: Record<string, string>): Promise<GeneratedDocument> {
  const source = await deps.store.get(template.sourceKey);
  const def = template.definition;
  if (template.kind === 'word') {
    const filled = await deps.engine.fillDocx(source, completeValues(def, values));
    const pdf = await deps.engine.toPdf(filled);
    const { pages } = await deps.engine.inspectPdf(pdf, deps.limits);
    const keywords = [...new Set(def.roles.flatMap((r) => r.marks.flatMap((m) => (m.kind !== 'riding' && m.keyword ? [m.keyword] : []))))];
    const hits = keywords.length ? await deps.engine.findKeywords(pdf, keywords) : {};
    return { pdf, pages, roleMarks: Object.fromEntries(def.roles.map((r) => [r.id, wordRoleMarks(r, hits, pages)])) };
  }
  const { pages } = await deps.engine.inspectPdf(source, deps.limits, 'stored'); // checked when the template was uploaded
  const items = textFieldItems(def, values);
  const pdf = items.length ? await deps.engine.drawTextFields(source, items) : source;
  return { pdf, pages, roleMarks: Object.fromEntries(def.roles.map((r) => [r.id, r.marks.map(webMark)])) };
}

/** Every field key gets a string (a tag without a value would otherwise print "undefined"). */
function completeValues(def: TemplateDefinition, values: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of def.fields) out[f.key] = values[f.key] ?? '';
  return out;
}

/** Web: the boxes of the fields that have a value. */
export function textFieldItems(def: TemplateDefinition, values: Record<string, string>): TextFieldItem[] {
  return def.fields.flatMap((f) => {
    const text = values[f.key] ?? '';
    if (!f.box || text === '') return [];
    const { page, x, y, width, height, fontSize, align } = f.box;
    return [{ page, x, y, width, height, fontSize, align, multiline: f.type === 'multiline', text, label: f.label }];
  });
}

const webMark = (m: TemplateRoleMark): MarkSpec => ({
  kind: m.kind,
  sealType: m.sealType,
  page: m.page,
  x: m.x,
  y: m.y,
  width: m.width,
  height: m.height,
  pageFrom: m.pageFrom,
  pageTo: m.pageTo,
  ...(m.kind === 'riding' ? { ridingRule: ridingRuleOf(m.ridingRule) } : {}),
});

const round = (v: number) => Math.round(v * 100) / 100;

/** The box a mark takes (its resized box when valid, else its base size; startContract checks the size rule again). */
function sizeOf(role: TemplateRole, m: TemplateRoleMark): { width: number; height: number } {
  const sealType = role.kind === 'department' && (m.kind === 'seal' || m.kind === 'riding') ? 'department' : m.sealType;
  const base = markSize(m.kind as MarkKind, sealType);
  const r = resolveMarkSize(m.kind as MarkKind, base, m.width, m.height);
  return 'size' in r ? r.size : base;
}

/**
 * Word: a role's marks on the generated PDF. Each keyword mark becomes one mark per chosen hit
 * (first, last or all) at the hit's top-left + offset; a 骑缝章 spans every page at y = offsetY, or
 * the odd / even ones by its 骑缝规则 (at least two of them: riding-rule.ts).
 */
export function wordRoleMarks(role: TemplateRole, hits: Record<string, KeywordHit[]>, pages: readonly PageSize[]): MarkSpec[] {
  const out: MarkSpec[] = [];
  const zh = `角色「${role.name}」`;
  const en = `Role "${role.name}"`;
  for (const m of role.marks) {
    const size = sizeOf(role, m);
    if (m.kind === 'riding') {
      const rule = ridingRuleOf(m.ridingRule);
      const problem = ridingRangeProblem(1, pages.length, rule);
      if (problem) {
        if (rule === 'all') throw rejected('TEMPLATE_RIDING_SINGLE_PAGE', `${zh}的骑缝章至少需要两页，生成的文件只有 1 页`, `${en}: a cross-page seal needs at least two pages; the generated document has 1`);
        const { zh: ruleZh, en: ruleEn } = RIDING_RULE_LABELS[rule];
        throw rejected(
          'TEMPLATE_RIDING_SINGLE_PAGE',
          `${zh}的骑缝章（${ruleZh}）至少需要两页，生成的文件共 ${pages.length} 页，其中只有 ${problem.selected} 个${ruleZh}`,
          `${en}: a cross-page seal on ${ruleEn} needs at least two of them; the generated document has ${pages.length} pages, ${problem.selected} of them ${ruleEn}`,
        );
      }
      const y = round(m.offsetY ?? 0);
      if (y < 0 || ridingPages(1, pages.length, rule).some((n) => y + size.height > pages[n - 1]!.height)) throw outOfPage(role, '骑缝章', 'cross-page seal');
      out.push({ kind: m.kind, sealType: m.sealType, y, width: m.width, height: m.height, pageFrom: 1, pageTo: pages.length, ridingRule: rule });
      continue;
    }
    const keyword = m.keyword ?? '';
    const found = hits[keyword] ?? [];
    if (!found.length) throw rejected('TEMPLATE_KEYWORD_MISSING', `${zh}的定位关键字「${keyword}」在生成的文件中未找到`, `${en}: the keyword "${keyword}" was not found in the generated document`);
    const chosen = m.occurrence === 'all' ? found : m.occurrence === 'last' ? [found[found.length - 1]!] : [found[0]!];
    for (const hit of chosen) {
      const page = pages[hit.page - 1];
      const x = round(hit.x + (m.offsetX ?? 0));
      const y = round(hit.y + (m.offsetY ?? 0));
      if (!page || x < 0 || y < 0 || x + size.width > page.width || y + size.height > page.height) throw outOfPage(role, `关键字「${keyword}」处的签章`, `mark at the keyword "${keyword}"`);
      out.push({ kind: m.kind, sealType: m.sealType, page: hit.page, x, y, width: m.width, height: m.height });
    }
  }
  if (out.length > MAX_MARKS_PER_PARTICIPANT) {
    throw rejected('TEMPLATE_TOO_MANY_MARKS', `${zh}的签章位置超过 ${MAX_MARKS_PER_PARTICIPANT} 个（关键字出现次数过多）`, `${en}: more than ${MAX_MARKS_PER_PARTICIPANT} marks (the keyword occurs too often)`);
  }
  return out;
}

const outOfPage = (role: TemplateRole, zh: string, en: string) =>
  rejected('TEMPLATE_MARK_OUT_OF_PAGE', `角色「${role.name}」：${zh}超出页面范围，请调整偏移量`, `Role "${role.name}": the ${en} is outside the page; adjust the offset`);
