/** The template shapes the API answers (issue 11 HTTP API): built here only. */
import type { EntityManager } from '@mikro-orm/core';
import type { PageSize } from '../contracts/start-contract-spec';
import { EnterpriseSchema } from '../enterprises/enterprise.entity';
import { UserSchema } from '../identity/user.entity';
import type { TemplateAccess } from './template-access';
import type { TemplateDefinition } from './template-definition';
import type { TemplateKind, TemplateOwnerType, TemplateStatus } from './template.entity';

export interface TemplateSummary {
  id: string;
  kind: TemplateKind;
  name: string;
  businessType: string | null;
  scenario: string | null;
  status: TemplateStatus;
  enabled: boolean;
  /** 停用 by a platform operator: only an operator enables it again. */
  disabledByPlatform: boolean;
  /** Seen through a share to the caller's enterprise (badge 共享). */
  shared: boolean;
  /** The caller may edit the definition / source and publish. */
  editable: boolean;
  /** The caller owns it: enable/disable, share, delete. */
  canManage: boolean;
  updatedAt: string;
  publishedAt: string | null;
}

export interface TemplateView extends TemplateSummary {
  version: number;
  owner: { type: TemplateOwnerType; id: string; name: string };
  tags: string[] | null;
  pages: PageSize[] | null;
  definition: TemplateDefinition;
}

export function templateSummary(a: TemplateAccess): TemplateSummary {
  const t = a.template;
  return {
    id: t.id,
    kind: t.kind,
    name: t.name,
    businessType: t.businessType,
    scenario: t.scenario,
    status: t.status,
    enabled: t.enabled,
    disabledByPlatform: t.disabledByPlatform,
    shared: a.share !== null,
    editable: a.canEdit,
    canManage: a.canManage,
    updatedAt: t.updatedAt.toISOString(),
    publishedAt: t.publishedAt ? t.publishedAt.toISOString() : null,
  };
}

export async function templateView(em: EntityManager, a: TemplateAccess): Promise<TemplateView> {
  const t = a.template;
  const owner =
    t.ownerType === 'enterprise'
      ? await em.findOne(EnterpriseSchema, { id: t.ownerId }, { fields: ['name'] })
      : await em.findOne(UserSchema, { id: t.ownerId }, { fields: ['name'] });
  return {
    ...templateSummary(a),
    version: t.version,
    owner: { type: t.ownerType, id: t.ownerId, name: owner?.name ?? '' },
    tags: t.tags,
    pages: t.sourcePages,
    definition: t.definition,
  };
}
