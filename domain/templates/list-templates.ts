/** 模板文件 list (GET /templates): the actor's party's templates and those shared to its enterprise. */
import type { EntityManager } from '@mikro-orm/core';
import { z } from 'zod';
import { likeClause, likeContainsPattern, sqlDialect } from '../persistence/sql-dialect';
import { accessWith, managesOwnTemplates, ownerOf, type TemplateActor } from './template-access';
import { TemplateShareSchema } from './template-share.entity';
import { templateSummary, type TemplateSummary } from './template-view';
import { DocumentTemplateSchema } from './template.entity';

const flag = z.enum(['1', '0', 'true', 'false']).transform((v) => v === '1' || v === 'true');

export const templateListQuerySchema = z.object({
  kind: z.enum(['word', 'web']).optional(),
  status: z.enum(['draft', 'published']).optional(),
  enabled: flag.optional(),
  q: z.string().trim().max(50, '搜索内容过长').optional(),
  /** 1: published + enabled only (the 从模板发起 picker). */
  usable: flag.optional(),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type TemplateListQuery = z.output<typeof templateListQuerySchema>;

export async function listTemplates(em: EntityManager, actor: TemplateActor, query: TemplateListQuery): Promise<{ data: TemplateSummary[]; total: number }> {
  const dialect = sqlDialect(em);
  const owner = ownerOf(actor);
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (clause: string, ...values: unknown[]) => {
    where.push(clause);
    params.push(...values);
  };
  if (actor.acting) add('((owner_type = ? and owner_id = ?) or id in (select template_id from template_shares where enterprise_id = ?))', owner.type, owner.id, actor.acting.enterpriseId);
  else add('owner_type = ? and owner_id = ?', owner.type, owner.id);
  // Members without the console role see usable templates only (template-access.ts).
  if (query.usable || !managesOwnTemplates(actor)) add("status = 'published' and enabled = ?", 1);
  if (query.kind) add('kind = ?', query.kind);
  if (query.status) add('status = ?', query.status);
  if (query.enabled !== undefined) add('enabled = ?', query.enabled ? 1 : 0);
  if (query.q) add(likeClause(dialect, 'name'), likeContainsPattern(query.q));
  const sqlWhere = where.join(' and ');
  const conn = em.getConnection();
  const counted = (await conn.execute(`select count(*) as n from document_templates where ${sqlWhere}`, params, 'all')) as { n: number | string }[];
  const total = Number(counted[0]?.n ?? 0);
  const page = (await conn.execute(`select id from document_templates where ${sqlWhere} order by updated_at desc, id desc limit ? offset ?`, [...params, query.limit, query.offset], 'all')) as {
    id: string;
  }[];
  const ids = page.map((r) => r.id);
  if (!ids.length) return { data: [], total };
  const templates = new Map((await em.find(DocumentTemplateSchema, { id: { $in: ids } })).map((t) => [t.id, t]));
  const shares = actor.acting ? new Map((await em.find(TemplateShareSchema, { templateId: { $in: ids }, enterpriseId: actor.acting.enterpriseId })).map((s) => [s.templateId, s])) : new Map();
  const data = ids.flatMap((id) => {
    const t = templates.get(id);
    const access = t ? accessWith(actor, t, shares.get(id) ?? null) : null;
    return access ? [templateSummary(access)] : [];
  });
  return { data, total };
}
