import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import UPNGModule from '@pdf-lib/upng';
import { DocumentError } from '../errors';

/**
 * A seal PNG as the streams of a PDF image XObject, prepared once per distinct PNG (bounded cache
 * keyed by its SHA-256) instead of decoded and re-compressed on every signature.
 *
 * Smaller than pdf-lib's embedding (full RGB + alpha) and visually the same (every composited
 * pixel within 1/255): the colours go into an /Indexed palette when the image has at most 256 of
 * them, with 1/2/4/8-bit indexes. Fully transparent pixels take the most common colour (they are
 * invisible under the soft mask), and so do anti-aliased edge pixels that differ from it only by
 * the rounding of un-premultiplied PNG samples — a rendered one-colour seal becomes a uniform
 * 1-bit plane that compresses to a few bytes. The alpha channel is a DeviceGray /SMask, kept
 * exactly. Both streams Flate level 9.
 */

export interface ImageStream {
  width: number;
  height: number;
  bitsPerComponent: number;
  colorSpace: { kind: 'DeviceRGB' } | { kind: 'DeviceGray' } | { kind: 'Indexed'; hival: number; palette: Uint8Array };
  /** /FlateDecode-compressed samples. */
  data: Uint8Array;
}

export interface PreparedImage {
  width: number;
  height: number;
  image: ImageStream;
  /** Alpha channel, absent when every pixel is opaque. */
  smask: ImageStream | null;
}

/** Pixels per image, at most (the seal upload allows 4000×4000). */
export const MAX_IMAGE_PIXELS = 4000 * 4000;
const CACHE_ENTRIES = 64;
const CACHE_BYTES = 32 * 1024 * 1024;

interface UpngImage {
  width: number;
  height: number;
}
const UPNG = ((UPNGModule as unknown as { default?: unknown }).default ?? UPNGModule) as {
  decode(bytes: ArrayBuffer | Uint8Array): UpngImage;
  toRGBA8(img: UpngImage): ArrayBuffer[];
};

const cache = new Map<string, PreparedImage>();
let cachedBytes = 0;
const sizeOf = (p: PreparedImage) => p.image.data.length + (p.smask?.data.length ?? 0);

function invalid(why: string, cause?: unknown): DocumentError {
  return new DocumentError('INVALID_IMAGE', `appearance.png cannot be decoded: ${why}`, cause === undefined ? undefined : { cause });
}

/**
 * Chunk layout: signature, then length/type/data/CRC chunks that fit in the file, IHDR first, IEND
 * last. UPNG loops forever on a truncated file (pdf-lib's embedPng with it), so this runs first.
 */
function checkChunks(png: Uint8Array, view: DataView): void {
  let at = 8;
  let first = true;
  for (;;) {
    if (at + 12 > png.length) throw invalid('the PNG is truncated');
    const length = view.getUint32(at);
    const type = String.fromCharCode(png[at + 4]!, png[at + 5]!, png[at + 6]!, png[at + 7]!);
    if (length > png.length - at - 12) throw invalid(`chunk ${JSON.stringify(type)} runs past the end of the file`);
    if (first && (type !== 'IHDR' || length !== 13)) throw invalid('the PNG does not start with IHDR');
    first = false;
    at += 12 + length;
    if (type === 'IEND') return;
  }
}

function decodeRgba(png: Uint8Array): { width: number; height: number; rgba: Uint8Array } {
  if (png.length < 8 + 25 + 12) throw invalid('the PNG is truncated');
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  checkChunks(png, view);
  // IHDR: width and height at bytes 16..23, checked before any pixel is decoded.
  const [w, h] = [view.getUint32(16), view.getUint32(20)];
  if (w === 0 || h === 0 || w * h > MAX_IMAGE_PIXELS) throw invalid(`${w}×${h} pixels (at most ${MAX_IMAGE_PIXELS})`);
  try {
    const img = UPNG.decode(png);
    const frames = UPNG.toRGBA8(img);
    if (frames.length !== 1) throw new Error('animated PNGs are not supported');
    return { width: img.width, height: img.height, rgba: new Uint8Array(frames[0]!) };
  } catch (err) {
    throw invalid((err as Error).message, err);
  }
}

/** Packs `indexes` (one byte each, values < 2^bits) into rows of `bits`-bit samples. */
function packRows(indexes: Uint8Array, width: number, height: number, bits: number): Uint8Array {
  if (bits === 8) return indexes;
  const rowBytes = Math.ceil((width * bits) / 8);
  const out = new Uint8Array(rowBytes * height);
  const perByte = 8 / bits;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const shift = 8 - bits * ((x % perByte) + 1);
      out[y * rowBytes + Math.floor(x / perByte)]! |= indexes[y * width + x]! << shift;
    }
  }
  return out;
}

const deflate = (data: Uint8Array) => new Uint8Array(deflateSync(data, { level: 9 }));

function prepare(png: Uint8Array): PreparedImage {
  const { width, height, rgba } = decodeRgba(png);
  const n = width * height;
  const alpha = new Uint8Array(n);
  let translucent = false;
  // Most common visible colour: transparent pixels take it.
  const counts = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const a = rgba[i * 4 + 3]!;
    alpha[i] = a;
    if (a < 255) translucent = true;
    if (a > 0) {
      const c = (rgba[i * 4]! << 16) | (rgba[i * 4 + 1]! << 8) | rgba[i * 4 + 2]!;
      counts.set(c, (counts.get(c) ?? 0) + 1);
    }
  }
  let fill = 0;
  let best = -1;
  for (const [c, k] of counts) if (k > best) [fill, best] = [c, k];
  const [fr, fg, fb] = [fill >> 16, (fill >> 8) & 0xff, fill & 0xff];
  const colourAt = (i: number) => {
    const a = alpha[i]!;
    if (a === 0) return fill;
    const [r, g, b] = [rgba[i * 4]!, rgba[i * 4 + 1]!, rgba[i * 4 + 2]!];
    // An anti-aliased edge pixel whose colour differs from the main colour by no more than one
    // level once weighted by its alpha (|Δ|·a ≤ 255: the rounding of un-premultiplied PNG
    // samples) takes the main colour: the composited result stays within 1/255.
    if (a < 255 && Math.max(Math.abs(r - fr), Math.abs(g - fg), Math.abs(b - fb)) * a <= 255) return fill;
    return (r << 16) | (g << 8) | b;
  };

  let image: ImageStream;
  const palette = new Map<number, number>([[fill, 0]]);
  const colours = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const c = (colours[i] = colourAt(i));
    if (!palette.has(c) && palette.size <= 256) palette.set(c, palette.size);
  }
  if (palette.size <= 256) {
    const indexes = new Uint8Array(n);
    for (let i = 0; i < n; i++) indexes[i] = palette.get(colours[i]!)!;
    const bits = palette.size <= 2 ? 1 : palette.size <= 4 ? 2 : palette.size <= 16 ? 4 : 8;
    const table = new Uint8Array(palette.size * 3);
    for (const [c, i] of palette) table.set([c >> 16, (c >> 8) & 0xff, c & 0xff], i * 3);
    image = { width, height, bitsPerComponent: bits, colorSpace: { kind: 'Indexed', hival: palette.size - 1, palette: table }, data: deflate(packRows(indexes, width, height, bits)) };
  } else {
    const rgb = new Uint8Array(n * 3);
    for (let i = 0; i < n; i++) {
      const c = colours[i]!;
      rgb[i * 3] = c >> 16;
      rgb[i * 3 + 1] = (c >> 8) & 0xff;
      rgb[i * 3 + 2] = c & 0xff;
    }
    image = { width, height, bitsPerComponent: 8, colorSpace: { kind: 'DeviceRGB' }, data: deflate(rgb) };
  }
  const smask: ImageStream | null = translucent ? { width, height, bitsPerComponent: 8, colorSpace: { kind: 'DeviceGray' }, data: deflate(alpha) } : null;
  return { width, height, image, smask };
}

/** The prepared streams of `png` (decoded and compressed on first use, then from the cache). Throws INVALID_IMAGE. */
export function preparedImage(png: Uint8Array): PreparedImage {
  const key = createHash('sha256').update(png).digest('base64');
  let prepared = cache.get(key);
  if (prepared) {
    cache.delete(key);
    cache.set(key, prepared);
    return prepared;
  }
  prepared = prepare(png);
  cache.set(key, prepared);
  cachedBytes += sizeOf(prepared);
  while (cache.size > CACHE_ENTRIES || (cachedBytes > CACHE_BYTES && cache.size > 1)) {
    const [oldest, entry] = cache.entries().next().value!;
    cache.delete(oldest);
    cachedBytes -= sizeOf(entry);
  }
  return prepared;
}

/** Number of prepared images held (for tests). */
export const preparedImageCacheSize = () => cache.size;
