import type { KeywordHit } from '../pdf/find-keywords';
import { DEFAULT_DOCX_LIMITS, type DocxLimits } from '../word/docx-archive';
import { runDocumentTask } from './pdf-tasks';

/**
 * Word templates and 关键字定位 in the document worker threads (same budgets as in-thread; a thread that
 * overruns its time or memory is replaced and the call fails with a DocumentError). A template and the PDF
 * LibreOffice made of it are untrusted bytes: an unexpected error reading them is the document's
 * (malformedCode, worker-pool.ts failureOf).
 */

export const WORD_TASK_TIMEOUTS_MS = { tags: 15_000, fill: 30_000, keywords: 30_000 };

const copy = (bytes: Uint8Array) => new Uint8Array(bytes);

/** The distinct `{tag}` names of a .docx template, in document order (NOT_A_DOCX, DOCX_TOO_COMPLEX, DOCX_UNSAFE_CONTENT, DOCX_TEMPLATE_INVALID). */
export function listDocxTags(docx: Uint8Array, limits: DocxLimits = DEFAULT_DOCX_LIMITS): Promise<string[]> {
  const own = copy(docx);
  return runDocumentTask('docx-tags', { docx: own, limits }, { timeoutMs: WORD_TASK_TIMEOUTS_MS.tags, transfer: [own.buffer], overrunCode: 'DOCX_TOO_COMPLEX', malformedCode: 'NOT_A_DOCX' });
}

/** The template filled with `values` (tag → text; a missing value → empty; `\n` → line break). */
export function fillDocx(docx: Uint8Array, values: Record<string, string>, limits: DocxLimits = DEFAULT_DOCX_LIMITS): Promise<Uint8Array> {
  const own = copy(docx);
  return runDocumentTask('docx-fill', { docx: own, values, limits }, { timeoutMs: WORD_TASK_TIMEOUTS_MS.fill, transfer: [own.buffer], overrunCode: 'DOCX_TOO_COMPLEX', malformedCode: 'NOT_A_DOCX' });
}

/** Every occurrence of each keyword in the PDF (points, top-left origin, page 1-based; not found → []). */
export function findKeywords(pdf: Uint8Array, keywords: string[]): Promise<Record<string, KeywordHit[]>> {
  const own = copy(pdf);
  return runDocumentTask('pdf-keywords', { pdf: own, keywords }, { timeoutMs: WORD_TASK_TIMEOUTS_MS.keywords, transfer: [own.buffer], malformedCode: 'PDF_CORRUPT' });
}
