/**
 * An audit row as the lists send it (GET /api/admin/audit-events, /api/console/audit-events, a contract's 操作记录):
 * its labels in both languages, the detail parsed, instants as ISO strings. The UIs import the type.
 */
import { AUDIT_ACTIONS } from './audit-actions';
import type { AuditEvent } from './audit-event.entity';

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
export type AuditEventView = ReturnType<typeof presentAuditEvent>;

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
