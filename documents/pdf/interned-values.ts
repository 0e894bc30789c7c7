/**
 * pdf-lib interns every name (`PDFName.of`) and every reference (`PDFRef.of`) it parses in
 * process-wide maps that are never emptied, and its code compares them by identity, so they cannot
 * be cleared. A 5 MB upload of 500,000 distinct names keeps ≈ 65 MB of a document thread's heap
 * for the thread's lifetime: a few such uploads, and a later, innocent document fails for memory.
 *
 * Every value the budgeted parsers read, every name (dictionary keys too) and every cross-reference entry
 * is counted here (an upper bound on what they interned);
 * the document thread asks to be replaced once the count passes RETIRE_AFTER_PARSED_VALUES
 * (documents/pool/pdf-worker.ts).
 */

/**
 * Measured: 500,000 distinct names kept 62–77 MB (≈ 130 bytes each; a dictionary of 250,000 distinct keys and
 * values counts 750,000 here); 400,000 cross-reference entries kept ≈ 60 MB. At most ≈ 150 MB then, under a
 * third of a thread's 512 MB heap.
 */
export const RETIRE_AFTER_PARSED_VALUES = 1_000_000;

let parsed = 0;

export function noteParsedValues(n: number): void {
  parsed += n;
}

/** Values parsed by this thread since it started. */
export function parsedValues(): number {
  return parsed;
}
