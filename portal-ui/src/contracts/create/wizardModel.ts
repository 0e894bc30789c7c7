// 发起合同 wizard: the draft, its rules per wizard step, and the POST /api/contracts `spec`.
import type { EnterpriseLookupView } from '../../../../domain/contracts/enterprise-lookup';
import { toDateTimeLocalValue } from '../../../../ui-shared/src/format';
import type { NamedOption } from '../../../../ui-shared/src/types';
import type { EditorMark, MarkKind, PaletteItem } from '../../pdf/placement';
import { isPdf } from './contractForm';

export type ParticipantKind = 'person' | 'enterprise' | 'department';

/** An enterprise picked from GET /api/enterprises/lookup: the server's own view (domain/contracts/enterprise-lookup.ts). */
export type EnterpriseChoice = EnterpriseLookupView;

export interface ParticipantDraft {
  key: string;
  step: number;
  kind: ParticipantKind;
  /** person */
  mobile: string;
  name: string;
  /** enterprise / department */
  enterprise: EnterpriseChoice | null;
  departmentName: string;
  operatorMobile: string;
  canRefuse: boolean;
  note: string;
  placement: 'preset' | 'free';
}

export interface WizardValues {
  file: File | null;
  participants: ParticipantDraft[];
  marks: EditorMark[];
  title: string;
  contractNo: string;
  remarks: string;
  /** datetime-local value; '' until the options are known. */
  expiresAt: string;
  /** null: as the session acts (切换至企业 → the enterprise). */
  actAs: 'person' | 'enterprise' | null;
  cc: string[];
  /** Sent as Idempotency-Key: a retry of the same draft cannot start a second contract. */
  idempotencyKey: string;
}

export const MAX_PARTICIPANTS = 20;
export const MAX_CC = 50;
export const MAX_TITLE = 200;
export const MAX_CONTRACT_NO = 64;
export const MAX_REMARKS = 500;
export const MAX_NOTE = 200;
export const MOBILE_RE = /^1[3-9]\d{9}$/;
const DAY_MS = 24 * 3600_000;

let keys = 0;
const newKey = () => `p${Date.now().toString(36)}${(keys++).toString(36)}`;

function randomKey(): string {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export function newParticipant(kind: ParticipantKind, step: number): ParticipantDraft {
  return { key: newKey(), step, kind, mobile: '', name: '', enterprise: null, departmentName: '', operatorMobile: '', canRefuse: false, note: '', placement: 'preset' };
}

export function initialWizard(): WizardValues {
  return {
    file: null,
    participants: [newParticipant('person', 1)],
    marks: [],
    title: '',
    contractNo: '',
    remarks: '',
    expiresAt: '',
    actAs: null,
    cc: [],
    idempotencyKey: randomKey(),
  };
}

export const defaultExpiry = (days: number, now = new Date()): string => toDateTimeLocalValue(new Date(now.getTime() + days * DAY_MS));


/** Steps numbered 1..n without gaps, in the order they had (participants keep their order within a step). */
export function normalizeSteps(participants: ParticipantDraft[]): ParticipantDraft[] {
  const steps = [...new Set(participants.map((p) => p.step))].sort((a, b) => a - b);
  const renumber = new Map(steps.map((s, i) => [s, i + 1]));
  return [...participants].map((p) => ({ ...p, step: renumber.get(p.step) ?? 1 })).sort((a, b) => a.step - b.step);
}

export const stepCount = (participants: ParticipantDraft[]) => Math.max(0, ...participants.map((p) => p.step));

/** Marks whose participant is gone, became free placement, or may no longer carry them. */
export function keepValidMarks(marks: EditorMark[], participants: ParticipantDraft[], sealTypes: NamedOption[]): EditorMark[] {
  return marks.filter((m) => {
    const p = participants.find((q) => q.key === m.participantKey);
    return !!p && p.placement === 'preset' && paletteFor(p, sealTypes, (i) => i.kind).some((i) => i.kind === m.kind && (i.sealType ?? null) === (m.sealType ?? null));
  });
}

/** Seal types a 骑缝章 is offered in (the commonest first). */
const RIDING_TYPES = ['contract', 'official'];

/**
 * The marks a participant may get: a person 人名章 / 手写签名 / 日期章; an enterprise each enabled
 * seal type (not 部门章), 骑缝章 of 合同专用章 / 公章, 日期章; a department its 部门章, its 骑缝章, 日期章.
 */
export function paletteFor(p: Pick<ParticipantDraft, 'kind'>, sealTypes: NamedOption[], label: (item: Omit<PaletteItem, 'label'>, sealType?: NamedOption) => string): PaletteItem[] {
  const item = (kind: MarkKind, sealType: string | null = null, option?: NamedOption): PaletteItem => ({ kind, sealType, label: label({ kind, sealType }, option) });
  if (p.kind === 'person') return [item('name_seal'), item('handwritten'), item('date')];
  if (p.kind === 'department') {
    const dept = sealTypes.find((t) => t.code === 'department');
    return [item('seal', 'department', dept), item('riding', 'department', dept), item('date')];
  }
  const types = sealTypes.filter((t) => t.code !== 'department');
  const riding = types.filter((t) => RIDING_TYPES.includes(t.code));
  return [
    ...types.map((t) => item('seal', t.code, t)),
    ...(riding.length ? riding : types.slice(0, 1)).map((t) => item('riding', t.code, t)),
    item('date'),
  ];
}

// ---------------------------------------------------------------- rules per wizard step

/** Translation keys under portal.contracts.create.errors, by field. */
export type FieldErrors = Record<string, string>;

export function validateFile(v: WizardValues): FieldErrors {
  if (!v.file) return { file: 'file_required' };
  if (!isPdf(v.file)) return { file: 'file_not_pdf' };
  return {};
}

/** Errors keyed `${participantKey}.${field}` (and `participants` for the list). */
export function validateParticipants(v: WizardValues): FieldErrors {
  const errors: FieldErrors = {};
  const ps = v.participants;
  if (ps.length < 1) errors.participants = 'participants_required';
  if (ps.length > MAX_PARTICIPANTS) errors.participants = 'participants_too_many';
  const seenPersons = new Set<string>();
  const seenUnits = new Set<string>();
  for (const p of ps) {
    const at = (field: string, code: string) => (errors[`${p.key}.${field}`] ??= code);
    if (p.kind === 'person') {
      const mobile = p.mobile.trim();
      if (!MOBILE_RE.test(mobile)) at('mobile', 'mobile_invalid');
      else if (seenPersons.has(mobile)) at('mobile', 'person_duplicate');
      seenPersons.add(mobile);
      if (p.name.trim() === '') at('name', 'name_required');
      else if ([...p.name.trim()].length > 50) at('name', 'name_too_long');
    } else {
      if (!p.enterprise) at('enterprise', 'enterprise_required');
      if (p.kind === 'department' && !p.departmentName) at('departmentName', 'department_required');
      const unit = `${p.enterprise?.id ?? p.key}:${p.kind === 'department' ? p.departmentName : ''}`;
      if (p.enterprise && seenUnits.has(unit)) at('enterprise', 'unit_duplicate');
      seenUnits.add(unit);
      if (p.operatorMobile.trim() && !MOBILE_RE.test(p.operatorMobile.trim())) at('operatorMobile', 'mobile_invalid');
    }
    if ([...p.note.trim()].length > MAX_NOTE) at('note', 'note_too_long');
  }
  return errors;
}

/** Every preset participant has its main mark (person: 人名章 or 手写签名; enterprise/department: a seal). Keyed by participant key. */
export function validateMarks(v: WizardValues): FieldErrors {
  const errors: FieldErrors = {};
  for (const p of v.participants) {
    if (p.placement !== 'preset') continue;
    const own = v.marks.filter((m) => m.participantKey === p.key);
    const needed: MarkKind[] = p.kind === 'person' ? ['name_seal', 'handwritten'] : ['seal'];
    if (!own.some((m) => needed.includes(m.kind))) errors[p.key] = p.kind === 'person' ? 'person_mark_required' : 'seal_mark_required';
  }
  return errors;
}

export function validateDetails(v: WizardValues, now = new Date()): FieldErrors {
  const errors: FieldErrors = {};
  const title = v.title.trim();
  if (!title) errors.title = 'title_required';
  else if ([...title].length > MAX_TITLE) errors.title = 'title_too_long';
  if (v.contractNo.trim().length > MAX_CONTRACT_NO) errors.contractNo = 'contract_no_too_long';
  if ([...v.remarks.trim()].length > MAX_REMARKS) errors.remarks = 'remarks_too_long';
  const expires = new Date(v.expiresAt);
  if (!v.expiresAt || Number.isNaN(expires.getTime()) || expires <= now) errors.expiresAt = 'expires_invalid';
  if (v.cc.length > MAX_CC) errors.cc = 'cc_too_many';
  const bad = v.cc.find((m) => !MOBILE_RE.test(m));
  if (bad !== undefined) errors.cc = 'cc_mobile_invalid';
  else if (new Set(v.cc).size !== v.cc.length) errors.cc = 'cc_duplicate';
  return errors;
}

// ---------------------------------------------------------------- request

const orNull = (s: string) => (s.trim() ? s.trim() : null);

/** The `spec` JSON of POST /api/contracts (docs/http-api.md). */
export function toSpec(v: WizardValues) {
  return {
    title: v.title.trim(),
    contractNo: orNull(v.contractNo),
    remarks: orNull(v.remarks),
    expiresAt: new Date(v.expiresAt).toISOString(),
    actAs: v.actAs ?? 'person',
    participants: v.participants.map((p) => {
      const marks =
        p.placement === 'free'
          ? []
          : v.marks
              .filter((m) => m.participantKey === p.key)
              .map((m) =>
                m.kind === 'riding'
                  ? { kind: m.kind, sealType: m.sealType ?? null, pageFrom: m.pageFrom, pageTo: m.pageTo, ridingRule: m.ridingRule ?? 'all', y: m.y }
                  : { kind: m.kind, ...(m.sealType ? { sealType: m.sealType } : {}), page: m.page, x: m.x, y: m.y },
              );
      const common = { step: p.step, canRefuse: p.canRefuse, note: orNull(p.note), placement: p.placement, marks };
      if (p.kind === 'person') return { kind: p.kind, mobile: p.mobile.trim(), name: orNull(p.name), ...common };
      const operatorMobile = orNull(p.operatorMobile);
      if (p.kind === 'enterprise') return { kind: p.kind, enterpriseId: p.enterprise?.id ?? '', operatorMobile, ...common };
      return { kind: p.kind, enterpriseId: p.enterprise?.id ?? '', departmentName: p.departmentName, operatorMobile, ...common };
    }),
    cc: v.cc.map((mobile) => ({ mobile })),
  };
}

/** multipart body: `file` + `spec`. */
export function toFormData(v: WizardValues): FormData {
  const body = new FormData();
  if (v.file) body.append('file', v.file, v.file.name);
  body.append('spec', JSON.stringify(toSpec(v)));
  return body;
}
