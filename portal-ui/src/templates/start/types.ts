// Shapes of the template endpoints used to start a contract from a template (docs: ISSUE 11 HTTP API): the
// server's own (domain/templates/template-view.ts, start-from-template.ts `templateForm`), imported as types.
import { isDerivedField } from '../../../../domain/templates/field-values';
import type { TemplateFormView } from '../../../../domain/templates/start-from-template';
import type { TemplateSummary } from '../../../../domain/templates/template-view';

/** A row of GET /api/templates?usable=1. */
export type { TemplateSummary };
/** The fill form (GET /api/templates/:id/form): its fields (without their boxes; `derived`: filled by the API) and roles. */
export type TemplateForm = TemplateFormView;
export type FormField = TemplateForm['fields'][number];
export type FormRole = TemplateForm['roles'][number];

/** A field the platform fills from another one (金额大写 of an amount): shown, never typed. */
export const isDerived = (f: FormField): boolean => f.derived ?? isDerivedField(f);
