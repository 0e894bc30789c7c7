import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { prepareUploadedSealImage, SEAL_UPLOAD_LIMITS } from './seal-upload';

/** A red seal ring with a star-ish dot, on white paper, as a scanner would produce it. */
async function scannedSeal(format: 'png' | 'jpeg', size = 600, inkDiameter = 400) {
  const svg = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}"><rect width="100%" height="100%" fill="#fdfdfb"/>` +
      `<circle cx="${size / 2}" cy="${size / 2}" r="${inkDiameter / 2 - 10}" fill="none" stroke="#c8161d" stroke-width="20"/>` +
      `<circle cx="${size / 2}" cy="${size / 2}" r="${inkDiameter / 8}" fill="#c8161d"/></svg>`,
  );
  const img = sharp(svg);
  return new Uint8Array(format === 'png' ? await img.png().toBuffer() : await img.jpeg({ quality: 85 }).toBuffer());
}

async function pixels(png: Uint8Array) {
  const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const at = (x: number, y: number) => data.subarray((y * info.width + x) * 4, (y * info.width + x) * 4 + 4);
  return { info, at };
}

/** A PNG whose header claims `width`×`height` with a tiny (truncated) IDAT: what a decompression bomb looks like up front. */
function pngHeaderOnly(width: number, height: number): Uint8Array {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 6; // RGBA
  return new Uint8Array(Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.alloc(4096))), chunk('IEND', Buffer.alloc(0))]));
}

describe('prepareUploadedSealImage', () => {
  it.each(['png', 'jpeg'] as const)('%s scan: white paper becomes transparent, the image is trimmed to the ink, output is PNG with its size in mm', async (format) => {
    const out = await prepareUploadedSealImage(await scannedSeal(format), 40);
    expect(Buffer.from(out.png.subarray(0, 4)).toString('latin1')).toBe('\x89PNG');
    // Trimmed: the 400 px ink (ring 380 + half stroke 10 ≈ 390 px) out of the 600 px scan.
    expect(out.widthPx).toBeGreaterThan(380);
    expect(out.widthPx).toBeLessThan(410);
    expect(Math.abs(out.widthPx - out.heightPx)).toBeLessThanOrEqual(2);
    expect(out.widthMm).toBe(40);
    expect(out.heightMm).toBeCloseTo((40 * out.heightPx) / out.widthPx, 1);
    const { info, at } = await pixels(out.png);
    expect(info.channels).toBe(4);
    for (const [x, y] of [[0, 0], [info.width - 1, 0], [0, info.height - 1], [info.width - 1, info.height - 1]] as const) expect(at(x, y)[3]).toBe(0);
    const centre = at(Math.floor(info.width / 2), Math.floor(info.height / 2));
    expect(centre[3]).toBeGreaterThan(220);
    expect(centre[0]).toBeGreaterThan(150);
    expect(centre[1]).toBeLessThan(60);
    // Inside the ring, between ring and dot: paper, now transparent.
    expect(at(Math.floor(info.width / 2), Math.floor(info.height * 0.25))[3]).toBe(0);
  });

  it('refuses empty, oversized and non-PNG/JPEG files (by magic bytes, not by name)', async () => {
    await expect(prepareUploadedSealImage(undefined, 40)).rejects.toMatchObject({ kind: 'validation', code: 'SEAL_IMAGE_EMPTY' });
    await expect(prepareUploadedSealImage(new Uint8Array(), 40)).rejects.toMatchObject({ code: 'SEAL_IMAGE_EMPTY' });
    const big = new Uint8Array(SEAL_UPLOAD_LIMITS.maxBytes + 1);
    big.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    await expect(prepareUploadedSealImage(big, 40)).rejects.toMatchObject({ kind: 'too_large', code: 'SEAL_IMAGE_TOO_LARGE', messageEn: expect.stringContaining('2 MB') });
    const gif = new Uint8Array(await sharp(await scannedSeal('png')).gif().toBuffer());
    await expect(prepareUploadedSealImage(gif, 40)).rejects.toMatchObject({ kind: 'unsupported_media', code: 'SEAL_IMAGE_TYPE' });
    const svg = new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><circle r="40" fill="red"/></svg>');
    await expect(prepareUploadedSealImage(svg, 40)).rejects.toMatchObject({ kind: 'unsupported_media' });
    await expect(prepareUploadedSealImage(new TextEncoder().encode('%PDF-1.7\n...'), 40)).rejects.toMatchObject({ kind: 'unsupported_media' });
  });

  it('refuses a decompression bomb from its header, before decoding', async () => {
    const started = performance.now();
    await expect(prepareUploadedSealImage(pngHeaderOnly(50_000, 50_000), 40)).rejects.toMatchObject({ kind: 'too_large', code: 'SEAL_IMAGE_DIMENSIONS', message: expect.stringContaining('50000×50000') });
    await expect(prepareUploadedSealImage(pngHeaderOnly(4001, 64), 40)).rejects.toMatchObject({ code: 'SEAL_IMAGE_DIMENSIONS' });
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('refuses truncated and mislabelled files as damaged', async () => {
    for (const format of ['png', 'jpeg'] as const) {
      const whole = await scannedSeal(format);
      await expect(prepareUploadedSealImage(whole.subarray(0, Math.floor(whole.length / 2)), 40)).rejects.toMatchObject({ kind: 'validation', code: 'SEAL_IMAGE_CORRUPT' });
    }
    // JPEG magic followed by PNG data: sharp sees a PNG, the magic says JPEG.
    const png = await scannedSeal('png');
    const mislabelled = new Uint8Array([0xff, 0xd8, 0xff, ...png.subarray(3)]);
    await expect(prepareUploadedSealImage(mislabelled, 40)).rejects.toMatchObject({ code: 'SEAL_IMAGE_CORRUPT' });
    await expect(prepareUploadedSealImage(pngHeaderOnly(200, 200), 40)).rejects.toMatchObject({ code: 'SEAL_IMAGE_CORRUPT' });
  });

  it('refuses images that are too small, blank, or whose ink is a speck', async () => {
    const tiny = new Uint8Array(await sharp({ create: { width: 40, height: 40, channels: 3, background: '#c8161d' } }).png().toBuffer());
    await expect(prepareUploadedSealImage(tiny, 40)).rejects.toMatchObject({ kind: 'rejected', code: 'SEAL_IMAGE_TOO_SMALL' });
    const blank = new Uint8Array(await sharp({ create: { width: 800, height: 800, channels: 3, background: '#f8f8f6' } }).jpeg().toBuffer());
    await expect(prepareUploadedSealImage(blank, 40)).rejects.toMatchObject({ kind: 'rejected', code: 'SEAL_IMAGE_BLANK' });
    const transparent = new Uint8Array(await sharp({ create: { width: 300, height: 300, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } }).png().toBuffer());
    await expect(prepareUploadedSealImage(transparent, 40)).rejects.toMatchObject({ code: 'SEAL_IMAGE_BLANK' });
    await expect(prepareUploadedSealImage(await scannedSeal('png', 600, 40), 40)).rejects.toMatchObject({ code: 'SEAL_IMAGE_TOO_SMALL' });
  });
});
