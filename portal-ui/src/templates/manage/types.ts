// Shapes of the templates API (docs/http-api.md): the definition's schema and the management views are
// the server's own (domain/templates), imported as types; the rule tables the editors offer come from
// the same domain modules, so the browser offers exactly what the server accepts.
import { ALLOWED_MARKS } from '../../../../domain/contracts/allowed-marks';
import type { ParticipantKind } from '../../../../domain/contracts/contract-signer.entity';
import { FIELD_VALUE_TYPES, type FieldValueType } from '../../../../domain/templates/field-values';
import type { TemplateDefinition, TemplateField, TemplateRole, TemplateRoleMark } from '../../../../domain/templates/template-definition';
import type { TemplateShareView } from '../../../../domain/templates/template-shares';
import type { TemplateSummary, TemplateView } from '../../../../domain/templates/template-view';
import type { TemplateKind, TemplateStatus } from '../../../../domain/templates/template.entity';

export type { TemplateDefinition, TemplateField, TemplateKind, TemplateRole, TemplateRoleMark, TemplateStatus, TemplateSummary, TemplateView };
export type TemplateShare = TemplateShareView;
export type TemplateFieldType = FieldValueType;
export type RoleKind = ParticipantKind;
export type RoleMarkKind = TemplateRoleMark['kind'];
export type Occurrence = NonNullable<TemplateRoleMark['occurrence']>;
export type FieldBox = NonNullable<TemplateField['box']>;
export type Align = FieldBox['align'];

export const FIELD_TYPES: readonly TemplateFieldType[] = FIELD_VALUE_TYPES;
// The schema's enums, each value once (`satisfies` fails the build when the schema gains or loses one).
// (The zod schemas themselves stay on the server: their module imports the document engine.)
const keysOf = <K extends string>(set: Record<K, true>) => Object.keys(set) as K[];
export const ROLE_KINDS: readonly RoleKind[] = keysOf({ person: true, enterprise: true, department: true } satisfies Record<RoleKind, true>);
export const OCCURRENCES: readonly Occurrence[] = keysOf({ first: true, last: true, all: true } satisfies Record<Occurrence, true>);
export const ALIGNS: readonly Align[] = keysOf({ left: true, center: true, right: true } satisfies Record<Align, true>);
const ROLE_MARK_KINDS: readonly string[] = keysOf({ name_seal: true, handwritten: true, date: true, seal: true, riding: true } satisfies Record<RoleMarkKind, true>);
const isRoleMarkKind = (k: string): k is RoleMarkKind => ROLE_MARK_KINDS.includes(k);

/** Marks a role may get, by its kind: the server's rule (ALLOWED_MARKS), as the template's mark kinds. */
export const ROLE_MARKS = Object.fromEntries(ROLE_KINDS.map((k) => [k, ALLOWED_MARKS[k].filter(isRoleMarkKind)])) as Record<RoleKind, RoleMarkKind[]>;

/** What the caller may do with a template: edit + publish, or the owner's enable / share / delete. */
export function templateRights(t: Pick<TemplateSummary, 'editable' | 'canManage'>) {
  return { edit: t.editable, own: t.canManage, viewOnly: !t.editable };
}

export const emptyMark = (kind: RoleMarkKind): TemplateRoleMark => ({
  kind,
  sealType: null,
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
});

export const newField = (key: string, label: string, type: TemplateFieldType = 'text'): TemplateField => ({
  key,
  label,
  type,
  required: false,
  defaultValue: null,
  maxLength: null,
  derivedFrom: null,
  libraryFieldId: null,
  box: null,
});
