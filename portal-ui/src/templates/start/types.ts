// Shapes of the template endpoints used to start a contract from a template (docs: ISSUE 11 HTTP API).
import { isDerivedField } from '../../../../domain/templates/field-values';

export type TemplateKind = 'word' | 'web';
export type TemplateFieldType = 'text' | 'multiline' | 'number' | 'date' | 'amount' | 'amount_capital';
export type RoleKind = 'person' | 'enterprise' | 'department';
export type RoleMarkKind = 'name_seal' | 'handwritten' | 'date' | 'seal' | 'riding';

/** A row of GET /api/templates?usable=1. */
export interface TemplateSummary {
  id: string;
  kind: TemplateKind;
  name: string;
  businessType: string | null;
  scenario: string | null;
  status: 'draft' | 'published';
  enabled: boolean;
  /** 停用 by the platform: the owner cannot enable it. */
  disabledByPlatform: boolean;
  shared: boolean;
  editable: boolean;
  canManage: boolean;
  updatedAt: string;
  publishedAt: string | null;
}

/** A field of the fill form (GET /api/templates/:id/form): the definition's field without its box. */
export interface FormField {
  key: string;
  label: string;
  type: TemplateFieldType;
  required: boolean;
  defaultValue: string | null;
  maxLength: number | null;
  /** amount_capital only: the amount field it spells out; then it is not asked in the form. */
  derivedFrom: string | null;
  libraryFieldId?: string | null;
  /** Set by the API on fields it fills itself. */
  derived?: boolean;
}

export interface FormRole {
  id: string;
  name: string;
  kind: RoleKind;
  step: number;
  canRefuse: boolean;
  markKinds: RoleMarkKind[];
}

export interface TemplateForm {
  id: string;
  kind: TemplateKind;
  name: string;
  fields: FormField[];
  roles: FormRole[];
}

/** A field the platform fills from another one (金额大写 of an amount): shown, never typed. */
export const isDerived = (f: FormField): boolean => f.derived ?? isDerivedField(f);
