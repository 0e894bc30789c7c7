/** 启用 / 停用 a template (owner only). A disabled template cannot start contracts; it stays published. */
import type { EntityManager } from '@mikro-orm/core';
import { findTemplate, requireManage, requireVersion, type TemplateAccess, type TemplateActor } from './template-access';
import { auditTemplate } from './template-audit';
import { saveTemplate } from './update-template';

export async function setTemplateEnabled(em: EntityManager, actor: TemplateActor, id: string, enabled: boolean, version?: number): Promise<TemplateAccess> {
  const access = await findTemplate(em, actor, id);
  requireManage(access);
  const t = access.template;
  if (version !== undefined) requireVersion(t, version);
  if (t.enabled === enabled) return access;
  const now = new Date();
  t.enabled = enabled;
  t.updatedAt = now;
  auditTemplate(em, actor, t, enabled ? 'template.enabled' : 'template.disabled', { version: t.version }, now);
  await saveTemplate(em);
  return access;
}
