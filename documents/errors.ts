export type DocumentErrorCode =
  | 'NOT_A_PDF'
  | 'PDF_CORRUPT'
  | 'PDF_TOO_LARGE'
  | 'PDF_TOO_MANY_PAGES'
  | 'PDF_NO_PAGES'
  | 'PDF_ENCRYPTED'
  | 'PDF_UNSUPPORTED_STRUCTURE'
  /** Over a parse budget (objects, decoded bytes, fields, nodes), or over the time/memory limit of the PDF worker. */
  | 'PDF_TOO_COMPLEX'
  /** Uploads must be unsigned originals (see documents/README.md). */
  | 'PDF_ALREADY_SIGNED'
  /** The PDF worker pool's queue is full: retry later (HTTP 503). */
  | 'PDF_ENGINE_BUSY'
  | 'POSITION_OUT_OF_PAGE'
  | 'PAGE_NOT_FOUND'
  /** 骑缝章: its range and 骑缝规则 (奇数页 / 偶数页) select no page. */
  | 'RIDING_NO_PAGES'
  | 'FIELD_NAME_TAKEN'
  | 'INVALID_FIELD_NAME'
  | 'INVALID_IMAGE'
  | 'INVALID_SIGNER'
  | 'SIGNATURE_TOO_LARGE'
  | 'FONT_NOT_FOUND'
  | 'INVALID_SEAL_TEXT'
  /** Word templates (documents/word): not a .docx, over a budget, content not allowed, a malformed or unsupported tag. */
  | 'NOT_A_DOCX'
  | 'DOCX_TOO_COMPLEX'
  | 'DOCX_UNSAFE_CONTENT'
  | 'DOCX_TEMPLATE_INVALID'
  /** The values filled in make a document part larger than the XML budget (a tag repeated thousands of times with long values). */
  | 'DOCX_FILLED_TOO_LARGE'
  /** 关键字定位: an empty or over-long keyword, or too many. */
  | 'INVALID_KEYWORD'
  /** Word → PDF (integrations/office): all converters busy and the queue full (HTTP 503), LibreOffice unavailable (503), or the document failed / timed out (422). */
  | 'OFFICE_BUSY'
  | 'OFFICE_UNAVAILABLE'
  | 'OFFICE_CONVERSION_FAILED'
  /** Web templates (draw-text-fields.ts): a field's text does not fit its box even at 6 pt, or has a character the CJK font lacks. */
  | 'TEXT_DOES_NOT_FIT'
  | 'TEXT_UNSUPPORTED_CHARACTER';

/** Every expected failure of the document engine; `code` is stable, `message` is for humans/logs. */
export class DocumentError extends Error {
  readonly code: DocumentErrorCode;

  constructor(code: DocumentErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DocumentError';
    this.code = code;
  }
}

export function isDocumentError(err: unknown, code?: DocumentErrorCode): err is DocumentError {
  return err instanceof DocumentError && (code === undefined || err.code === code);
}
