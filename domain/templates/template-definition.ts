/**
 * A template's definition (M16, M18, M19): its body fields and its signer roles with their marks.
 * ONE zod schema (the shape) and ONE rule check (`checkDefinition`) — the API, generation and the
 * tests all use these. Word marks are placed by 关键字定位 (keyword + offset, resolved on the
 * generated PDF); web marks and fields sit at fixed positions on the uploaded PDF's pages.
 */
import { z } from 'zod';
import { AppError, invalid } from '../errors';
import { ALLOWED_MARKS } from '../contracts/allowed-marks';
import { RIDING_RULES } from '../contracts/riding-rule';
import { MAX_MARKS_PER_PARTICIPANT, MAX_PARTICIPANTS, checkMarks, type MarkSpec, type PageSize, type ParticipantSpec } from '../contracts/start-contract-spec';
import { SEAL_TYPES } from '../seals/seal-types';
import { noHiddenCharacters, singleLineText } from '../text/safe-text';
import { FIELD_VALUE_TYPES } from './field-values';
import { MAX_FIELD_LABEL, MAX_FIELD_LENGTH, MAX_FONT_SIZE, MAX_KEYWORD, MAX_MARK_OFFSET, MAX_ROLE_NAME, MAX_TEMPLATE_FIELDS, MIN_FONT_SIZE, WEB_FIELD_KEY } from './template-limits';
import type { TemplateKind } from './template.entity';

// Web field keys are WEB_FIELD_KEY; word keys are the docxtemplater tags as found.
export { MAX_FIELD_LABEL, MAX_FIELD_LENGTH, MAX_ROLE_NAME, MAX_TEMPLATE_FIELDS, WEB_FIELD_KEY } from './template-limits';

const nullable = <T extends z.ZodTypeAny>(t: T) => t.nullish().transform((v): z.output<T> | null => v ?? null);
/** Labels, role names, keywords: one line under the shared rule (NFC, trimmed, no hidden characters). */
const text = (max: number, label: string) => singleLineText(max, label);
const num = (label: string) => z.number({ invalid_type_error: `${label}须为数字` }).finite(`${label}须为数字`);

export const fieldBoxSchema = z
  .object({
    page: z.number().int('页码必须是整数').min(1, '页码从 1 开始'),
    x: num('坐标').min(0, '坐标不能为负'),
    y: num('坐标').min(0, '坐标不能为负'),
    width: num('宽度').positive('宽度须大于 0'),
    height: num('高度').positive('高度须大于 0'),
    fontSize: num('字号').min(MIN_FONT_SIZE, `字号不能小于 ${MIN_FONT_SIZE}`).max(MAX_FONT_SIZE, `字号不能大于 ${MAX_FONT_SIZE}`),
    align: z.enum(['left', 'center', 'right']).default('left'),
  })
  .strict();

export const templateFieldSchema = z
  .object({
    key: z
      .string({ required_error: '字段缺少标识' })
      .min(1, '字段缺少标识')
      .max(100, '字段标识不能超过 100 个字符')
      .refine((v) => !/[\p{Cc}{}]/u.test(v), '字段标识含有不允许的字符'),
    label: text(MAX_FIELD_LABEL, '字段名称').pipe(z.string().min(1, '请填写字段名称')),
    type: z.enum(FIELD_VALUE_TYPES, { errorMap: () => ({ message: '字段类型不正确' }) }),
    required: z.boolean().default(false),
    // A value as filled in (a multi-line field's default may span lines); hidden characters never reach the stored JSON.
    defaultValue: nullable(z.string({ invalid_type_error: '默认值须为文本' }).max(MAX_FIELD_LENGTH, `默认值不能超过 ${MAX_FIELD_LENGTH} 个字`).superRefine(noHiddenCharacters('默认值', { labelEn: 'The default value', multiline: true }))),
    maxLength: nullable(z.number().int('长度限制须为整数').min(1, '长度限制至少为 1').max(MAX_FIELD_LENGTH, `长度限制不能超过 ${MAX_FIELD_LENGTH}`)),
    derivedFrom: nullable(z.string().max(100)),
    libraryFieldId: nullable(z.string({ invalid_type_error: '字段库标识须为文本' }).max(36, '字段库标识不正确').superRefine(noHiddenCharacters('字段库标识', { labelEn: 'The library field id' }))),
    box: nullable(fieldBoxSchema),
  })
  .strict();

export const templateRoleMarkSchema = z
  .object({
    kind: z.enum(['name_seal', 'handwritten', 'date', 'seal', 'riding'], { errorMap: () => ({ message: '签章类型不正确' }) }),
    sealType: nullable(z.string().max(20)),
    page: nullable(z.number().int('页码必须是整数').min(1, '页码从 1 开始')),
    x: nullable(num('坐标').min(0, '坐标不能为负')),
    y: nullable(num('坐标').min(0, '坐标不能为负')),
    width: nullable(num('宽度').positive('宽度须大于 0')),
    height: nullable(num('高度').positive('高度须大于 0')),
    pageFrom: nullable(z.number().int('页码必须是整数').min(1, '页码从 1 开始')),
    pageTo: nullable(z.number().int('页码必须是整数').min(1, '页码从 1 开始')),
    /** 骑缝章: 骑缝规则 (null: 'all'). Web: over pageFrom..pageTo; Word: over every page of the generated document. */
    ridingRule: nullable(z.enum(RIDING_RULES, { errorMap: () => ({ message: '骑缝规则须为全部页、奇数页或偶数页' }) })),
    keyword: nullable(text(MAX_KEYWORD, '定位关键字')),
    occurrence: nullable(z.enum(['first', 'last', 'all'], { errorMap: () => ({ message: '关键字匹配方式须为第一个、最后一个或全部' }) })),
    offsetX: nullable(num('偏移量').min(-MAX_MARK_OFFSET, '偏移量过大').max(MAX_MARK_OFFSET, '偏移量过大')),
    offsetY: nullable(num('偏移量').min(-MAX_MARK_OFFSET, '偏移量过大').max(MAX_MARK_OFFSET, '偏移量过大')),
  })
  .strict();

export const templateRoleSchema = z
  .object({
    id: z.string().regex(/^r\d{1,3}$/, '角色标识须为 r1、r2…'),
    name: text(MAX_ROLE_NAME, '角色名称').pipe(z.string().min(1, '请填写角色名称')),
    kind: z.enum(['person', 'enterprise', 'department'], { errorMap: () => ({ message: '角色类型须为个人、企业或部门' }) }),
    step: z.number().int('签署顺序必须是整数').min(1, '签署顺序从 1 开始'),
    canRefuse: z.boolean().default(false),
    marks: z.array(templateRoleMarkSchema).max(MAX_MARKS_PER_PARTICIPANT, `每个角色最多 ${MAX_MARKS_PER_PARTICIPANT} 个签章位置`).default([]),
  })
  .strict();

export const templateDefinitionSchema = z
  .object({
    fields: z.array(templateFieldSchema).max(MAX_TEMPLATE_FIELDS, `字段不能超过 ${MAX_TEMPLATE_FIELDS} 个`).default([]),
    roles: z.array(templateRoleSchema).max(MAX_PARTICIPANTS, `角色不能超过 ${MAX_PARTICIPANTS} 个`).default([]),
  })
  .strict();

export type TemplateField = z.output<typeof templateFieldSchema>;
export type TemplateRoleMark = z.output<typeof templateRoleMarkSchema>;
export type TemplateRole = z.output<typeof templateRoleSchema>;
export type TemplateDefinition = z.output<typeof templateDefinitionSchema>;
/** What clients send (optional nulls may be left out). */
export type TemplateDefinitionInput = z.input<typeof templateDefinitionSchema>;

const bad = (zh: string, en: string, details?: Record<string, unknown>) => invalid('TEMPLATE_DEFINITION_INVALID', zh, en, details);

/**
 * Parses a definition's shape; a wrong shape → 400 TEMPLATE_DEFINITION_INVALID naming the place. A definition is
 * always whole: a missing one (undefined / null) is refused, never read as "no fields, no roles" (编辑模板 sends
 * the whole definition; reading a missing one as empty wiped a template's fields and roles).
 */
export function parseDefinition(raw: unknown): TemplateDefinition {
  if (raw === undefined || raw === null) throw bad('缺少模板定义（字段与签署角色），请刷新后重试', 'The template definition (fields and signer roles) is missing', { path: 'definition' });
  const r = templateDefinitionSchema.safeParse(raw);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const where = describePath(raw, issue.path);
  const messageEn = issue.code === z.ZodIssueCode.custom && typeof issue.params?.messageEn === 'string' ? issue.params.messageEn : issue.message;
  throw bad(`${where.zh}${issue.message}`, `${where.en}${messageEn}`, { path: issue.path.join('.') });
}

function describePath(raw: unknown, path: (string | number)[]): { zh: string; en: string } {
  const [list, index] = path;
  if ((list !== 'fields' && list !== 'roles') || typeof index !== 'number') return { zh: '', en: '' };
  const item = (raw as Record<string, unknown[]>)[list]?.[index] as Record<string, unknown> | undefined;
  const name = typeof item?.label === 'string' ? item.label : typeof item?.name === 'string' ? item.name : typeof item?.key === 'string' ? item.key : `${index + 1}`;
  return list === 'fields' ? { zh: `字段「${name}」：`, en: `Field "${name}": ` } : { zh: `角色「${name}」：`, en: `Role "${name}": ` };
}

export const emptyDefinition = (): TemplateDefinition => ({ fields: [], roles: [] });

/** The field a tag found in a .docx gets when it has none yet: optional text, labelled with the tag. */
export function defaultFieldForTag(tag: string): TemplateField {
  return { key: tag, label: [...tag].slice(0, MAX_FIELD_LABEL).join(''), type: 'text', required: false, defaultValue: null, maxLength: null, derivedFrom: null, libraryFieldId: null, box: null };
}

/** Word: the definition with a default field for every tag that has none (existing fields kept as they are). */
export function withFieldsForTags(def: TemplateDefinition, tags: readonly string[]): TemplateDefinition {
  const known = new Set(def.fields.map((f) => f.key));
  const added = tags.filter((t) => !known.has(t)).map(defaultFieldForTag);
  return { ...def, fields: [...def.fields, ...added].slice(0, MAX_TEMPLATE_FIELDS) };
}

export interface DefinitionContext {
  /** word: the tags found in the source .docx. */
  tags?: readonly string[] | null;
  /** web: the source PDF's page sizes. */
  pages?: readonly PageSize[] | null;
  /** Seal types marks may use (default: every type SealFlow can draw; publish passes the enabled ones). */
  sealTypes?: readonly string[];
  /** true at publish: at least one role, and every role carries its main mark (a seal / a signature). */
  complete?: boolean;
}

/**
 * Checks the rules of a definition for a template of `kind` and answers it parsed. Throws a 400
 * `TEMPLATE_DEFINITION_INVALID` naming the field or role.
 */
export function checkDefinition(kind: TemplateKind, raw: unknown, ctx: DefinitionContext = {}): TemplateDefinition {
  const def = parseDefinition(raw);
  checkFields(kind, def.fields, ctx);
  checkRoles(kind, def.roles, ctx);
  return def;
}

function checkFields(kind: TemplateKind, fields: readonly TemplateField[], ctx: DefinitionContext): void {
  const seen = new Set<string>();
  const tags = ctx.tags ? new Set(ctx.tags) : null;
  for (const f of fields) {
    const zh = `字段「${f.label}」：`;
    const en = `Field "${f.label}": `;
    if (seen.has(f.key)) throw bad(`${zh}标识 ${f.key} 重复`, `${en}key ${f.key} is used twice`);
    seen.add(f.key);
    if (f.maxLength != null && f.type !== 'text' && f.type !== 'multiline') throw bad(`${zh}只有文本字段可以限制长度`, `${en}only text fields take a length limit`);
    if (f.derivedFrom != null) {
      if (f.type !== 'amount_capital') throw bad(`${zh}只有大写金额字段可以由其他字段生成`, `${en}only an amount-in-capitals field can be derived`);
      const source = fields.find((s) => s.key === f.derivedFrom);
      if (!source || source.type !== 'amount') throw bad(`${zh}须由一个金额字段生成`, `${en}must be derived from an amount field`);
    }
    if (kind === 'word') {
      if (f.box) throw bad(`${zh}Word 模板的字段不需要位置`, `${en}fields of a Word template take no position`);
      if (tags && !tags.has(f.key)) throw bad(`${zh}模板文件中没有标签 {${f.key}}`, `${en}the template file has no tag {${f.key}}`);
      continue;
    }
    if (!WEB_FIELD_KEY.test(f.key)) throw bad(`${zh}标识只能包含字母、数字、下划线和汉字（最多 40 个）`, `${en}the key may contain letters, digits, _ and Chinese characters (at most 40)`);
    if (!f.box) throw bad(`${zh}请在页面上放置字段位置`, `${en}place the field on a page`);
    checkBox(f.box, ctx.pages, zh, en);
  }
}

function checkBox(b: NonNullable<TemplateField['box']>, pages: readonly PageSize[] | null | undefined, zh: string, en: string): void {
  if (!pages) return;
  const page = pages[b.page - 1];
  if (!page) throw bad(`${zh}页码超出文件页数（共 ${pages.length} 页）`, `${en}page ${b.page} does not exist (${pages.length} pages)`);
  if (b.x + b.width > page.width || b.y + b.height > page.height) throw bad(`${zh}位置超出页面范围`, `${en}the box is outside the page`);
}

function checkRoles(kind: TemplateKind, roles: readonly TemplateRole[], ctx: DefinitionContext): void {
  if (ctx.complete && roles.length === 0) throw bad('请至少添加一个签署角色', 'Add at least one signer role');
  const ids = new Set<string>();
  const names = new Set<string>();
  for (const r of roles) {
    if (ids.has(r.id)) throw bad(`角色「${r.name}」：标识 ${r.id} 重复`, `Role "${r.name}": id ${r.id} is used twice`);
    if (names.has(r.name)) throw bad(`角色名称「${r.name}」重复`, `Role name "${r.name}" is used twice`);
    ids.add(r.id);
    names.add(r.name);
  }
  const steps = [...new Set(roles.map((r) => r.step))].sort((a, b) => a - b);
  if (steps.some((s, i) => s !== i + 1)) throw bad('签署顺序须从 1 开始连续编号', 'Steps must be numbered 1, 2, 3… without gaps');
  const sealTypes = ctx.sealTypes ?? SEAL_TYPES.map((t) => t.code);
  roles.forEach((r, i) => checkRoleMarks(kind, r, i, ctx, sealTypes));
}

/** A page no mark can leave: Word marks have no page before generation, so only kind, seal type and size are checked here. */
const UNBOUNDED: PageSize = { width: Number.MAX_SAFE_INTEGER, height: Number.MAX_SAFE_INTEGER };
/**
 * Word: a 骑缝章 spans every page of the generated document, whose page count is known only then
 * (generate-document.ts checks its 骑缝规则 there); here it stands on four pages, which every rule can span.
 */
const WORD_RIDING_PAGES: PageSize[] = [UNBOUNDED, UNBOUNDED, UNBOUNDED, UNBOUNDED];

function checkRoleMarks(kind: TemplateKind, role: TemplateRole, index: number, ctx: DefinitionContext, sealTypes: readonly string[]): void {
  const zh = `角色「${role.name}」：`;
  const en = `Role "${role.name}": `;
  for (const m of role.marks) {
    if (!ALLOWED_MARKS[role.kind].includes(m.kind)) continue; // reported by checkMarks below, with its label
    if (kind === 'word' && m.kind !== 'riding' && !m.keyword) throw bad(`${zh}请为签章位置填写定位关键字`, `${en}each mark needs a keyword to find its position`);
  }
  const pages = kind === 'web' ? (ctx.pages ?? [UNBOUNDED, UNBOUNDED]) : WORD_RIDING_PAGES;
  const marks: MarkSpec[] = role.marks.map((m) =>
    kind === 'web'
      ? { kind: m.kind, sealType: m.sealType, page: m.page, x: m.x, y: m.y, width: m.width, height: m.height, pageFrom: m.pageFrom, pageTo: m.pageTo, ridingRule: m.ridingRule }
      : m.kind === 'riding'
        ? { kind: m.kind, sealType: m.sealType, y: 0, width: m.width, height: m.height, pageFrom: 1, pageTo: WORD_RIDING_PAGES.length, ridingRule: m.ridingRule }
        : { kind: m.kind, sealType: m.sealType, page: 1, x: 0, y: 0, width: m.width, height: m.height, ridingRule: m.ridingRule },
  );
  const participant = { kind: role.kind, placement: 'preset', marks } as unknown as ParticipantSpec;
  try {
    checkMarks(participant, index, pages, sealTypes, ctx.complete ?? false);
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    throw bad(`${zh}${afterPrefix(err.message, '：')}`, `${en}${afterPrefix(err.messageEn, ': ')}`, { rule: err.code });
  }
}

/** checkMarks names the participant by position ("第 1 个签署方："): the role's name replaces it. */
const afterPrefix = (message: string, sep: string) => {
  const at = message.indexOf(sep);
  return at < 0 ? message : message.slice(at + sep.length);
};
