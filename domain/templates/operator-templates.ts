/**
 * 管理后台 (M37): every template of the platform, read by platform operators. The owner side's list and
 * access rule are list-templates.ts and template-access.ts; the shapes are template-view.ts's, with the
 * owner, the number of shares and the creation time added. Never the source document's bytes.
 */
import type { EntityManager, FilterQuery } from '@mikro-orm/core';
import { EnterpriseSchema } from '../enterprises/enterprise.entity';
import { UserSchema } from '../identity/user.entity';
import { allSql, placeholders } from '../persistence/plain-sql';
import { containsText } from '../persistence/sql-dialect';
import { templateNotFound, type TemplateAccess } from './template-access';
import { sharesOf, type TemplateShareView } from './template-shares';
import { templateSummary, templateView, type TemplateSummary, type TemplateView } from './template-view';
import { DocumentTemplateSchema, type DocumentTemplate, type TemplateKind, type TemplateOwnerType, type TemplateStatus } from './template.entity';

export const OPERATOR_TEMPLATE_SORTS = ['updatedAt', 'createdAt', 'name'] as const;

export interface OperatorTemplateSearch {
  offset: number;
  limit: number;
  orderBy: (typeof OPERATOR_TEMPLATE_SORTS)[number];
  direction: 'asc' | 'desc';
  status?: TemplateStatus;
  kind?: TemplateKind;
  enabled?: boolean;
  ownerType?: TemplateOwnerType;
  /** Part of the template's name. */
  q?: string;
}

type Owner = { type: TemplateOwnerType; id: string; name: string };

/** `shared`, `editable` and `canManage` are the caller's rights as owner: always false for an operator. */
export interface OperatorTemplateSummary extends TemplateSummary {
  owner: Owner;
  sharesCount: number;
  createdAt: string;
}

export interface OperatorTemplateView extends TemplateView {
  sharesCount: number;
  shares: TemplateShareView[];
  createdAt: string;
}

/** An operator sees every template and manages none as its owner (启用/停用: template-state.ts). */
const operatorAccess = (template: DocumentTemplate): TemplateAccess => ({ template, share: null, canManage: false, canEdit: false });

export async function listAllTemplates(em: EntityManager, s: OperatorTemplateSearch): Promise<{ rows: OperatorTemplateSummary[]; total: number }> {
  const parts: FilterQuery<DocumentTemplate>[] = [];
  if (s.status) parts.push({ status: s.status });
  if (s.kind) parts.push({ kind: s.kind });
  if (s.enabled !== undefined) parts.push({ enabled: s.enabled });
  if (s.ownerType) parts.push({ ownerType: s.ownerType });
  const q = s.q?.trim();
  if (q) parts.push(containsText(em, 'name', q));
  const [templates, total] = await em.findAndCount(DocumentTemplateSchema, parts.length ? { $and: parts } : {}, {
    orderBy: { [s.orderBy]: s.direction, id: s.direction },
    offset: s.offset,
    limit: s.limit,
    // A list row needs none of the definition (fields and roles); the detail loads it.
    exclude: ['definition', 'tags', 'sourcePages'],
  });
  if (!templates.length) return { rows: [], total };
  const [owners, counts] = await Promise.all([ownerNames(em, templates), shareCounts(em, templates.map((t) => t.id))]);
  const rows = templates.map((t) => ({
    ...templateSummary(operatorAccess(t as DocumentTemplate)),
    owner: { type: t.ownerType, id: t.ownerId, name: owners.get(`${t.ownerType}:${t.ownerId}`) ?? '' },
    sharesCount: counts.get(t.id) ?? 0,
    createdAt: t.createdAt.toISOString(),
  }));
  return { rows, total };
}

export async function operatorTemplateView(em: EntityManager, id: string): Promise<OperatorTemplateView> {
  const template = await em.findOne(DocumentTemplateSchema, { id });
  if (!template) throw templateNotFound();
  return presentForOperator(em, template);
}

/** The detail of one template as an operator sees it (also the answer of 启用/停用 in 管理后台). */
export async function presentForOperator(em: EntityManager, template: DocumentTemplate): Promise<OperatorTemplateView> {
  const [view, shares] = await Promise.all([templateView(em, operatorAccess(template)), sharesOf(em, template.id)]);
  return { ...view, sharesCount: shares.length, shares, createdAt: template.createdAt.toISOString() };
}

/** `user:<id>` / `enterprise:<id>` → the owner's name (a person's account name, an enterprise's name). */
async function ownerNames(em: EntityManager, templates: readonly Pick<DocumentTemplate, 'ownerType' | 'ownerId'>[]): Promise<Map<string, string>> {
  const ids = (type: TemplateOwnerType) => [...new Set(templates.filter((t) => t.ownerType === type).map((t) => t.ownerId))];
  const [users, enterprises] = [ids('user'), ids('enterprise')];
  const [us, es] = await Promise.all([
    users.length ? em.find(UserSchema, { id: { $in: users } }, { fields: ['name'] }) : [],
    enterprises.length ? em.find(EnterpriseSchema, { id: { $in: enterprises } }, { fields: ['name'] }) : [],
  ]);
  return new Map([...us.map((u) => [`user:${u.id}`, u.name] as const), ...es.map((e) => [`enterprise:${e.id}`, e.name] as const)]);
}

async function shareCounts(em: EntityManager, templateIds: readonly string[]): Promise<Map<string, number>> {
  const rows = await allSql(em, `select template_id as id, count(*) as n from template_shares where template_id in (${placeholders(templateIds.length)}) group by template_id`, templateIds);
  return new Map(rows.map((r) => [String(r.id), Number(r.n)]));
}
