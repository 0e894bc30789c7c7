import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { placeholders, runSql, sqlDate } from '../persistence/plain-sql';
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

/** The audit row for one entry (one place for its shape: the unit of work and the plain insert below use it). */
export function auditRow(actor: AuditActor, entry: AuditEntry): AuditEvent {
  return {
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
  };
}

/** Adds an audit row to the unit of work; it is written with the change it describes (same flush). */
export function recordAudit(em: EntityManager, actor: AuditActor, entry: AuditEntry): AuditEvent {
  return em.create(AuditEventSchema, auditRow(actor, entry));
}

/**
 * Writes audit rows now, in one plain multi-row insert on the EntityManager's transaction (the hot
 * path of every contract change: no unit of work). Same rows as `recordAudit`.
 */
export async function insertAuditRows(tx: EntityManager, rows: readonly AuditEvent[]): Promise<void> {
  if (rows.length === 0) return;
  await runSql(
    tx,
    `insert into audit_events (id, at, actor_id, actor_name, action, target_type, target_id, enterprise_id, detail, ip) values ${rows.map(() => `(${placeholders(10)})`).join(', ')}`,
    rows.flatMap((r) => [r.id, sqlDate(tx, r.at), r.actorId, r.actorName, r.action, r.targetType, r.targetId, r.enterpriseId, r.detail, r.ip]),
  );
}
