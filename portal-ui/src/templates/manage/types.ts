// Shapes of the templates API (docs/http-api.md, /work/coord/ISSUE11.md): the management views and the definition.
import type { Size } from '../../pdf/geometry';

export type TemplateKind = 'word' | 'web';
export type TemplateStatus = 'draft' | 'published';
export type TemplateFieldType = 'text' | 'multiline' | 'number' | 'date' | 'amount' | 'amount_capital';
export type RoleKind = 'person' | 'enterprise' | 'department';
export type RoleMarkKind = 'name_seal' | 'handwritten' | 'date' | 'seal' | 'riding';
export type Occurrence = 'first' | 'last' | 'all';
export type Align = 'left' | 'center' | 'right';

export const FIELD_TYPES: TemplateFieldType[] = ['text', 'multiline', 'number', 'date', 'amount', 'amount_capital'];
export const ROLE_KINDS: RoleKind[] = ['person', 'enterprise', 'department'];
export const OCCURRENCES: Occurrence[] = ['first', 'last', 'all'];
export const ALIGNS: Align[] = ['left', 'center', 'right'];

/** Marks a role may get, by its kind (ALLOWED_MARKS in domain/contracts/start-contract-spec.ts). */
export const ROLE_MARKS: Record<RoleKind, RoleMarkKind[]> = {
  person: ['name_seal', 'handwritten', 'date'],
  enterprise: ['seal', 'riding', 'date'],
  department: ['seal', 'riding', 'date'],
};

export interface FieldBox {
  page: number;
  x: number;
  y: number;
  width: number;
  height: number;
  fontSize: number;
  align: Align;
}

export interface TemplateField {
  key: string;
  label: string;
  type: TemplateFieldType;
  required: boolean;
  defaultValue: string | null;
  maxLength: number | null;
  derivedFrom: string | null;
  libraryFieldId: string | null;
  box: FieldBox | null;
}

export interface TemplateRoleMark {
  kind: RoleMarkKind;
  sealType: string | null;
  page: number | null;
  x: number | null;
  y: number | null;
  width: number | null;
  height: number | null;
  pageFrom: number | null;
  pageTo: number | null;
  keyword: string | null;
  occurrence: Occurrence | null;
  offsetX: number | null;
  offsetY: number | null;
}

export interface TemplateRole {
  id: string;
  name: string;
  kind: RoleKind;
  step: number;
  canRefuse: boolean;
  marks: TemplateRoleMark[];
}

export interface TemplateDefinition {
  fields: TemplateField[];
  roles: TemplateRole[];
}

export interface TemplateSummary {
  id: string;
  kind: TemplateKind;
  name: string;
  businessType: string | null;
  scenario: string | null;
  status: TemplateStatus;
  enabled: boolean;
  /** Seen through a share to the acting enterprise (badge 共享). */
  shared: boolean;
  /** The caller may edit the definition / source and publish (owner side, or an editable share, with the console role). */
  editable: boolean;
  /** The caller owns it: enable/disable, share, delete. */
  canManage: boolean;
  updatedAt: string;
  publishedAt: string | null;
}

export interface TemplateView extends TemplateSummary {
  version: number;
  owner: { type: 'user' | 'enterprise'; id: string; name: string };
  tags: string[] | null;
  pages: Size[] | null;
  definition: TemplateDefinition;
}

export interface TemplateShare {
  enterpriseId: string;
  enterpriseName: string;
  editable: boolean;
  createdAt: string;
}

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
