/** The pixel passes served by the document worker threads (pdf-worker.ts registers them; pixel-tasks.ts sends them). */
import { clearAroundInk, whiteToAlpha, type InkRule } from '../images/pixel-passes';
import type { TaskHandler } from './serve-tasks';

interface Pixels {
  data: Uint8Array;
  width: number;
  height: number;
}

/** The bytes go back to the caller without a copy (they came as the thread's own buffer). */
const back = (data: Uint8Array) => [data.buffer as ArrayBuffer];

export const pixelTaskHandlers: Record<string, TaskHandler> = {
  'pixels-white-to-alpha': async ({ data, width, height, paperLevel }: Pixels & { paperLevel: number }) => ({
    result: { data, box: whiteToAlpha(data, width, height, paperLevel) },
    transfer: back(data),
  }),
  'pixels-clear-around-ink': async ({ data, width, height, rule }: Pixels & { rule: InkRule }) => ({
    result: { data, ...clearAroundInk(data, width, height, rule) },
    transfer: back(data),
  }),
};
