/**
 * 启用 / 停用 a template: by its owner, or by a platform operator (管理后台, with a reason). A disabled
 * template cannot start contracts; it stays published. The owner may enable again a template an
 * operator disabled (there is no platform lock on templates).
 */
import type { EntityManager } from '@mikro-orm/core';
import type { AuditActor } from '../audit/record-audit';
import { findTemplate, requireManage, requireVersion, templateNotFound, type TemplateAccess, type TemplateActor } from './template-access';
import { auditTemplate } from './template-audit';
import { saveTemplate } from './update-template';
import { DocumentTemplateSchema, type DocumentTemplate } from './template.entity';

/** The rule itself, once the caller may: flips `enabled` and records the audit row (nothing when already so). */
async function applyEnabled(em: EntityManager, actor: AuditActor, t: DocumentTemplate, enabled: boolean, detail: Record<string, unknown>, version?: number): Promise<void> {
  if (version !== undefined) requireVersion(t, version);
  if (t.enabled === enabled) return;
  const now = new Date();
  t.enabled = enabled;
  t.updatedAt = now;
  auditTemplate(em, actor, t, enabled ? 'template.enabled' : 'template.disabled', { version: t.version, ...detail }, now);
  await saveTemplate(em);
}

/** Owner side (template-access.ts: the console role, or the user for personal templates). */
export async function setTemplateEnabled(em: EntityManager, actor: TemplateActor, id: string, enabled: boolean, version?: number): Promise<TemplateAccess> {
  const access = await findTemplate(em, actor, id);
  requireManage(access);
  await applyEnabled(em, actor, access.template, enabled, {}, version);
  return access;
}

/** A platform operator (管理后台), any owner's template; the reason goes into the audit row. */
export async function setTemplateEnabledByOperator(em: EntityManager, operator: AuditActor, id: string, enabled: boolean, reason: string, version?: number): Promise<DocumentTemplate> {
  const template = await em.findOne(DocumentTemplateSchema, { id });
  if (!template) throw templateNotFound();
  await applyEnabled(em, operator, template, enabled, { byOperator: true, reason }, version);
  return template;
}
