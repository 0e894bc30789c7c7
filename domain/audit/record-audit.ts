import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { AuditEventSchema, type AuditEvent } from './audit-event.entity';
import type { AuditAction } from './audit-actions';

export interface AuditActor {
  id: string | null;
  name: string;
  ip: string | null;
}

export const SYSTEM_ACTOR: AuditActor = { id: null, name: '系统', ip: null };

export interface AuditEntry {
  action: AuditAction;
  targetType: 'contract' | 'contract_batch' | 'user' | 'certificate' | 'certificate_order' | 'document' | 'session' | 'enterprise' | 'membership' | 'seal' | 'admin_application' | 'admin_transfer' | 'real_name' | 'signature' | 'platform_setting' | 'template' | 'template_field';
  targetId: string;
  enterpriseId?: string | null;
  detail?: Record<string, unknown>;
  at?: Date;
}

/** Adds an audit row to the unit of work; it is written with the change it describes (same flush). */
export function recordAudit(em: EntityManager, actor: AuditActor, entry: AuditEntry): AuditEvent {
  return em.create(AuditEventSchema, {
    id: randomUUID(),
    at: entry.at ?? new Date(),
    actorId: actor.id,
    actorName: actor.name,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId,
    enterpriseId: entry.enterpriseId ?? null,
    detail: entry.detail ? JSON.stringify(entry.detail) : null,
    ip: actor.ip,
  });
}
