import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import type { PageSize } from '../contracts/start-contract-spec';
import type { TemplateDefinition } from './template-definition';

export type TemplateKind = 'word' | 'web';
export type TemplateOwnerType = 'user' | 'enterprise';
export type TemplateStatus = 'draft' | 'published';

/**
 * A document template (M17–M19). It belongs to a party: a user (personal templates) or an
 * enterprise (`ownerType`, `ownerId`). Its source file (.docx for `word`, .pdf for `web`) is in the
 * document store under `sourceKey`; `definition` holds the fields and roles (template-definition.ts).
 * Editing the definition or the source of a published template returns it to draft; only published
 * and enabled templates start contracts. `version` is the optimistic lock the API checks.
 */
export interface DocumentTemplate {
  [OptionalProps]?: 'version' | 'businessType' | 'scenario' | 'sourcePages' | 'tags' | 'publishedAt' | 'enabled' | 'disabledByPlatform' | 'status';
  id: string;
  ownerType: TemplateOwnerType;
  ownerId: string;
  kind: TemplateKind;
  name: string;
  /** 业务类型 (free text). */
  businessType: string | null;
  /** 应用场景 (free text). */
  scenario: string | null;
  status: TemplateStatus;
  enabled: boolean;
  /** 停用 by a platform operator (管理后台): only an operator enables it again, not its owner. */
  disabledByPlatform: boolean;
  sourceKey: string;
  sourceSha256: string;
  /** web: the source PDF's page sizes (PDF points); word: null (the generated PDF decides). */
  sourcePages: PageSize[] | null;
  /** word: the docxtemplater tags found in the source; web: null. */
  tags: string[] | null;
  definition: TemplateDefinition;
  version: number;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
  publishedAt: Date | null;
}

export const DocumentTemplateSchema = new EntitySchema<DocumentTemplate>({
  name: 'DocumentTemplate',
  tableName: 'document_templates',
  indexes: [{ properties: ['ownerType', 'ownerId', 'updatedAt'] }],
  properties: {
    id: { type: 'string', length: 36, primary: true },
    ownerType: { type: 'string', length: 20 },
    ownerId: { type: 'string', length: 36 },
    kind: { type: 'string', length: 10 },
    name: { type: 'string', length: 100 },
    businessType: { type: 'string', length: 50, nullable: true },
    scenario: { type: 'string', length: 100, nullable: true },
    status: { type: 'string', length: 20, default: 'draft' },
    enabled: { type: 'boolean', default: true },
    disabledByPlatform: { type: 'boolean', default: false },
    sourceKey: { type: 'string', length: 200 },
    sourceSha256: { type: 'string', length: 64 },
    sourcePages: { type: 'json', nullable: true },
    tags: { type: 'json', nullable: true },
    definition: { type: 'json' },
    version: { type: 'integer', version: true },
    createdBy: { type: 'string', length: 36 },
    createdAt: { type: 'datetime', length: 3 },
    updatedAt: { type: 'datetime', length: 3 },
    publishedAt: { type: 'datetime', length: 3, nullable: true },
  },
});
