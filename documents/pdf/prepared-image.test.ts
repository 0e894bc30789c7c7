import { inflateSync } from 'node:zlib';
import sharp from 'sharp';
import UPNGModule from '@pdf-lib/upng';
import { describe, expect, it } from 'vitest';
import { DocumentError } from '../errors';
import { renderNameSeal } from '../seals/name-seal';
import { preparedImage, type ImageStream } from './prepared-image';

const UPNG = ((UPNGModule as unknown as { default?: unknown }).default ?? UPNGModule) as {
  decode(bytes: Uint8Array): { width: number; height: number };
  toRGBA8(img: { width: number; height: number }): ArrayBuffer[];
};

/** RGB of every pixel as a PDF reader decodes the prepared colour stream. */
function decodeColours(s: ImageStream): Uint8Array {
  const data = inflateSync(s.data);
  const out = new Uint8Array(s.width * s.height * 3);
  const rowBytes = Math.ceil((s.width * s.bitsPerComponent) / 8);
  for (let y = 0; y < s.height; y++) {
    for (let x = 0; x < s.width; x++) {
      const i = y * s.width + x;
      if (s.colorSpace.kind === 'Indexed') {
        const bit = x * s.bitsPerComponent;
        const index = (data[y * rowBytes + (bit >> 3)]! >> (8 - s.bitsPerComponent - (bit & 7))) & ((1 << s.bitsPerComponent) - 1);
        if (index > s.colorSpace.hival) throw new Error(`index ${index} outside the palette`);
        out.set(s.colorSpace.palette.subarray(index * 3, index * 3 + 3), i * 3);
      } else out.set(data.subarray(i * 3, i * 3 + 3), i * 3);
    }
  }
  return out;
}

/** Largest difference, over all pixels and channels, between the PNG and the prepared streams composited over white and over black (0–255). */
function maxCompositeError(png: Uint8Array): number {
  const img = UPNG.decode(png);
  const rgba = new Uint8Array(UPNG.toRGBA8(img)[0]!);
  const prepared = preparedImage(png);
  const rgb = decodeColours(prepared.image);
  const alpha = prepared.smask ? inflateSync(prepared.smask.data) : new Uint8Array(img.width * img.height).fill(255);
  let worst = 0;
  for (let i = 0; i < img.width * img.height; i++) {
    if (alpha[i] !== rgba[i * 4 + 3]) return Infinity; // the soft mask must be exact
    for (const bg of [0, 255]) {
      for (let c = 0; c < 3; c++) {
        const a = rgba[i * 4 + 3]! / 255;
        const want = rgba[i * 4 + c]! * a + bg * (1 - a);
        const got = rgb[i * 3 + c]! * a + bg * (1 - a);
        worst = Math.max(worst, Math.abs(want - got));
      }
    }
  }
  return worst;
}

describe('preparedImage', () => {
  it('a rendered one-colour seal becomes a 1-bit palette image plus an exact soft mask, within 1/255 of the PNG everywhere', async () => {
    const png = await renderNameSeal('张三');
    const prepared = preparedImage(png);
    expect(prepared.image.colorSpace).toMatchObject({ kind: 'Indexed', hival: 0 });
    expect(prepared.image.data.length).toBeLessThan(200);
    expect(prepared.smask).not.toBeNull();
    expect(maxCompositeError(png)).toBeLessThanOrEqual(1);
  });

  it('many colours: DeviceRGB, still within 1/255; opaque images get no soft mask', async () => {
    const [w, h] = [40, 30];
    const raw = Buffer.alloc(w * h * 4);
    for (let i = 0; i < w * h; i++) raw.set([i & 255, (i >> 8) * 50, (i * 13) % 256, i % 5 === 0 ? 0 : 255 - (i % 3) * 60], i * 4);
    const rainbow = new Uint8Array(await sharp(raw, { raw: { width: w, height: h, channels: 4 } }).png().toBuffer());
    expect(preparedImage(rainbow).image.colorSpace.kind).toBe('DeviceRGB');
    expect(maxCompositeError(rainbow)).toBeLessThanOrEqual(1);
    const opaque = new Uint8Array(await sharp({ create: { width: 8, height: 8, channels: 3, background: { r: 200, g: 22, b: 29 } } }).png().toBuffer());
    expect(preparedImage(opaque).smask).toBeNull();
    expect(maxCompositeError(opaque)).toBe(0);
  });

  it('is prepared once per distinct PNG (cache keyed by content, not by buffer)', async () => {
    const png = await renderNameSeal('李四');
    expect(preparedImage(new Uint8Array(png))).toBe(preparedImage(new Uint8Array(png)));
  });

  it('refuses undecodable PNGs and oversized ones before decoding their pixels (INVALID_IMAGE)', async () => {
    const png = await renderNameSeal('王五');
    const code = (bytes: Uint8Array) => {
      try {
        preparedImage(bytes);
        return 'ok';
      } catch (e) {
        return e instanceof DocumentError ? e.code : String(e);
      }
    };
    expect(code(png.subarray(0, 60))).toBe('INVALID_IMAGE');
    const huge = new Uint8Array(png);
    new DataView(huge.buffer).setUint32(16, 100_000);
    new DataView(huge.buffer).setUint32(20, 100_000);
    expect(code(huge)).toBe('INVALID_IMAGE');
  });
});
