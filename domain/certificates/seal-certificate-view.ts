/**
 * A seal certificate as 企业证书更新 lists it (GET /api/console/certificates; admin-ui imports the type): its
 * seal, validity, days left and state (即将过期 within EXPIRING_WITHIN_DAYS, 已过期, or still valid) and the open
 * renewal order if any; a revoked one (已吊销, issue 9) with when and why and whether the CA has recorded it.
 */
import { revocationReasonLabel, type RevokedSealCertificate } from './revoke-certificates';
import { EXPIRING_WITHIN_DAYS, type ExpiringCertificate } from './seal-certificates';

const DAY_MS = 86_400_000;

/** The fields every row starts with, whatever its state. */
const certificateOf = (c: ExpiringCertificate | RevokedSealCertificate) => ({
  id: c.id,
  sealId: c.sealId,
  sealName: c.sealName,
  serialNumber: c.serialNumber,
  notBefore: c.notBefore.toISOString(),
  notAfter: c.notAfter.toISOString(),
});

export function presentSealCertificate(c: ExpiringCertificate, now: Date) {
  return {
    ...certificateOf(c),
    daysLeft: c.daysLeft,
    state: (c.notAfter <= now ? 'expired' : c.notAfter.getTime() - now.getTime() <= EXPIRING_WITHIN_DAYS * DAY_MS ? 'expiring' : 'valid') as 'expired' | 'expiring' | 'valid',
    openOrderId: c.openOrderId,
  };
}

/** 已吊销 (issue 9): a revoked seal certificate with when and why, and whether the CA has recorded it. */
export function presentRevokedSealCertificate(c: RevokedSealCertificate) {
  const reason = revocationReasonLabel(c.revocationReason);
  return {
    ...certificateOf(c),
    daysLeft: 0,
    state: 'revoked' as const,
    openOrderId: null,
    revokedAt: c.revokedAt?.toISOString() ?? null,
    revocationReason: c.revocationReason,
    revocationReasonLabel: reason.zh,
    revocationReasonLabelEn: reason.en,
    caRevoked: c.caRevokedAt !== null,
  };
}

/** A row of GET /api/console/certificates: `state` tells which. */
export type SealCertificateView = ReturnType<typeof presentSealCertificate> | ReturnType<typeof presentRevokedSealCertificate>;
