/**
 * 删除模板 (permanent, owner only): the row, its shares (it disappears everywhere) and the stored source file. Of two
 * parallel deletes one answers 404 with no audit row.
 */
import type { DocumentStore } from '../../integrations/storage/document-store';
import type { EntityManager } from '@mikro-orm/core';
import { findTemplate, reassertTemplateRight, requireManage, templateNotFound, type TemplateActor } from './template-access';
import { auditTemplate } from './template-audit';
import { TemplateShareSchema } from './template-share.entity';
import { DocumentTemplateSchema } from './template.entity';

export async function deleteTemplate(deps: { em: EntityManager; store: Pick<DocumentStore, 'delete'> }, actor: TemplateActor, id: string): Promise<void> {
  const access = await findTemplate(deps.em, actor, id);
  requireManage(access);
  const t = access.template;
  // A clean fork: the loaded template must not be flushed (as an update) after its row is gone.
  await deps.em.fork().transactional(async (tx) => {
    await reassertTemplateRight(tx, actor, access); // a 印章管理员 removed since the check above deletes nothing
    const shares = await tx.nativeDelete(TemplateShareSchema, { templateId: t.id });
    // A parallel delete that removed the row first: 404, and nothing written (its shares' deletion rolls back).
    if ((await tx.nativeDelete(DocumentTemplateSchema, { id: t.id })) !== 1) throw templateNotFound();
    auditTemplate(tx, actor, t, 'template.deleted', { kind: t.kind, sharesRemoved: shares, sourceKey: t.sourceKey });
  });
  // After the commit: a failed delete leaves an orphan file, never a row without its file.
  await deps.store.delete(t.sourceKey).catch(() => undefined);
}
