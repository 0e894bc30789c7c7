/**
 * What 文件验证 says about a signature whose certificate the platform has revoked (issue 9): the
 * one place for the rule. A signature made before the revocation (its CMS signingTime earlier than
 * revokedAt) stays valid — the certificate was good when it signed — and is reported with the
 * revocation; a signature made at or after it (or without a signing time) is not valid.
 * The signing time is the signer's signed attribute; the platform holds every seal key, so only the
 * platform could have produced it.
 */
import type { EntityManager } from '@mikro-orm/core';
import { SigningCertificateSchema } from './certificate.entities';
import { revocationReasonLabel } from './revoke-certificates';

export interface SignatureRevocation {
  revokedAt: string;
  /** The stored reason code (e.g. enterprise_renamed) and its labels. */
  reason: string | null;
  reasonLabel: string;
  reasonLabelEn: string;
  signedBeforeRevocation: boolean;
}

/** The signature's revocation given the certificate's revocation time, or null when not revoked. */
export function signatureRevocation(revoked: { revokedAt: Date; reason: string | null } | null, signingTime: string | null): SignatureRevocation | null {
  if (!revoked) return null;
  const signed = signingTime ? new Date(signingTime) : null;
  const label = revocationReasonLabel(revoked.reason);
  return {
    revokedAt: revoked.revokedAt.toISOString(),
    reason: revoked.reason,
    reasonLabel: label.zh,
    reasonLabelEn: label.en,
    signedBeforeRevocation: !!signed && !Number.isNaN(signed.getTime()) && signed < revoked.revokedAt,
  };
}

/** Platform certificates with status 'revoked', by serial number (lower-case hex). */
export async function revokedCertificatesBySerial(em: EntityManager, serials: readonly string[]): Promise<Map<string, { revokedAt: Date; reason: string | null }>> {
  const wanted = [...new Set(serials.map((s) => s.toLowerCase()))];
  const result = new Map<string, { revokedAt: Date; reason: string | null }>();
  if (wanted.length === 0) return result;
  const rows = await em.find(SigningCertificateSchema, { serialNumber: { $in: wanted }, status: 'revoked' }, { fields: ['serialNumber', 'revokedAt', 'revocationReason', 'createdAt'] });
  for (const r of rows) result.set(r.serialNumber, { revokedAt: r.revokedAt ?? r.createdAt, reason: r.revocationReason });
  return result;
}

/** Adds `revocation` to each signature (null unless its platform certificate is revoked). */
export async function withRevocations<S extends { chainedToPlatform: boolean; signingTime: string | null; certificate: { serialNumber: string } | null }>(
  em: EntityManager,
  signatures: readonly S[],
): Promise<(S & { revocation: SignatureRevocation | null })[]> {
  const revoked = await revokedCertificatesBySerial(
    em,
    signatures.flatMap((s) => (s.chainedToPlatform && s.certificate ? [s.certificate.serialNumber] : [])),
  );
  return signatures.map((s) => ({
    ...s,
    revocation: s.chainedToPlatform && s.certificate ? signatureRevocation(revoked.get(s.certificate.serialNumber.toLowerCase()) ?? null, s.signingTime) : null,
  }));
}
