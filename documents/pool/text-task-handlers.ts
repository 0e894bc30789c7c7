/**
 * The text-drawing task served by the document worker threads (pdf-worker.ts registers it). The font
 * and the subsetter load on first use, so threads that never draw text start as fast as before.
 */
import type { TextFieldItem } from '../pdf/draw-text-fields';
import type { TaskHandler } from './serve-tasks';

export const textTaskHandlers: Record<string, TaskHandler> = {
  'draw-text': async ({ pdf, items }: { pdf: Uint8Array; items: TextFieldItem[] }) => {
    const { drawTextFields } = await import('../pdf/draw-text-fields');
    const out = await drawTextFields(pdf, items);
    const own = out.byteOffset === 0 && out.byteLength === out.buffer.byteLength ? out : out.slice();
    return { result: own, transfer: [own.buffer as ArrayBuffer] };
  },
};
