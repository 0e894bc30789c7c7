import type { InkRule, PixelBox } from '../images/pixel-passes';
import { runDocumentTask } from './pdf-tasks';

/**
 * The per-pixel passes of seal uploads and handwritten signatures (documents/images/pixel-passes.ts) in the
 * document worker threads: up to 16 MB of RGBA is 20–60 ms of CPU, which held the API's event loop. The
 * pixels move to the thread and back without a copy there (the caller's buffer is copied once, here: a
 * Buffer from sharp may not be detachable). A full queue is PDF_ENGINE_BUSY (503), like any document task.
 */

export const PIXEL_TASK_TIMEOUT_MS = 10_000;

export interface RgbaPixels {
  data: Uint8Array;
  width: number;
  height: number;
}

function own(pixels: RgbaPixels) {
  if (pixels.data.byteLength !== pixels.width * pixels.height * 4) throw new Error(`expected ${pixels.width}×${pixels.height} RGBA pixels, got ${pixels.data.byteLength} bytes`);
  const data = new Uint8Array(pixels.data);
  return { payload: { data, width: pixels.width, height: pixels.height }, transfer: [data.buffer] };
}

/** See pixel-passes.ts `whiteToAlpha`: the changed pixels and the ink's box. */
export function whiteToAlphaInThread(pixels: RgbaPixels, paperLevel: number): Promise<{ data: Uint8Array; box: PixelBox | null }> {
  const { payload, transfer } = own(pixels);
  return runDocumentTask('pixels-white-to-alpha', { ...payload, paperLevel }, { timeoutMs: PIXEL_TASK_TIMEOUT_MS, transfer });
}

/** See pixel-passes.ts `clearAroundInk`: the changed pixels, the ink's pixel count and box. */
export function clearAroundInkInThread(pixels: RgbaPixels, rule: InkRule): Promise<{ data: Uint8Array; ink: number; box: PixelBox | null }> {
  const { payload, transfer } = own(pixels);
  return runDocumentTask('pixels-clear-around-ink', { ...payload, rule }, { timeoutMs: PIXEL_TASK_TIMEOUT_MS, transfer });
}
