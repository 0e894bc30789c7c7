/**
 * Word (.docx) → PDF. Two implementations:
 *  - warm (default, warm-office-converter.ts): long-running `soffice --accept` listeners driven by a python3-uno
 *    client, reused across documents (0.1–0.3 s per document), restarted if one dies, bounded concurrency and
 *    queue, a timeout per document;
 *  - simple (simple-office-converter.ts): libreoffice-convert, one cold `soffice` per document (≈ 1–8 s); the
 *    design card's package, kept as the simple path and as the benchmark anchor (bench/word-to-pdf.ts).
 * Failures are DocumentErrors: OFFICE_BUSY (queue full, 503), OFFICE_UNAVAILABLE (LibreOffice cannot start or
 * is shutting down, 503), OFFICE_CONVERSION_FAILED (the document failed or timed out, 422).
 */
export interface OfficeConverter {
  toPdf(docx: Uint8Array, opts?: { timeoutMs?: number }): Promise<Uint8Array>;
  /** Stops every LibreOffice process it started (waits for them to exit). */
  close(): Promise<void>;
}

/** A converted file must at least look like a PDF (LibreOffice sometimes "succeeds" with an empty file). */
export function looksLikePdf(bytes: Uint8Array): boolean {
  return bytes.byteLength > 8 && Buffer.from(bytes.subarray(0, 5)).toString('latin1') === '%PDF-';
}
