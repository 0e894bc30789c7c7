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
  inspectAndPrepareForSigning,
  inspectPdf,
  prepareForSigning,
  signPdf,
  verifyPdf,
  warmDocumentWorkers,
  type DocumentWorkerOptions,
  type PdfOrigin,
} from './pool/pdf-tasks';
// Word templates and 关键字定位, also in the worker threads.
export { fillDocx, findKeywords, listDocxTags, WORD_TASK_TIMEOUTS_MS } from './pool/word-tasks';
export { DEFAULT_DOCX_LIMITS, type DocxLimits } from './word/docx-archive';
export type { KeywordHit } from './pdf/find-keywords';
// Web templates: field values drawn as text (CJK subset font), in the worker threads.
export { drawTextFields, TEXT_TASK_TIMEOUT_MS } from './pool/text-tasks';
export type { TextFieldItem } from './pdf/draw-text-fields';
export { renderNameSeal, SEAL_RED } from './seals/name-seal';
export { PERSON_NAME_MAX_LENGTH, normalizePersonName, personNameProblem } from './seals/person-name';
export { findCjkFonts, type CjkFonts } from './seals/fonts';
