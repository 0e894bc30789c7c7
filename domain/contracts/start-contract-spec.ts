/**
 * 发起合同 v2: the request (`spec`) and the rules that need no database — routing steps, who may
 * carry which marks, marks on their pages. One place: the API, the portal's wizard (via the errors)
 * and the tests use these.
 */
import { z } from 'zod';
import { invalid } from '../errors';
import { ALLOWED_MARKS } from './allowed-marks';
import { normalizePersonName } from '../../documents/seals/person-name';
import { displayName, safeTitle } from '../identity/validators';
import type { MarkKind } from './contract-mark.entity';
import { markSize, markSizeLimits, resolveMarkSize, type MarkSize } from './mark-geometry';
import { RIDING_RULES, isRidingRule, ridingPages, ridingRangeProblem, ridingRuleOf, type RidingRule } from './riding-rule';
import { multiLineText, noHiddenCharacters } from '../text/safe-text';

export const MAX_PARTICIPANTS = 20;
export const MAX_CC = 50;
export const MAX_MARKS_PER_PARTICIPANT = 30;
export const MAX_TITLE_LENGTH = 200;


const MARK_LABELS: Record<MarkKind, { zh: string; en: string }> = {
  personal: { zh: '个人签章', en: 'personal signature' },
  name_seal: { zh: '人名章', en: 'name seal' },
  handwritten: { zh: '手写签名', en: 'handwritten signature' },
  date: { zh: '日期章', en: 'date stamp' },
  seal: { zh: '企业印章', en: 'enterprise seal' },
  riding: { zh: '骑缝章', en: 'cross-page seal' },
};

const mobile = (label: string) => z.string({ required_error: `请输入${label}手机号` }).trim().regex(/^1[3-9]\d{9}$/, `${label}手机号格式不正确`);
/** Free text that may span lines (备注, 签署说明): no other control, zero-width or bidi characters (they could make the text shown differ from the text stored; the one rule: domain/text). */
const optionalText = (max: number, label: string) =>
  multiLineText(max, label)
    .nullish()
    .transform((v) => (v ? v : null));
/**
 * The name the initiator gives a person participant (always: the start never looks up whose number it is,
 * so it tells nothing about an account). It is shown until the participant acts, and the signer's verified
 * real name must be this name (samePersonName) to sign or refuse.
 */
const participantName = z.preprocess(
  (v) => (v === null || v === undefined || (typeof v === 'string' && v.trim() === '') ? undefined : v),
  z.string({ required_error: '请填写签署人姓名', invalid_type_error: '姓名须为文本' }).transform(normalizePersonName).pipe(displayName()),
);
/** A decimal number written out plainly (`12`, `-3`, `4.5`): how a number arrives when a form sends it as text. */
const PLAIN_DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;
/**
 * A number of the spec: a JSON number, or a string that is a plain decimal number; `rule` adds its bounds. Anything
 * else (a boolean, an empty string, an array, an object) is refused with `message` — z.coerce.number read `true` as 1
 * and `""` or `[]` as 0, and threw a TypeError outside zod on an object without a prototype.
 */
const numeric = (message: string, rule: (n: z.ZodNumber) => z.ZodNumber, missing = message) =>
  z.preprocess(
    (v) => (typeof v === 'string' && PLAIN_DECIMAL.test(v.trim()) ? Number(v.trim()) : v),
    rule(z.number({ required_error: missing, invalid_type_error: message })),
  );
const coord = numeric('坐标须为数字', (n) => n.finite('坐标须为数字').min(0, '坐标不能为负'));
const pageNo = numeric('页码须为数字', (n) => n.int('页码必须是整数').min(1, '页码从 1 开始'));
const RIDING_RULE_INVALID = '骑缝规则须为全部页、奇数页或偶数页';
const extent = numeric('尺寸须为数字', (n) => n.finite('尺寸须为数字').positive('尺寸须大于 0'));
/**
 * The deadline: a date, or a string that names one (ISO, as the portal sends it). Anything else — a number, a
 * boolean, an empty string, an array, an object — is refused (z.coerce.date read `true` as 1970 and threw
 * outside zod on an object without a prototype).
 */
const EXPIRES_INVALID = '截止时间格式不正确';
const deadline = z.preprocess(
  (v) => (typeof v === 'string' && v.trim() !== '' ? new Date(v.trim()) : v),
  z.date({ errorMap: () => ({ message: EXPIRES_INVALID }) }),
);

export const markSpecSchema = z
  .object({
    kind: z.enum(['name_seal', 'handwritten', 'date', 'seal', 'riding'], { errorMap: () => ({ message: '签章类型不正确' }) }),
    sealType: z.string().max(20).nullish(),
    page: pageNo.nullish(),
    x: coord.nullish(),
    y: coord.nullish(),
    /** Resized box (optional; default `markSize`), within `markSizeLimits`, aspect ratio kept. */
    width: extent.nullish(),
    height: extent.nullish(),
    pageFrom: pageNo.nullish(),
    pageTo: pageNo.nullish(),
    /** 骑缝规则 of a 骑缝章 (riding-rule.ts); absent: 'all'. */
    ridingRule: z.enum(RIDING_RULES, { errorMap: () => ({ message: RIDING_RULE_INVALID }) }).nullish(),
  })
  .strict();
export type MarkSpec = z.infer<typeof markSpecSchema>;

const common = {
  step: numeric('签署顺序须为数字', (n) => n.int('签署顺序必须是整数').min(1, '签署顺序从 1 开始'), '请填写签署顺序'),
  canRefuse: z.boolean().default(false),
  note: optionalText(200, '签署说明'),
  placement: z.enum(['preset', 'free']).default('preset'),
  marks: z.array(markSpecSchema).max(MAX_MARKS_PER_PARTICIPANT, `每个签署方最多 ${MAX_MARKS_PER_PARTICIPANT} 个签章位置`).default([]),
};

export const participantSpecSchema = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.literal('person'), mobile: mobile('签署人'), name: participantName, ...common }).strict(),
    z.object({ kind: z.literal('enterprise'), enterpriseId: z.string().min(1).max(36), operatorMobile: mobile('经办人').nullish(), ...common }).strict(),
    z
      .object({
        kind: z.literal('department'),
        enterpriseId: z.string().min(1).max(36),
        departmentName: z.string().transform((v) => v.normalize('NFC').trim()).pipe(z.string().min(1, '请选择部门').max(30, '部门名称过长')),
        operatorMobile: mobile('经办人').nullish(),
        ...common,
      })
      .strict(),
  ],
  { errorMap: (issue, ctx) => ({ message: issue.code === 'invalid_union_discriminator' ? '签署方类型须为个人、企业或部门' : ctx.defaultError }) },
);
export type ParticipantSpec = z.infer<typeof participantSpecSchema>;

export const startContractSpecSchema = z
  .object({
    /** The shared safe-text rule: NFC, one line, no control / zero-width / bidi characters. */
    title: safeTitle(MAX_TITLE_LENGTH),
    contractNo: z
      .string()
      .transform((v) => v.normalize('NFC').trim())
      .refine((v) => v.length <= 64, '合同编号不能超过 64 个字符')
      .superRefine(noHiddenCharacters('合同编号', { labelEn: 'The contract number' }))
      .nullish()
      .transform((v) => (v ? v : null)),
    remarks: optionalText(500, '备注'),
    expiresAt: deadline.nullish(),
    actAs: z.enum(['person', 'enterprise']).default('person'),
    participants: z.array(participantSpecSchema).min(1, '至少需要一个签署方').max(MAX_PARTICIPANTS, `签署方不能超过 ${MAX_PARTICIPANTS} 个`),
    cc: z.array(z.object({ mobile: mobile('抄送人') }).strict()).max(MAX_CC, `抄送人不能超过 ${MAX_CC} 位`).default([]),
  })
  .strict();
export type StartContractSpec = z.infer<typeof startContractSpecSchema>;

export interface PageSize {
  width: number;
  height: number;
}

/** A mark as stored (sizes from mark-geometry, coordinates from the top-left corner). */
export interface ResolvedMark {
  kind: MarkKind;
  sealType: string | null;
  page: number | null;
  x: number | null;
  y: number | null;
  width: number;
  height: number;
  pageFrom: number | null;
  pageTo: number | null;
  /** 骑缝规则 of a 骑缝章 ('all' when none was given); null for other kinds. */
  ridingRule: RidingRule | null;
}

const who = (i: number) => ({ zh: `第 ${i + 1} 个签署方`, en: `Participant ${i + 1}` });

/**
 * Checks the routing and marks of a spec against the document's pages and the enabled seal types;
 * answers each participant's marks as stored. Throws a 400 AppError naming the participant.
 */
export function checkStartSpec(spec: StartContractSpec, pages: readonly PageSize[], enabledSealTypes: readonly string[]): ResolvedMark[][] {
  const steps = [...new Set(spec.participants.map((p) => p.step))].sort((a, b) => a - b);
  if (steps.some((s, i) => s !== i + 1)) throw invalid('STEPS_NOT_CONTIGUOUS', '签署顺序须从 1 开始连续编号', 'Steps must be numbered 1, 2, 3… without gaps');
  const persons = spec.participants.flatMap((p) => (p.kind === 'person' ? [p.mobile] : []));
  if (new Set(persons).size !== persons.length) throw invalid('DUPLICATE_PARTICIPANT', '同一个人不能重复添加为签署方', 'A person is listed twice');
  const units = spec.participants.flatMap((p) => (p.kind === 'person' ? [] : [`${p.enterpriseId}:${p.kind === 'department' ? p.departmentName : ''}`]));
  if (new Set(units).size !== units.length) throw invalid('DUPLICATE_PARTICIPANT', '同一企业或部门不能重复添加为签署方', 'An enterprise or department is listed twice');
  const ccs = spec.cc.map((c) => c.mobile);
  if (new Set(ccs).size !== ccs.length) throw invalid('DUPLICATE_CC', '抄送人不能重复', 'A CC recipient is listed twice');
  return spec.participants.map((p, i) => checkMarks(p, i, pages, enabledSealTypes));
}

const pt = (v: number) => String(Math.round(v * 10) / 10);
const box = (s: MarkSize) => `${pt(s.width)}×${pt(s.height)}`;

/** The mark's size: its base size, or the requested one if it keeps the ratio and the limits (mark-geometry.ts). */
function checkedSize(
  kind: MarkKind,
  base: MarkSize,
  m: { width?: number | null; height?: number | null },
  label: { zh: string; en: string },
  bad: (code: string, zh: string, en: string) => Error,
): MarkSize {
  const r = resolveMarkSize(kind, base, m.width, m.height);
  if ('size' in r) return r.size;
  const { min, max } = markSizeLimits(kind, base);
  if (r.problem === 'aspect_ratio') throw bad('MARK_SIZE_RATIO', `${label.zh}缩放时须保持宽高比（${box(base)} 磅）`, `the ${label.en} must keep its aspect ratio (${box(base)} pt) when resized`);
  throw bad(
    'MARK_SIZE_OUT_OF_LIMITS',
    `${label.zh}的大小须在 ${box(min)} 至 ${box(max)} 磅之间`,
    `the ${label.en} must be between ${box(min)} and ${box(max)} pt`,
  );
}

/**
 * Checks one participant's marks. `requireMain` (default true): at least one 人名章 / 手写签名
 * (person) or seal / 骑缝章 (enterprise) — false for a later 继续签署 round, which may add e.g. a 日期章 only.
 */
export function checkMarks(p: ParticipantSpec, i: number, pages: readonly PageSize[], enabledSealTypes: readonly string[], requireMain = true): ResolvedMark[] {
  const w = who(i);
  const bad = (code: string, zh: string, en: string) => invalid(code, `${w.zh}：${zh}`, `${w.en}: ${en}`);
  if (p.placement === 'free') {
    if (p.marks.length) throw bad('MARKS_WITH_FREE_PLACEMENT', '由签署方自由签章时不能预设签章位置', 'marks cannot be preset when the participant places them');
    return [];
  }
  // An enterprise signs with at least one seal impression: an enterprise seal or a 骑缝章.
  const needed = p.kind === 'person' ? ['name_seal', 'handwritten'] : ['seal', 'riding'];
  if (requireMain && !p.marks.some((m) => needed.includes(m.kind))) {
    throw p.kind === 'person'
      ? bad('MARK_REQUIRED', '请至少放置一个人名章或手写签名', 'place at least one name seal or handwritten signature')
      : bad('MARK_REQUIRED', '请至少放置一个印章（企业印章或骑缝章）', 'place at least one seal (an enterprise seal or a cross-page seal)');
  }
  return p.marks.map((m) => {
    const label = MARK_LABELS[m.kind];
    if (!ALLOWED_MARKS[p.kind].includes(m.kind)) throw bad('MARK_NOT_ALLOWED', `不能使用${label.zh}`, `a ${label.en} is not allowed for this participant`);
    let sealType: string | null = null;
    if (m.kind === 'seal' || m.kind === 'riding') {
      sealType = p.kind === 'department' ? 'department' : (m.sealType ?? null);
      if (p.kind === 'department' && m.sealType && m.sealType !== 'department') throw bad('SEAL_TYPE_NOT_ALLOWED', '部门签署方只能使用部门章', 'a department signs with its department seal only');
      if (!sealType) throw bad('SEAL_TYPE_REQUIRED', '请选择印章类型', 'choose a seal type');
      if (p.kind === 'enterprise' && sealType === 'department') throw bad('SEAL_TYPE_NOT_ALLOWED', '部门章请添加部门签署方', 'add a department participant for a department seal');
      if (!enabledSealTypes.includes(sealType)) throw bad('SEAL_TYPE_NOT_ALLOWED', `印章类型 ${sealType} 未启用`, `seal type ${sealType} is not enabled`);
    } else if (m.sealType) {
      throw bad('SEAL_TYPE_NOT_ALLOWED', `${label.zh}不需要印章类型`, `a ${label.en} takes no seal type`);
    }
    // Checked here, not only by the schema: marks placed at signing time come straight to this check.
    if (m.ridingRule != null && !isRidingRule(m.ridingRule)) throw bad('RIDING_RULE_INVALID', RIDING_RULE_INVALID, 'the cross-page seal rule must be all, odd or even pages');
    if (m.ridingRule != null && m.kind !== 'riding') throw bad('RIDING_RULE_NOT_ALLOWED', `${label.zh}不需要骑缝规则`, `a ${label.en} takes no cross-page seal rule`);
    const size = checkedSize(m.kind, markSize(m.kind, sealType), m, label, bad);
    const outside = () => bad('POSITION_OUT_OF_PAGE', `${label.zh}的位置超出页面范围`, `the ${label.en} is outside the page`);
    if (m.kind === 'riding') {
      if (m.pageFrom == null || m.pageTo == null || m.y == null) throw bad('RIDING_RANGE_REQUIRED', '骑缝章须指定起止页和纵向位置', 'a cross-page seal needs its page range and vertical position');
      const ridingRule = ridingRuleOf(m.ridingRule);
      const problem = ridingRangeProblem(m.pageFrom, m.pageTo, ridingRule);
      if (problem) throw bad(problem.code, problem.zh, problem.en);
      if (m.pageTo > pages.length) throw bad('POSITION_OUT_OF_PAGE', `骑缝章的页码超出文件页数（共 ${pages.length} 页）`, `the cross-page seal's pages exceed the document (${pages.length} pages)`);
      // Checked here, not only by the start's schema: marks placed at signing time come straight to this check.
      if (m.y < 0) throw outside();
      for (const n of ridingPages(m.pageFrom, m.pageTo, ridingRule)) if (m.y + size.height > pages[n - 1]!.height) throw outside();
      return { kind: m.kind, sealType, page: null, x: null, y: m.y, width: size.width, height: size.height, pageFrom: m.pageFrom, pageTo: m.pageTo, ridingRule };
    }
    if (m.page == null || m.x == null || m.y == null) throw bad('POSITION_REQUIRED', `请放置${label.zh}的位置`, `place the ${label.en}`);
    const page = pages[m.page - 1];
    if (!page) throw bad('POSITION_OUT_OF_PAGE', `${label.zh}的页码超出文件页数（共 ${pages.length} 页）`, `page ${m.page} does not exist (${pages.length} pages)`);
    if (m.x < 0 || m.y < 0 || m.x + size.width > page.width || m.y + size.height > page.height) throw outside();
    return { kind: m.kind, sealType, page: m.page, x: m.x, y: m.y, width: size.width, height: size.height, pageFrom: null, pageTo: null, ridingRule: null };
  });
}
