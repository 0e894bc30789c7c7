/**
 * pdf-lib interns every name (`PDFName.of`) and every reference (`PDFRef.of`) it parses in
 * process-wide maps that are never emptied, and its code compares them by identity, so they cannot
 * be cleared. A 5 MB upload of 500,000 distinct names keeps ≈ 65 MB of a document thread's heap
 * for the thread's lifetime: a few such uploads, and a later, innocent document fails for memory.
 *
 * Every value the budgeted parsers read is counted here (an upper bound on what they interned);
 * the document thread asks to be replaced once the count passes RETIRE_AFTER_PARSED_VALUES
 * (documents/pool/pdf-worker.ts).
 */

/** ≈ 130 MB of interned values at the measured 130 bytes each, a quarter of a thread's 512 MB heap. */
export const RETIRE_AFTER_PARSED_VALUES = 1_000_000;

let parsed = 0;

export function noteParsedValues(n: number): void {
  parsed += n;
}

/** Values parsed by this thread since it started. */
export function parsedValues(): number {
  return parsed;
}
