/**
 * 发布模板: the definition must be complete for its source (checkDefinition with `complete`), and a
 * document must generate from it with sample values (a Word keyword that is not found is a 422 here,
 * not at signing time). Then draft → published, guarded by the optimistic `version`.
 */
import { enabledSealTypes } from '../seals/enabled-seal-types';
import { AppError } from '../errors';
import { findTemplate, requireEdit, requireVersion, versionConflict, type TemplateAccess, type TemplateActor } from './template-access';
import { auditTemplate } from './template-audit';
import { checkDefinition } from './template-definition';
import { sampleFieldValues } from './field-values';
import { requestTemplateDocument, type RequestTemplateDocumentDeps } from './template-generations';
import { saveTemplate } from './update-template';

export type PublishDeps = RequestTemplateDocumentDeps;

export async function publishTemplate(deps: PublishDeps, actor: TemplateActor, id: string, version: number): Promise<TemplateAccess> {
  const access = await findTemplate(deps.em, actor, id);
  requireEdit(access);
  const t = access.template;
  requireVersion(t, version);
  const sealTypes = (await enabledSealTypes(deps.em)).map((s) => s.code);
  const definition = checkDefinition(t.kind, t.definition, { tags: t.tags, pages: t.sourcePages, sealTypes, complete: true });
  const generated = await requestTemplateDocument(deps, { template: t, values: sampleFieldValues(definition.fields), purpose: 'publish', requestedBy: actor.id }).catch((err: unknown) => {
    // Changed by another request while the sample document was generated: the same stale-version answer.
    throw err instanceof AppError && err.code === 'TEMPLATE_CHANGED' ? versionConflict() : err;
  });
  const now = new Date();
  t.status = 'published';
  t.publishedAt = now;
  t.updatedAt = now;
  auditTemplate(deps.em, actor, t, 'template.published', { version, generationId: generated.generationId, pages: generated.pages.length }, now);
  // The edit right as checked above must still hold when draft → published commits (saveTemplate `by`).
  await saveTemplate(deps.em, { actor, access });
  return access;
}
