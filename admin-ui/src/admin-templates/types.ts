import type { OperatorTemplateSummary, OperatorTemplateView } from '../../../domain/templates/operator-templates';

/** A row of GET /api/admin/templates: the domain's shape (domain/templates/operator-templates.ts), not a copy. */
export type AdminTemplate = OperatorTemplateSummary;

/** GET /api/admin/templates/:id (and the answer of 停用 / 启用). */
export type AdminTemplateDetail = OperatorTemplateView;
