// POST /api/verifications report (docs/http-api.md).

export interface VerifiedSignature {
  fieldName: string;
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
}

export interface VerificationReport {
  fileName: string;
  signedByPlatform: boolean;
  intact: boolean;
  modifiedAfterSigning: boolean;
  signatureCount: number;
  signatures: VerifiedSignature[];
  summary: string;
  summaryEn: string;
}
