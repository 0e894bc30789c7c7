export { DocumentError, isDocumentError, type DocumentErrorCode } from './errors';
export { inspectPdf, type PdfInfo, type PdfLimits } from './pdf/inspect-pdf';
export { prepareForSigning } from './pdf/normalize-pdf';
export { signPdf, type SignPdfInput } from './pdf/sign-pdf';
export { verifyPdf, type SignatureReport, type VerificationReport } from './pdf/verify-pdf';
export { renderNameSeal, SEAL_RED } from './seals/name-seal';
export { findCjkFonts, type CjkFonts } from './seals/fonts';
