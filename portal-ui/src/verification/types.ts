// POST /api/verifications report (docs/http-api.md).

import type { RevisionChange } from '../../../documents/pdf/revision-diff';

/** What changed after a signature; type-only, erased from the UI build. */
export type { RevisionChange } from '../../../documents/pdf/revision-diff';

export interface VerifiedSignature {
  fieldName: string | null;
  signerName: string | null;
  signingTime: string | null;
  intact: boolean;
  coversWholeDocument: boolean;
  chainedToPlatform: boolean;
  certificate: {
    subject: string;
    issuer: string;
    serialNumber: string;
    notBefore: string;
    notAfter: string;
  } | null;
  modifiedAfterSigning: boolean;
  changes: RevisionChange[];
  error?: string;
  /** The platform revoked this signature's certificate (issue 9); valid only if signed before. */
  revocation?: { revokedAt: string; reason: string | null; reasonLabel: string; reasonLabelEn: string; signedBeforeRevocation: boolean } | null;
}

/** Overall verdict, most serious first. */
export type VerificationStatus = 'modified' | 'revoked' | 'not_platform' | 'unsigned' | 'partial' | 'valid';

export interface VerificationReport {
  fileName: string;
  status: VerificationStatus;
  readable: boolean;
  signedByPlatform: boolean;
  intact: boolean;
  modifiedAfterSigning: boolean;
  signatureCount: number;
  signaturesTruncated: boolean;
  signatures: VerifiedSignature[];
  summary: string;
  summaryEn: string;
}
