/** A template as GET /api/admin/templates(/:id) answers it (domain/templates/operator-templates.ts). */
export interface AdminTemplate {
  id: string;
  kind: 'word' | 'web';
  name: string;
  businessType: string | null;
  scenario: string | null;
  status: 'draft' | 'published';
  enabled: boolean;
  /** 停用 by an operator (its owner cannot enable it). */
  disabledByPlatform: boolean;
  owner: { type: 'user' | 'enterprise'; id: string; name: string };
  sharesCount: number;
  createdAt: string;
  updatedAt: string;
  publishedAt: string | null;
}

export interface AdminTemplateDetail extends AdminTemplate {
  version: number;
  shares: { enterpriseId: string; enterpriseName: string; editable: boolean; createdAt: string }[];
  definition: {
    fields: { key: string; label: string; type: string; required?: boolean }[];
    roles: { id: string; name: string; kind: 'person' | 'enterprise'; step: number }[];
  };
}
