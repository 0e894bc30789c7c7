import type { EntityManager } from '@mikro-orm/core';
import type { AuditAction } from '../audit/audit-actions';
import { recordAudit, type AuditActor } from '../audit/record-audit';
import type { DocumentTemplate } from './template.entity';

/** The audit row of a template's state change (enterprise = the owner, for the console's 操作日志). */
export function auditTemplate(em: EntityManager, actor: AuditActor, template: DocumentTemplate, action: AuditAction & `template.${string}`, detail: Record<string, unknown> = {}, at = new Date()) {
  return recordAudit(em, actor, {
    action,
    targetType: 'template',
    targetId: template.id,
    enterpriseId: template.ownerType === 'enterprise' ? template.ownerId : null,
    detail: { name: template.name, ...detail },
    at,
  });
}
