export { DocumentError, isDocumentError, type DocumentErrorCode } from './errors';
export type { PdfInfo, PdfLimits } from './pdf/inspect-pdf';
export type { SignPdfInput } from './pdf/sign-pdf';
export { MAX_SIGNATURES_CHECKED, type ChangeKind, type RevisionChange, type SignatureReport, type VerificationReport } from './pdf/verify-pdf';
export { isPlatformFieldName, signatureFieldName } from './pdf/field-names';
// PDF work runs in worker threads (documents/pool): same names and call shapes as documents/pdf.
export {
  closeDocumentWorkers,
  configureDocumentWorkers,
  documentWorkerStats,
  inspectPdf,
  prepareForSigning,
  signPdf,
  verifyPdf,
  warmDocumentWorkers,
  type DocumentWorkerOptions,
} from './pool/pdf-tasks';
export { renderNameSeal, SEAL_RED } from './seals/name-seal';
export { PERSON_NAME_MAX_LENGTH, normalizePersonName, personNameProblem } from './seals/person-name';
export { findCjkFonts, type CjkFonts } from './seals/fonts';
