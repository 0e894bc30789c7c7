// POST /api/verifications report (docs/http-api.md): the server's shapes (domain/certificates/verification-report.ts,
// documents/pdf/verify-pdf.ts), imported as types: erased from the UI build.
import type { VerificationReportView } from '../../../domain/certificates/verification-report';

export type { VerificationStatus } from '../../../domain/certificates/verification-report';
/** What changed after a signature. */
export type { RevisionChange } from '../../../documents/pdf/revision-diff';

export type VerificationReport = VerificationReportView;
/** One checked signature, with its revocation (the platform revoked its certificate: valid only if signed before). */
export type VerifiedSignature = VerificationReport['signatures'][number];
