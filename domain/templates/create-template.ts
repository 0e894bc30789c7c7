/** 新建模板 (M18/M19): template info + the uploaded source; a Word template gets a field per tag found. */
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { z } from 'zod';
import type { PdfLimits } from '../../documents';
import type { DocumentStore } from '../../integrations/storage/document-store';
import { AppError } from '../errors';
import { flushOrConflict } from '../persistence/concurrency';
import { singleLineText } from '../text/safe-text';
import { auditTemplate } from './template-audit';
import { managesOwnTemplates, ownerOf, type TemplateAccess, type TemplateActor } from './template-access';
import { emptyDefinition, withFieldsForTags } from './template-definition';
import { readTemplateSource, sourceKeyFor } from './template-source';
import { MAX_BUSINESS_TYPE, MAX_SCENARIO, MAX_TEMPLATE_NAME } from './template-limits';
import { DocumentTemplateSchema } from './template.entity';

export interface TemplateDeps {
  em: EntityManager;
  store: Pick<DocumentStore, 'put' | 'get' | 'delete'>;
  limits: PdfLimits;
}

const optionalLine = (max: number, label: string) =>
  singleLineText(max, label)
    .nullish()
    .transform((v) => (v ? v : null));

/** 模板信息: name, 业务类型, 应用场景 (the same rules on create and edit). */
export const templateInfoFields = {
  name: singleLineText(MAX_TEMPLATE_NAME, '模板名称').pipe(z.string().min(1, '请填写模板名称')),
  businessType: optionalLine(MAX_BUSINESS_TYPE, '业务类型'),
  scenario: optionalLine(MAX_SCENARIO, '应用场景'),
};
export const createTemplateInfoSchema = z.object({ kind: z.enum(['word', 'web'], { errorMap: () => ({ message: '模板类型须为 Word 或 Web' }) }), ...templateInfoFields }).strict();
export type CreateTemplateInfo = z.output<typeof createTemplateInfoSchema>;

export const manageForbidden = () => new AppError('forbidden', 'TEMPLATE_MANAGE_FORBIDDEN', '仅企业管理员或印章管理员可以管理企业模板', 'Only the administrator or a seal administrator manages the enterprise templates');

export async function createTemplate(deps: TemplateDeps, actor: TemplateActor, info: CreateTemplateInfo, file: Uint8Array): Promise<TemplateAccess> {
  if (!managesOwnTemplates(actor)) throw manageForbidden();
  const source = await readTemplateSource(info.kind, file, deps.limits);
  const owner = ownerOf(actor);
  const id = randomUUID();
  const key = sourceKeyFor(id, info.kind);
  const now = new Date();
  await deps.store.put(key, source.bytes);
  try {
    const template = deps.em.create(DocumentTemplateSchema, {
      id,
      ownerType: owner.type,
      ownerId: owner.id,
      kind: info.kind,
      name: info.name,
      businessType: info.businessType,
      scenario: info.scenario,
      status: 'draft',
      enabled: true,
      sourceKey: key,
      sourceSha256: source.sha256,
      sourcePages: source.pages,
      tags: source.tags,
      definition: source.tags ? withFieldsForTags(emptyDefinition(), source.tags) : emptyDefinition(),
      createdBy: actor.id,
      createdAt: now,
      updatedAt: now,
      publishedAt: null,
    });
    auditTemplate(deps.em, actor, template, 'template.created', { kind: info.kind, sha256: source.sha256, tags: source.tags?.length ?? null, pages: source.pages?.length ?? null }, now);
    await flushOrConflict(deps.em);
    return { template, share: null, canManage: true, canEdit: true };
  } catch (err) {
    await deps.store.delete(key).catch(() => undefined);
    throw err;
  }
}
