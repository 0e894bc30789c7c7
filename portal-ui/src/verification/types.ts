// POST /api/verifications report (docs/http-api.md).

/** What changed after a signature (documents/pdf/revision-diff.ts). */
export type ChangeKind = 'page_content' | 'pages' | 'annotations' | 'form_fields' | 'signatures' | 'metadata' | 'document' | 'structure' | 'appended_data';

export interface RevisionChange {
  kind: ChangeKind;
  pages: number[];
  fields: string[];
  objects: number[];
}

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
}

/** Overall verdict, most serious first. */
export type VerificationStatus = 'modified' | 'not_platform' | 'unsigned' | 'partial' | 'valid';

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
