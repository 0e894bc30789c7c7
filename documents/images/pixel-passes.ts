/**
 * Per-pixel passes over decoded RGBA images (4 bytes a pixel, rows top to bottom), in place. A seal scan
 * is up to 1800 × 1800 pixels and a phone's signature up to 4 M: 20–60 ms of CPU each, so they run in the
 * document worker threads (documents/pool/pixel-tasks.ts), never on an event loop. Pure: no imports.
 */

/** A rectangle of pixels: the ink's bounding box. */
export interface PixelBox {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * White → transparent (a scanned or photographed seal): alpha from the distance to white (GIMP's
 * colour-to-alpha), pixels whose every channel is at least `paperLevel` dropped as paper. Returns the box of
 * the pixels left with an alpha of at least 32, or null when nothing is.
 */
export function whiteToAlpha(data: Uint8Array, width: number, height: number, paperLevel: number): PixelBox | null {
  let [left, top, right, bottom] = [width, height, -1, -1];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      const r = data[i]!;
      const g = data[i + 1]!;
      const b = data[i + 2]!;
      const m = Math.min(r, g, b);
      if (m >= paperLevel) {
        data[i + 3] = 0;
        continue;
      }
      const a = (255 - m) / 255;
      data[i] = Math.round(255 - (255 - r) / a);
      data[i + 1] = Math.round(255 - (255 - g) / a);
      data[i + 2] = Math.round(255 - (255 - b) / a);
      const alpha = Math.round(a * data[i + 3]!);
      data[i + 3] = alpha;
      if (alpha >= 32) {
        if (x < left) left = x;
        if (x > right) right = x;
        if (y < top) top = y;
        if (y > bottom) bottom = y;
      }
    }
  }
  return right < 0 ? null : { left, top, width: right - left + 1, height: bottom - top + 1 };
}

/** What counts as ink in a drawing: more opaque than `minAlpha` and not near-white (every channel above `white`). */
export interface InkRule {
  minAlpha: number;
  white: number;
}

/**
 * A handwritten drawing's ink: every pixel that is not ink is made fully transparent (an opaque white canvas
 * becomes transparent); answers the number of ink pixels and their bounding box (null without ink).
 */
export function clearAroundInk(data: Uint8Array, width: number, height: number, rule: InkRule): { ink: number; box: PixelBox | null } {
  let ink = 0;
  let [minX, minY, maxX, maxY] = [width, height, -1, -1];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      if (!(data[i + 3]! > rule.minAlpha && !(data[i]! > rule.white && data[i + 1]! > rule.white && data[i + 2]! > rule.white))) {
        data[i + 3] = 0;
        continue;
      }
      ink++;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
  }
  return { ink, box: maxX < 0 ? null : { left: minX, top: minY, width: maxX - minX + 1, height: maxY - minY + 1 } };
}
