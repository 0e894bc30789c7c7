// 从模板发起: the draft, its rules per step and the POST /api/contracts/from-template body.
// Field values are checked with the server's own rule (domain/templates/field-values.ts), so the
// form shows the same messages the API would answer; participants and details reuse the rules of
// the 发起合同 wizard.
import { AppError } from '../../../../domain/errors';
import { amountInChinese, parseFieldValues } from '../../../../domain/templates/field-values';
import type { TemplateField } from '../../../../domain/templates/template-definition';
import { getUiLocale } from '../../../../ui-shared/src/api/locale';
import {
  initialWizard,
  newParticipant,
  validateDetails,
  validateParticipants,
  type FieldErrors,
  type ParticipantDraft,
  type WizardValues,
} from '../../contracts/create/wizardModel';
import { isDerived, type FormField, type FormRole, type TemplateForm } from './types';

export type FieldValues = Record<string, string>;
export type StartDetails = Pick<WizardValues, 'title' | 'contractNo' | 'remarks' | 'expiresAt' | 'actAs' | 'cc'>;

export interface StartDraft {
  /** The template picked. */
  templateId: string | null;
  /** The template whose form `values` and `participants` were made for (null until its form is loaded). */
  formId: string | null;
  values: FieldValues;
  /** One per role, keyed by the role's id; kind, step and 可拒签 come from the role. */
  participants: ParticipantDraft[];
  details: StartDetails;
  /** Sent as Idempotency-Key: a retry of the same draft cannot start a second contract. */
  idempotencyKey: string;
}

export function emptyDraft(templateId: string | null = null): StartDraft {
  const { title, contractNo, remarks, expiresAt, actAs, cc, idempotencyKey } = initialWizard();
  return { templateId, formId: null, values: {}, participants: [], details: { title, contractNo, remarks, expiresAt, actAs, cc }, idempotencyKey };
}

/** A fresh draft for a loaded form: default values, one participant per role, the template's name as title. */
export function draftForForm(form: TemplateForm, keep: StartDraft): StartDraft {
  const values: FieldValues = {};
  for (const f of form.fields) if (!isDerived(f)) values[f.key] = f.defaultValue ?? '';
  return {
    ...emptyDraft(form.id),
    formId: form.id,
    idempotencyKey: keep.idempotencyKey,
    values,
    participants: [...form.roles].sort((a, b) => a.step - b.step).map(participantForRole),
    details: { ...keep.details, title: keep.details.title || form.name },
  };
}

export function participantForRole(role: FormRole): ParticipantDraft {
  return { ...newParticipant(role.kind, role.step), key: role.id, canRefuse: role.canRefuse };
}

// ---------------------------------------------------------------- fields

const asDefinitionField = (f: FormField): TemplateField => ({
  key: f.key,
  label: f.label,
  type: f.type,
  required: f.required,
  defaultValue: f.defaultValue,
  maxLength: f.maxLength,
  derivedFrom: f.derivedFrom,
  libraryFieldId: f.libraryFieldId ?? null,
  box: null,
});

const messageOf = (e: AppError) => (getUiLocale() === 'en' ? e.messageEn : e.message);

/** What is sent for a field: nothing when left empty (the server then applies `required`). */
const filled = (value: string | undefined): value is string => value !== undefined && value.trim() !== '';

/** The values the API gets: typed fields only, empty ones left out. */
export function rawValues(fields: FormField[], values: FieldValues): FieldValues {
  const out: FieldValues = {};
  for (const f of fields) {
    const v = values[f.key];
    if (!isDerived(f) && filled(v)) out[f.key] = v;
  }
  return out;
}

/** Errors by field key, in the words of the server's rule (parseFieldValues). */
export function validateFields(fields: FormField[], values: FieldValues): FieldErrors {
  const errors: FieldErrors = {};
  for (const f of fields) {
    if (isDerived(f)) continue;
    const v = values[f.key];
    try {
      parseFieldValues([asDefinitionField(f)], filled(v) ? { [f.key]: v } : {});
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      errors[f.key] = messageOf(e);
    }
  }
  return errors;
}

/** The 大写 text a derived field will carry, from its amount field ('' while that is not a valid amount). */
export function derivedText(f: FormField, values: FieldValues): string {
  const source = f.derivedFrom ? values[f.derivedFrom] : undefined;
  if (!filled(source)) return '';
  try {
    return amountInChinese(source.trim());
  } catch {
    return '';
  }
}

/**
 * The field a server error names: its messages quote the label (「合同金额」… / "Contract amount" …).
 * null when the error is not about one field.
 */
export function fieldNamedIn(fields: FormField[], message: string): FormField | null {
  const quoted = [...message.matchAll(/「([^」]+)」|"([^"]+)"/g)].map((m) => m[1] ?? m[2]);
  return fields.find((f) => quoted.includes(f.label)) ?? null;
}

// ---------------------------------------------------------------- participants, details

/** Errors keyed `${roleId}.${field}` with the 发起合同 wizard's codes (portal.contracts.create.errors.*). */
export const validateRoleParticipants = (participants: ParticipantDraft[]): FieldErrors => validateParticipants({ ...emptyWizard(), participants });

export const validateStartDetails = (details: StartDetails, now = new Date()): FieldErrors => validateDetails({ ...emptyWizard(), ...details }, now);

const emptyWizard = (): WizardValues => ({ file: null, participants: [], marks: [], title: '', contractNo: '', remarks: '', expiresAt: '', actAs: null, cc: [], idempotencyKey: '' });

// ---------------------------------------------------------------- request

const orNull = (s: string) => (s.trim() ? s.trim() : null);

/** The body of POST /api/contracts/from-template. */
export function toStartRequest(form: TemplateForm, draft: StartDraft, actAs: 'person' | 'enterprise') {
  const { details } = draft;
  return {
    templateId: form.id,
    values: rawValues(form.fields, draft.values),
    title: details.title.trim(),
    contractNo: orNull(details.contractNo),
    remarks: orNull(details.remarks),
    expiresAt: new Date(details.expiresAt).toISOString(),
    actAs,
    cc: details.cc.map((mobile) => ({ mobile })),
    participants: draft.participants.map((p) => {
      if (p.kind === 'person') return { roleId: p.key, mobile: p.mobile.trim(), name: orNull(p.name) };
      const unit = { roleId: p.key, enterpriseId: p.enterprise?.id ?? '', operatorMobile: orNull(p.operatorMobile) };
      return p.kind === 'department' ? { ...unit, departmentName: p.departmentName } : unit;
    }),
  };
}
