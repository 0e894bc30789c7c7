/**
 * 启用 / 停用 a template: by its owner, or by a platform operator (管理后台, with a reason). A disabled
 * template cannot start contracts; it stays published. A template an operator disabled is locked by the
 * platform (`disabledByPlatform`): its owner cannot enable it (409 TEMPLATE_DISABLED_BY_PLATFORM), only an
 * operator can.
 */
import type { EntityManager } from '@mikro-orm/core';
import type { AuditActor } from '../audit/record-audit';
import { AppError } from '../errors';
import { findTemplate, requireManage, requireVersion, templateNotFound, type TemplateAccess, type TemplateActor } from './template-access';
import { auditTemplate } from './template-audit';
import { saveTemplate } from './update-template';
import { DocumentTemplateSchema, type DocumentTemplate } from './template.entity';

const disabledByPlatform = () =>
  new AppError('conflict', 'TEMPLATE_DISABLED_BY_PLATFORM', '该模板已被平台停用，只有平台运营可以重新启用，请联系平台', 'The platform disabled this template; only a platform operator can enable it again');

/**
 * The rule itself, once the caller may: flips `enabled` and records the audit row (nothing when already so). An
 * operator's change sets or lifts the platform's lock (`byOperator`); the owner cannot enable a locked template.
 */
async function applyEnabled(em: EntityManager, actor: AuditActor, t: DocumentTemplate, enabled: boolean, detail: Record<string, unknown>, version?: number, by?: Parameters<typeof saveTemplate>[1]): Promise<void> {
  if (version !== undefined) requireVersion(t, version);
  const byOperator = detail.byOperator === true;
  if (enabled && t.disabledByPlatform && !byOperator) throw disabledByPlatform();
  const locked = byOperator ? !enabled : t.disabledByPlatform;
  if (t.enabled === enabled && t.disabledByPlatform === locked) return;
  const now = new Date();
  t.enabled = enabled;
  t.disabledByPlatform = locked;
  t.updatedAt = now;
  auditTemplate(em, actor, t, enabled ? 'template.enabled' : 'template.disabled', { version: t.version, ...detail }, now);
  await saveTemplate(em, by);
}

/** Owner side (template-access.ts: the console role, or the user for personal templates). */
export async function setTemplateEnabled(em: EntityManager, actor: TemplateActor, id: string, enabled: boolean, version?: number): Promise<TemplateAccess> {
  const access = await findTemplate(em, actor, id);
  requireManage(access);
  // The owner's right is checked again in the commit (`saveTemplate`): a 印章管理员 demoted or removed meanwhile changes nothing.
  await applyEnabled(em, actor, access.template, enabled, {}, version, { actor, access });
  return access;
}

/** A platform operator (管理后台), any owner's template; the reason goes into the audit row. */
export async function setTemplateEnabledByOperator(em: EntityManager, operator: AuditActor, id: string, enabled: boolean, reason: string, version?: number): Promise<DocumentTemplate> {
  const template = await em.findOne(DocumentTemplateSchema, { id });
  if (!template) throw templateNotFound();
  await applyEnabled(em, operator, template, enabled, { byOperator: true, reason }, version);
  return template;
}
