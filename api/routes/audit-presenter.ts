import { AUDIT_ACTIONS } from '../../domain/audit/audit-actions';
import type { AuditEvent } from '../../domain/audit/audit-event.entity';

/** An audit row as every list shows it, with its labels in both languages. */
export const presentAuditEvent = (e: AuditEvent) => ({
  id: e.id,
  at: e.at.toISOString(),
  actorId: e.actorId,
  actorName: e.actorName,
  action: e.action,
  actionLabel: AUDIT_ACTIONS[e.action]?.zh ?? e.action,
  actionLabelEn: AUDIT_ACTIONS[e.action]?.en ?? e.action,
  targetType: e.targetType,
  targetId: e.targetId,
  enterpriseId: e.enterpriseId,
  detail: e.detail ? (JSON.parse(e.detail) as Record<string, unknown>) : null,
  ip: e.ip,
});

/**
 * The same for a contract's participants: they see their own address, never another
 * participant's (an address is personal data; operators see all of them in the console).
 */
export const presentAuditEventForParticipant = (e: AuditEvent, viewerId: string) => ({ ...presentAuditEvent(e), ip: e.actorId === viewerId ? e.ip : null });

/**
 * The same for an enterprise's console: addresses of the enterprise's own members, for what they did while they
 * were members (`memberSince`: an active member's id → when the membership began). Outsiders who acted on its
 * contracts (counterparties, 抄送, applicants), and members for what they did before joining (their application,
 * their signatures as a counterparty), are personal data of theirs, shown to operators only.
 */
export const presentAuditEventForEnterprise = (e: AuditEvent, memberSince: ReadonlyMap<string, Date>) => {
  const since = e.actorId === null ? undefined : memberSince.get(e.actorId);
  return { ...presentAuditEvent(e), ip: since !== undefined && e.at.getTime() >= since.getTime() ? e.ip : null };
};
