import type { TextFieldItem } from '../pdf/draw-text-fields';
import { runDocumentTask } from './pdf-tasks';

/**
 * Web templates' text drawing in the document worker threads (the font subsetter loads once per
 * thread; a thread that overruns its time or memory is replaced and the call fails with a DocumentError).
 */

export const TEXT_TASK_TIMEOUT_MS = 30_000;

/** The PDF with the items' texts drawn into their boxes (same pages); see documents/pdf/draw-text-fields.ts. */
export function drawTextFields(pdf: Uint8Array, items: TextFieldItem[]): Promise<Uint8Array> {
  const own = new Uint8Array(pdf);
  return runDocumentTask('draw-text', { pdf: own, items }, { timeoutMs: TEXT_TASK_TIMEOUT_MS, transfer: [own.buffer] });
}
