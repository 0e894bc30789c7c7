/**
 * 吊销证书 (issue 9): a seal certificate is revoked in two steps.
 * 1. `revokeCertificatesLocally`, in the caller's transaction (voiding seals: rename submission,
 *    变更法人): status 'revoked', revokedAt, revocationReason, caRevokedAt NULL — from that flush on
 *    the certificate never signs again (`activeSealCertificate` takes only active ones) and
 *    verification reports the revocation.
 * 2. `pushRevocationsToCa`, after the commit (an activity; the periodic sweep catches rows left
 *    behind): tells the CA (`CaOrderGateway.revokeCertificate`, idempotent per serial there) and
 *    sets caRevokedAt. A row is pending at the CA while status is 'revoked' and caRevokedAt NULL.
 */
import type { EntityManager } from '@mikro-orm/core';
import type { CaOrderGateway } from '../../integrations/ca-orders/ca-order-gateway';
import { isCaRefusal } from '../../integrations/ca-orders/ca-order-gateway';
import { recordAudit, SYSTEM_ACTOR, type AuditActor } from '../audit/record-audit';
import { SealSchema } from '../enterprises/seal.entities';
import { updateWhere } from '../persistence/concurrency';
import { SigningCertificateSchema, type SigningCertificate } from './certificate.entities';
import { forgetSignerKeys } from './signer-keys';

/** Why a certificate was revoked (stored in revocationReason, shown by verification). */
export const CERTIFICATE_REVOCATION_REASONS = {
  enterprise_renamed: { zh: '企业名称变更，印章已作废', en: 'The enterprise changed its name; the seal was voided' },
  legal_representative_changed: { zh: '法定代表人变更，印章已作废', en: 'The legal representative changed; the seal was voided' },
  seal_voided: { zh: '印章已作废', en: 'The seal was voided' },
} as const;
export type CertificateRevocationReason = keyof typeof CERTIFICATE_REVOCATION_REASONS;

export const revocationReasonLabel = (reason: string | null) =>
  reason && reason in CERTIFICATE_REVOCATION_REASONS ? CERTIFICATE_REVOCATION_REASONS[reason as CertificateRevocationReason] : { zh: reason ?? '', en: reason ?? '' };

/** At most this many rows per push (a sweep picks up the rest next time). */
export const PUSH_BATCH = 200;

/** Marks one certificate revoked (no flush); audited `certificate.revoked`. */
export function markRevoked(em: EntityManager, cert: SigningCertificate, reason: string, actor: AuditActor, now: Date): void {
  cert.status = 'revoked';
  cert.revokedAt = now;
  cert.revocationReason = reason;
  cert.caRevokedAt = null;
  forgetSignerKeys({ certificateIds: [cert.id] }); // this process never signs with its cached key again
  recordAudit(em, actor, {
    action: 'certificate.revoked',
    targetType: 'certificate',
    targetId: cert.id,
    enterpriseId: cert.enterpriseId,
    detail: { owner: `${cert.ownerType}:${cert.ownerId}`, serialNumber: cert.serialNumber, reason },
    at: now,
  });
}

/**
 * Revokes every active certificate of these seals in the caller's unit of work (the caller flushes /
 * commits). Returns the ids of the certificates it revoked (already revoked ones are left as they are).
 */
export async function revokeCertificatesLocally(
  em: EntityManager,
  args: { sealIds: readonly string[]; reason: string; actor: AuditActor; now?: Date },
): Promise<string[]> {
  if (args.sealIds.length === 0) return [];
  const now = args.now ?? new Date();
  const certs = await em.find(SigningCertificateSchema, { ownerType: 'seal', ownerId: { $in: [...args.sealIds] }, status: 'active' }, { orderBy: { createdAt: 'asc', id: 'asc' } });
  for (const cert of certs) markRevoked(em, cert, args.reason, args.actor, now);
  return certs.map((c) => c.id);
}

export interface PushReport {
  /** Certificates the CA has now recorded as revoked (caRevokedAt set by this call). */
  pushed: string[];
  /** The CA refused (a business answer, e.g. CERTIFICATE_NOT_FOUND: not issued by it): retrying does not help. */
  refused: { id: string; code: string; error: string }[];
  /** The CA could not be reached or failed (infrastructure): retried later. */
  failed: { id: string; error: string }[];
}

/**
 * Tells the CA about revoked certificates not yet pushed (`certificateIds` given: only those; else
 * the oldest pending ones, up to PUSH_BATCH). Each success sets caRevokedAt (conditional UPDATE) and
 * is audited `certificate.revocation_pushed`, flushed at once, so a failure later in the batch loses
 * nothing. Use a fresh EntityManager (not inside a transaction: it waits for the CA).
 * A CA refusal (e.g. the serial is not the CA's: a certificate from before CA orders) goes to
 * `refused` (the row stays pending; retrying does not help); infrastructure errors to `failed` — the
 * caller (activity) retries while `failed` is not empty.
 */
export async function pushRevocationsToCa(em: EntityManager, gateway: Pick<CaOrderGateway, 'revokeCertificate'>, args: { certificateIds?: readonly string[]; now?: () => Date } = {}): Promise<PushReport> {
  const now = args.now ?? (() => new Date());
  // The sweep (no ids) takes only certificates issued through a CA order: others (the platform's own
  // CA, from before CA orders) are unknown to the CA, would be refused on every run, and being the
  // oldest pending rows they would keep newer ones out of the batch.
  const where = { status: 'revoked' as const, caRevokedAt: null, ...(args.certificateIds ? { id: { $in: [...args.certificateIds] } } : { orderId: { $ne: null } }) };
  if (args.certificateIds && args.certificateIds.length === 0) return { pushed: [], refused: [], failed: [] };
  const pending = await em.find(SigningCertificateSchema, where, { orderBy: { revokedAt: 'asc', id: 'asc' }, limit: PUSH_BATCH });
  const report: PushReport = { pushed: [], refused: [], failed: [] };
  for (const cert of pending) {
    try {
      await gateway.revokeCertificate(cert.serialNumber, revocationReasonLabel(cert.revocationReason).zh || '印章已作废');
    } catch (err) {
      if (isCaRefusal(err)) report.refused.push({ id: cert.id, code: err.code, error: err.messageEn });
      else report.failed.push({ id: cert.id, error: (err as Error).message });
      continue;
    }
    const at = now();
    // Conditional: a parallel pusher (activity and sweep) that got there first keeps its audit row. The mark
    // and its audit row commit together (a crash between them lost the row: the retry finds the mark set).
    const won = await em.transactional(async (tx) => {
      const n = await updateWhere(tx, SigningCertificateSchema, { id: cert.id, caRevokedAt: null }, { caRevokedAt: at });
      if (n) {
        recordAudit(tx, SYSTEM_ACTOR, {
          action: 'certificate.revocation_pushed',
          targetType: 'certificate',
          targetId: cert.id,
          enterpriseId: cert.enterpriseId,
          detail: { serialNumber: cert.serialNumber, reason: cert.revocationReason },
          at,
        });
      }
      return n;
    });
    if (won === 0) continue;
    report.pushed.push(cert.id);
  }
  return report;
}

export interface RevokedSealCertificate {
  id: string;
  sealId: string;
  sealName: string;
  serialNumber: string;
  notBefore: Date;
  notAfter: Date;
  revokedAt: Date | null;
  revocationReason: string | null;
  /** When the CA recorded it (null: still to push). */
  caRevokedAt: Date | null;
}

/** 已吊销: the enterprise's revoked seal certificates, the latest revocation first (企业证书 list). */
export async function listRevokedSealCertificates(em: EntityManager, enterpriseId: string): Promise<RevokedSealCertificate[]> {
  const certs = await em.find(
    SigningCertificateSchema,
    { ownerType: 'seal', enterpriseId, status: 'revoked' },
    { orderBy: { revokedAt: 'desc', id: 'asc' }, limit: 1000, fields: ['id', 'ownerId', 'serialNumber', 'notBefore', 'notAfter', 'revokedAt', 'revocationReason', 'caRevokedAt'] },
  );
  const sealIds = [...new Set(certs.map((c) => c.ownerId))];
  const seals = sealIds.length ? await em.find(SealSchema, { id: { $in: sealIds } }, { fields: ['id', 'name'] }) : [];
  return certs.map((c) => ({
    id: c.id,
    sealId: c.ownerId,
    sealName: seals.find((s) => s.id === c.ownerId)?.name ?? '',
    serialNumber: c.serialNumber,
    notBefore: c.notBefore,
    notAfter: c.notAfter,
    revokedAt: c.revokedAt,
    revocationReason: c.revocationReason,
    caRevokedAt: c.caRevokedAt,
  }));
}
