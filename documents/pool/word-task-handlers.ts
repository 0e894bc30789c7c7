/**
 * The Word-template and keyword tasks served by the document worker threads (pdf-worker.ts registers them).
 * The libraries load on first use, so threads that never see a template start as fast as before.
 */
import type { DocxLimits } from '../word/docx-archive';
import type { TaskHandler } from './serve-tasks';

const owned = (bytes: Uint8Array) => {
  const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
  return { result: own, transfer: [own.buffer as ArrayBuffer] };
};

export const wordTaskHandlers: Record<string, TaskHandler> = {
  'docx-tags': async ({ docx, limits }: { docx: Uint8Array; limits?: DocxLimits }) => {
    const { listDocxTagsInThread } = await import('../word/docx-template');
    return { result: listDocxTagsInThread(docx, limits) };
  },
  'docx-fill': async ({ docx, values, limits }: { docx: Uint8Array; values: Record<string, string>; limits?: DocxLimits }) => {
    const { fillDocxInThread } = await import('../word/docx-template');
    return owned(fillDocxInThread(docx, values, limits));
  },
  'pdf-keywords': async ({ pdf, keywords }: { pdf: Uint8Array; keywords: string[] }) => {
    const { findKeywords } = await import('../pdf/find-keywords');
    return { result: await findKeywords(pdf, keywords) };
  },
};
