import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { drawnSignature } from '../../test/harness/signature-fixtures';
import { normalizeSignaturePng, pngFromDataUrl, SIGNATURE_PNG_MAX_BYTES } from './signature-png';

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body) >>> 0);
  return Buffer.concat([len, body, crc]);
}

/** A valid-looking PNG that declares `w` × `h` RGBA pixels and carries a few KB of zlib zeros. */
function pngBomb(w: number, h: number): Uint8Array {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8;
  ihdr[9] = 6;
  const idat = deflateSync(Buffer.alloc(2 * 1024 * 1024));
  const magic = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return new Uint8Array(Buffer.concat([magic, chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', Buffer.alloc(0))]));
}

async function refusal(bytes: Uint8Array): Promise<{ error: AppError; ms: number }> {
  const started = performance.now();
  const error = await normalizeSignaturePng(bytes).then(
    () => {
      throw new Error('accepted');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return { error: error as AppError, ms: performance.now() - started };
}

describe('handwritten signature PNG', () => {
  it('keeps the transparent background and trims the drawing to the ink with a small margin', async () => {
    const out = await normalizeSignaturePng(await drawnSignature());
    // The stroke spans x 100–400, y 120–180 (plus its width): the 600×300 canvas shrinks to it.
    expect(out.width).toBeGreaterThan(300);
    expect(out.width).toBeLessThan(330);
    expect(out.height).toBeGreaterThan(60);
    expect(out.height).toBeLessThan(90);
    const { data, info } = await sharp(out.png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([out.width, out.height]);
    expect(data[3]).toBe(0); // top-left corner: transparent
    let opaque = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i]! > 200) opaque++;
    expect(opaque).toBeGreaterThan(1000);
  });

  it('makes an opaque white canvas transparent', async () => {
    const white = await sharp(await drawnSignature()).flatten({ background: '#ffffff' }).png().toBuffer();
    expect((await sharp(white).metadata()).hasAlpha).toBe(false);
    const out = await normalizeSignaturePng(new Uint8Array(white));
    const { data } = await sharp(out.png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    expect(data[3]).toBe(0);
  });

  it('refuses a blank canvas', async () => {
    const empty = await sharp({ create: { width: 600, height: 300, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } }).png().toBuffer();
    const { error } = await refusal(new Uint8Array(empty));
    expect(error.code).toBe('SIGNATURE_BLANK');
    const white = await sharp({ create: { width: 600, height: 300, channels: 3, background: '#ffffff' } }).png().toBuffer();
    expect((await refusal(new Uint8Array(white))).error.code).toBe('SIGNATURE_BLANK');
  });

  it('refuses a PNG bomb from its header, in well under a second', async () => {
    const { error, ms } = await refusal(pngBomb(100_000, 100_000));
    expect(error.code).toBe('SIGNATURE_IMAGE_TOO_MANY_PIXELS');
    expect(error.kind).toBe('too_large');
    expect(ms).toBeLessThan(500);
    // Within each side limit but over the pixel budget.
    expect((await refusal(pngBomb(4000, 4000))).error.code).toBe('SIGNATURE_IMAGE_TOO_MANY_PIXELS');
  });

  it('refuses a truncated PNG, a JPEG sent as PNG, and anything over 512 KB', async () => {
    const good = await drawnSignature();
    const truncated = await refusal(good.slice(0, Math.floor(good.length / 2)));
    expect(truncated.error.code).toBe('SIGNATURE_IMAGE_CORRUPT');
    expect(truncated.ms).toBeLessThan(500);
    const jpeg = await sharp(good).flatten({ background: '#fff' }).jpeg().toBuffer();
    const asJpeg = await refusal(new Uint8Array(jpeg));
    expect([asJpeg.error.code, asJpeg.error.kind]).toEqual(['SIGNATURE_NOT_PNG', 'unsupported_media']);
    expect((await refusal(new Uint8Array(SIGNATURE_PNG_MAX_BYTES + 1))).error.code).toBe('SIGNATURE_IMAGE_TOO_LARGE');
  });

  it('reads a PNG data URL and refuses other data URLs', async () => {
    const good = await drawnSignature();
    const url = `data:image/png;base64,${Buffer.from(good).toString('base64')}`;
    expect(pngFromDataUrl(url)).toEqual(good);
    expect(() => pngFromDataUrl('data:image/jpeg;base64,AAAA')).toThrow(expect.objectContaining({ code: 'SIGNATURE_NOT_PNG' }));
    expect(() => pngFromDataUrl('hello')).toThrow(expect.objectContaining({ code: 'SIGNATURE_DATA_URL_INVALID' }));
    expect(() => pngFromDataUrl(`data:image/png;base64,${'A'.repeat(800 * 1024)}`)).toThrow(expect.objectContaining({ code: 'SIGNATURE_IMAGE_TOO_LARGE' }));
  });
});
