/**
 * 编辑模板: info + definition (PUT /templates/:id) and 替换模板文件 (PUT /templates/:id/source), both
 * with the optimistic `version`. Changing the definition or the source of a published template
 * returns it to draft: it must be published again before it starts contracts.
 */
import type { EntityManager } from '@mikro-orm/core';
import { z } from 'zod';
import { OptimisticLockError } from '@mikro-orm/core';
import { isTransientLockError } from '../persistence/concurrency';
import { findTemplate, reassertTemplateRight, requireEdit, requireVersion, versionConflict, type TemplateAccess, type TemplateActor } from './template-access';
import { auditTemplate } from './template-audit';
import { checkDefinition, withFieldsForTags } from './template-definition';
import { readTemplateSource, sourceKeyFor } from './template-source';
import { templateInfoFields, type TemplateDeps } from './create-template';
import type { DocumentTemplate } from './template.entity';

/**
 * The optimistic `version`: a positive integer, or its decimal digits as a string where it arrives as a multipart
 * form field (替换模板文件). Nothing else is read as a number: z.coerce took [5] as 5, true as 1, " 0x5 " as 5.
 */
export const versionSchema = z.preprocess(
  (v) => (typeof v === 'string' && /^\d{1,15}$/.test(v) ? Number(v) : v),
  z.number({ required_error: '缺少版本号', invalid_type_error: '版本号不正确' }).int('版本号不正确').min(1, '版本号不正确'),
);

export const updateTemplateSchema = z
  .object({
    version: versionSchema,
    ...templateInfoFields,
    definition: z.unknown(),
  })
  .strict();
export type UpdateTemplateRequest = z.output<typeof updateTemplateSchema>;

/**
 * Flushes a template change; a concurrent writer of the same version → 409 VERSION_CONFLICT. A change made with
 * a right read at the request's start (`by`: an edit through the console role or an editable share, a publish)
 * commits in one transaction that first checks that the right still holds (`reassertTemplateRight`): a 是否可编辑
 * withdrawn, a 取消共享 or a console role lost while the request ran (a publish generates for seconds) → 409.
 */
export async function saveTemplate(em: EntityManager, by?: { actor: TemplateActor; access: TemplateAccess }): Promise<void> {
  try {
    if (!by?.actor.acting) return await em.flush();
    await em.begin();
    try {
      await reassertTemplateRight(em, by.actor, by.access);
      await em.commit(); // flushes the unit of work inside the transaction
    } catch (err) {
      await em.rollback();
      throw err;
    }
  } catch (err) {
    if (err instanceof OptimisticLockError || isTransientLockError(err)) throw versionConflict();
    throw err;
  }
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function backToDraft(t: DocumentTemplate): boolean {
  if (t.status !== 'published') return false;
  t.status = 'draft';
  return true;
}

export async function updateTemplate(deps: Pick<TemplateDeps, 'em'>, actor: TemplateActor, id: string, req: UpdateTemplateRequest): Promise<TemplateAccess> {
  const access = await findTemplate(deps.em, actor, id);
  requireEdit(access);
  const t = access.template;
  requireVersion(t, req.version);
  const definition = checkDefinition(t.kind, req.definition, { tags: t.tags, pages: t.sourcePages });
  const definitionChanged = !sameJson(definition, t.definition);
  const infoChanged = t.name !== req.name || t.businessType !== req.businessType || t.scenario !== req.scenario;
  if (!definitionChanged && !infoChanged) return access;
  const returnedToDraft = definitionChanged && backToDraft(t);
  Object.assign(t, { name: req.name, businessType: req.businessType, scenario: req.scenario, updatedAt: new Date() });
  if (definitionChanged) t.definition = definition;
  auditTemplate(deps.em, actor, t, 'template.updated', { definitionChanged, returnedToDraft, version: req.version });
  await saveTemplate(deps.em, { actor, access });
  return access;
}

/** 替换模板文件: re-reads tags / pages; fields and marks are kept (new Word tags get a default field), publish re-checks them. */
export async function replaceTemplateSource(deps: TemplateDeps, actor: TemplateActor, id: string, version: number, file: Uint8Array): Promise<TemplateAccess> {
  const access = await findTemplate(deps.em, actor, id);
  requireEdit(access);
  const t = access.template;
  requireVersion(t, version);
  const source = await readTemplateSource(t.kind, file, deps.limits);
  const oldKey = t.sourceKey;
  const key = sourceKeyFor(t.id, t.kind);
  await deps.store.put(key, source.bytes);
  try {
    const returnedToDraft = backToDraft(t);
    Object.assign(t, { sourceKey: key, sourceSha256: source.sha256, tags: source.tags, sourcePages: source.pages, updatedAt: new Date() });
    if (source.tags) t.definition = withFieldsForTags(t.definition, source.tags);
    auditTemplate(deps.em, actor, t, 'template.source_replaced', { sha256: source.sha256, tags: source.tags?.length ?? null, pages: source.pages?.length ?? null, returnedToDraft, version });
    await saveTemplate(deps.em, { actor, access });
  } catch (err) {
    await deps.store.delete(key).catch(() => undefined);
    throw err;
  }
  await deps.store.delete(oldKey).catch(() => undefined);
  return access;
}
