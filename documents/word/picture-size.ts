import type { GraphicFormat } from './graphic-format';

/**
 * The pixel sizes a raster picture declares, read from its headers without decoding it. LibreOffice allocates a
 * bitmap of the declared size (its own limit is about 1 GB per bitmap): a 2 KB PNG of 30,000 × 30,000 pixels took
 * 1 GB and 25 s, four of them in one template 4.6 GB. PNG: IHDR. JPEG: every frame header (SOFn, DHP). GIF: the
 * logical screen and every image. BMP: the info header. EMF and WMF: every bitmap their records carry (an EMF
 * STRETCHDIBITS of 25,000² in RLE8, 28 KB, took 790 MB). The walks are linear in the part's size.
 */
/** Pixels of one picture (or frame) at most: 50 million (an A4 page scanned at 600 dpi is 35 million). */
export const MAX_PICTURE_PIXELS = 50_000_000;
/** Pixels of all the pictures of a template together, at most. */
export const MAX_TEMPLATE_PICTURE_PIXELS = 200_000_000;

export interface PixelSize {
  width: number;
  height: number;
}

const u16be = (d: Uint8Array, at: number) => (d[at]! << 8) | d[at + 1]!;
const u16le = (d: Uint8Array, at: number) => d[at]! | (d[at + 1]! << 8);
const u32be = (d: Uint8Array, at: number) => ((d[at]! << 24) | (d[at + 1]! << 16) | (d[at + 2]! << 8) | d[at + 3]!) >>> 0;
const i32le = (d: Uint8Array, at: number) => d[at]! | (d[at + 1]! << 8) | (d[at + 2]! << 16) | (d[at + 3]! << 24);

function png(d: Uint8Array): PixelSize[] {
  return d.length >= 24 ? [{ width: u32be(d, 16), height: u32be(d, 20) }] : [];
}

/** Frame headers: SOF0–SOF15 but DHT (C4), JPG (C8) and DAC (CC); DHP (DE) declares a hierarchical frame's size. */
const isFrameHeader = (marker: number) => (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) || marker === 0xde;

function jpeg(d: Uint8Array): PixelSize[] {
  const sizes: PixelSize[] = [];
  let i = 2;
  while (i + 3 < d.length) {
    if (d[i] !== 0xff) {
      i++; // entropy-coded data (after a scan header): look for the next marker
      continue;
    }
    const marker = d[i + 1]!;
    if (marker === 0xff || marker === 0x00 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      i += marker === 0xff ? 1 : 2; // fill byte, stuffed zero, restart marker, TEM
      continue;
    }
    if (marker === 0xd9) break; // end of image
    const length = u16be(d, i + 2);
    // A height of 0 is given later by a DNL segment: counted as the largest it can be.
    if (isFrameHeader(marker) && i + 8 < d.length) sizes.push({ height: u16be(d, i + 5) || 0xffff, width: u16be(d, i + 7) });
    i += 2 + Math.max(length, 2);
  }
  return sizes;
}

function gif(d: Uint8Array): PixelSize[] {
  if (d.length < 13) return [];
  const sizes: PixelSize[] = [{ width: u16le(d, 6), height: u16le(d, 8) }];
  const skipColorTable = (flags: number) => (flags & 0x80 ? 3 << ((flags & 0x07) + 1) : 0);
  const skipSubBlocks = (at: number) => {
    while (at < d.length && d[at] !== 0) at += d[at]! + 1;
    return at + 1;
  };
  let i = 13 + skipColorTable(d[10]!);
  while (i < d.length) {
    const block = d[i];
    if (block === 0x2c) {
      if (i + 10 > d.length) break;
      sizes.push({ width: u16le(d, i + 5), height: u16le(d, i + 7) });
      i = skipSubBlocks(i + 10 + skipColorTable(d[i + 9]!) + 1); // LZW minimum code size, then the data
    } else if (block === 0x21) {
      i = skipSubBlocks(i + 2);
    } else {
      break; // trailer (0x3B) or not GIF
    }
  }
  return sizes;
}

function bmp(d: Uint8Array): PixelSize[] {
  const o = d[0] === 0x42 && d[1] === 0x41 ? 14 : 0; // an OS/2 bitmap array: its first bitmap
  if (d.length < o + 26) return [];
  if (u16le(d, o + 14) === 12) return [{ width: u16le(d, o + 18), height: u16le(d, o + 20) }];
  return [{ width: Math.abs(i32le(d, o + 18)), height: Math.abs(i32le(d, o + 22)) }];
}


/** A DIB header at `at` (BITMAPCOREHEADER or BITMAPINFOHEADER and later), or nothing when it is not one. */
function dibAt(d: Uint8Array, at: number): PixelSize[] {
  if (at < 0 || at + 12 > d.length) return [];
  const size = d[at]! | (d[at + 1]! << 8) | (d[at + 2]! << 16) | (d[at + 3]! << 24);
  if (size === 12) return [{ width: u16le(d, at + 4), height: u16le(d, at + 6) }];
  if (size < 16 || at + 12 > d.length) return [];
  return [{ width: Math.abs(i32le(d, at + 4)), height: Math.abs(i32le(d, at + 8)) }];
}

/**
 * EMF records that carry a bitmap, and where their offset to its BITMAPINFO is (MS-EMF 2.3.1, 2.3.7): BITBLT,
 * STRETCHBLT, MASKBLT, ALPHABLEND, TRANSPARENTBLT at 84; PLGBLT at 96; SETDIBITSTODEVICE, STRETCHDIBITS at 48;
 * CREATEMONOBRUSH, CREATEDIBPATTERNBRUSHPT at 16.
 */
const EMF_BITMAP_OFFSET: Record<number, number> = { 76: 84, 77: 84, 78: 84, 114: 84, 116: 84, 79: 96, 80: 48, 81: 48, 93: 16, 94: 16 };

/** Every bitmap an EMF's records carry. */
function emf(d: Uint8Array): PixelSize[] {
  const sizes: PixelSize[] = [];
  let at = 0;
  while (at + 8 <= d.length) {
    const type = (d[at]! | (d[at + 1]! << 8) | (d[at + 2]! << 16) | (d[at + 3]! << 24)) >>> 0;
    const size = (d[at + 4]! | (d[at + 5]! << 8) | (d[at + 6]! << 16) | (d[at + 7]! << 24)) >>> 0;
    if (size < 8 || at + size > d.length) break;
    const field = EMF_BITMAP_OFFSET[type];
    if (field !== undefined && field + 4 <= size) {
      const offset = (d[at + field]! | (d[at + field + 1]! << 8) | (d[at + field + 2]! << 16) | (d[at + field + 3]! << 24)) >>> 0;
      if (offset > 0 && offset < size) sizes.push(...dibAt(d, at + offset));
    }
    if (type === 14) break; // EMR_EOF
    at += size;
  }
  return sizes;
}

/**
 * WMF records that carry a bitmap, and where it starts in the record (MS-WMF 2.3.1, 2.3.4): a DIB for DIBBITBLT,
 * DIBSTRETCHBLT, STRETCHDIB, SETDIBTODEV, DIBCREATEPATTERNBRUSH; a Bitmap16 (width, height at +2, +4) for the old
 * BITBLT and STRETCHBLT.
 */
const WMF_DIB_AT: Record<number, number> = { 0x0940: 22, 0x0b41: 26, 0x0f43: 28, 0x0d33: 24, 0x0142: 10 };
const WMF_BITMAP16_AT: Record<number, number> = { 0x0922: 22, 0x0b23: 26 };

/** Every bitmap a WMF's records carry (after its placeable header, if any). */
function wmf(d: Uint8Array): PixelSize[] {
  const sizes: PixelSize[] = [];
  let at = u32be(d, 0) === 0xd7cdc69a ? 22 : 0;
  if (at + 18 > d.length) return sizes;
  at += u16le(d, at + 2) * 2; // the header's size, in words (9)
  while (at + 6 <= d.length) {
    const words = (d[at]! | (d[at + 1]! << 8) | (d[at + 2]! << 16) | (d[at + 3]! << 24)) >>> 0;
    const fn = u16le(d, at + 4);
    const size = words * 2;
    if (size < 6 || at + size > d.length || fn === 0) break;
    // A pattern brush of style BS_PATTERN (3) holds a Bitmap16, any other style a DIB.
    const patternBitmap16 = fn === 0x0142 && u16le(d, at + 6) === 3;
    const dib = patternBitmap16 ? undefined : WMF_DIB_AT[fn];
    if (dib !== undefined && dib + 12 <= size) sizes.push(...dibAt(d, at + dib));
    if (patternBitmap16 && 16 <= size) sizes.push({ width: u16le(d, at + 12), height: u16le(d, at + 14) });
    const bitmap16 = WMF_BITMAP16_AT[fn];
    if (bitmap16 !== undefined && bitmap16 + 6 <= size) sizes.push({ width: u16le(d, at + bitmap16 + 2), height: u16le(d, at + bitmap16 + 4) });
    at += size;
  }
  return sizes;
}

const READERS: Partial<Record<GraphicFormat, (d: Uint8Array) => PixelSize[]>> = { PNG: png, JPG: jpeg, GIF: gif, BMP: bmp, EMF: emf, WMF: wmf };

/** The sizes a picture of `format` declares: several for a GIF, a JPEG with several frames, or a metafile's bitmaps. */
export const declaredSizes = (format: GraphicFormat, data: Uint8Array): PixelSize[] => READERS[format]?.(data) ?? [];
