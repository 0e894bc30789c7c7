import { EntitySchema } from '@mikro-orm/core';
import { references } from '../persistence/references';

/**
 * 共享模板: an enterprise-owned template shared to another certified enterprise. `editable` = 是否可编辑
 * (otherwise view-only there). Deleting the template removes its shares (template-deletion.ts).
 */
export interface TemplateShare {
  id: string;
  templateId: string;
  enterpriseId: string;
  editable: boolean;
  createdAt: Date;
}

export const TemplateShareSchema = new EntitySchema<TemplateShare>({
  name: 'TemplateShare',
  tableName: 'template_shares',
  uniques: [{ properties: ['templateId', 'enterpriseId'] }],
  properties: {
    id: { type: 'string', length: 36, primary: true },
    templateId: references('DocumentTemplate', 'template_id'),
    enterpriseId: references('Enterprise', 'enterprise_id', { index: true }),
    editable: { type: 'boolean' },
    createdAt: { type: 'datetime', length: 3 },
  },
});
