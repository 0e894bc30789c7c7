import type { GraphicFormat } from './graphic-format';

/**
 * The bitmaps a picture declares, read from its headers without decoding it, as LibreOffice 7.4 reads them.
 * LibreOffice allocates the bitmap a picture declares (its own limit is about 1 GB per bitmap): a 2 KB PNG of
 * 30,000 × 30,000 pixels took 1 GB and 25 s, four of them in one template 4.6 GB; an EMF whose STRETCHDIBITS
 * carries a 25,000² RLE8 bitmap in 28 KB, 790 MB.
 *  - PNG: IHDR. JPEG: every frame header (SOFn, DHP). GIF: the logical screen and every image. BMP: the DIB header.
 *  - EMF: the DIB of every bitmap record, its header assembled as LibreOffice's EMF reader assembles it (the
 *    `cbBmi` bytes at the record's `offBmi`, then the bytes at `offBits`, wherever in the file they are).
 *  - WMF: the DIB or Bitmap16 of every bitmap record, and the EMF a WMF carries in "WMFC" comments (LibreOffice
 *    draws that EMF instead).
 *  - A DIB with LibreOffice's own ZCOMPRESS (inflated to any declared size, whatever its width and height) is
 *    reported as unbounded.
 * Each bitmap is handed to `visit` as it is found (which may throw to stop at a budget); the walks are linear.
 */
/** Pixels of one picture (or frame) at most: 50 million (an A4 page scanned at 600 dpi is 35 million). */
export const MAX_PICTURE_PIXELS = 50_000_000;
/** Pixels of all the pictures of a template together, at most. */
export const MAX_TEMPLATE_PICTURE_PIXELS = 200_000_000;

export interface PixelSize {
  width: number;
  height: number;
  /** A DIB compressed with ZCOMPRESS: LibreOffice inflates it to the size it declares, unbounded. */
  unbounded?: true;
}
export type VisitSize = (size: PixelSize) => void;

const u16be = (d: Uint8Array, at: number) => ((d[at] ?? 0) << 8) | (d[at + 1] ?? 0);
const u16le = (d: Uint8Array, at: number) => (d[at] ?? 0) | ((d[at + 1] ?? 0) << 8);
const u32be = (d: Uint8Array, at: number) => (((d[at] ?? 0) << 24) | ((d[at + 1] ?? 0) << 16) | ((d[at + 2] ?? 0) << 8) | (d[at + 3] ?? 0)) >>> 0;
const i32le = (d: Uint8Array, at: number) => (d[at] ?? 0) | ((d[at + 1] ?? 0) << 8) | ((d[at + 2] ?? 0) << 16) | ((d[at + 3] ?? 0) << 24);
const u32le = (d: Uint8Array, at: number) => i32le(d, at) >>> 0;

function png(d: Uint8Array, visit: VisitSize): void {
  if (d.length >= 24) visit({ width: u32be(d, 16), height: u32be(d, 20) });
}

/** Frame headers: SOF0–SOF15 but DHT (C4), JPG (C8) and DAC (CC); DHP (DE) declares a hierarchical frame's size. */
const isFrameHeader = (marker: number) => (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) || marker === 0xde;

function jpeg(d: Uint8Array, visit: VisitSize): void {
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
    if (isFrameHeader(marker) && i + 8 < d.length) visit({ height: u16be(d, i + 5) || 0xffff, width: u16be(d, i + 7) });
    i += 2 + Math.max(length, 2);
  }
}

function gif(d: Uint8Array, visit: VisitSize): void {
  if (d.length < 13) return;
  visit({ width: u16le(d, 6), height: u16le(d, 8) });
  const colorTable = (flags: number) => (flags & 0x80 ? 3 << ((flags & 0x07) + 1) : 0);
  const afterSubBlocks = (at: number) => {
    while (at < d.length && d[at] !== 0) at += d[at]! + 1;
    return at + 1;
  };
  let i = 13 + colorTable(d[10]!);
  while (i < d.length) {
    const block = d[i];
    if (block === 0x2c) {
      if (i + 10 > d.length) break;
      visit({ width: u16le(d, i + 5), height: u16le(d, i + 7) });
      i = afterSubBlocks(i + 10 + colorTable(d[i + 9]!) + 1); // LZW minimum code size, then the data
    } else if (block === 0x21) {
      i = afterSubBlocks(i + 2);
    } else {
      break; // trailer (0x3B) or not GIF
    }
  }
}

/** LibreOffice's own DIB compression (vcl dibtools: "ZCOMPRESS"). */
const ZCOMPRESS = 0x01004453;

/** The DIB header in `h` at `at` as LibreOffice reads it: a 32-bit size; 12 is the core header (16-bit sizes). */
function dib(h: Uint8Array, at: number, visit: VisitSize): void {
  const size = u32le(h, at);
  if (size === 12) return visit({ width: u16le(h, at + 4), height: u16le(h, at + 6) });
  if (size <= 8) return;
  const width = Math.abs(i32le(h, at + 4));
  const height = Math.abs(i32le(h, at + 8));
  visit(size > 16 && u32le(h, at + 16) === ZCOMPRESS ? { width, height, unbounded: true } : { width, height });
}

function bmp(d: Uint8Array, visit: VisitSize): void {
  const o = d[0] === 0x42 && d[1] === 0x41 ? 14 : 0; // an OS/2 bitmap array: its first bitmap
  if (d.length >= o + 26) dib(d, o + 14, visit);
}

/**
 * EMF records that carry a bitmap, and where their offBmi field is (MS-EMF 2.3.1, 2.3.7): BITBLT, STRETCHBLT,
 * MASKBLT, ALPHABLEND, TRANSPARENTBLT at 84; PLGBLT at 96; SETDIBITSTODEVICE, STRETCHDIBITS at 48;
 * CREATEMONOBRUSH, CREATEDIBPATTERNBRUSHPT at 16. cbBmi and offBits follow it.
 */
const EMF_BITMAP_OFFSET: Record<number, number> = { 76: 84, 77: 84, 78: 84, 114: 84, 116: 84, 79: 96, 80: 48, 81: 48, 93: 16, 94: 16 };
/** Bytes of a DIB header looked at (up to and with its compression field). */
const DIB_HEAD = 20;

/**
 * The first bytes of a record's DIB as LibreOffice's EMF reader puts them together: `cbBmi` bytes from the record
 * start + `offBmi`, then bytes from the record start + `offBits` (offsets wrap at 2³²), zero past the file's end.
 */
function emfDibHead(d: Uint8Array, record: number, offBmi: number, cbBmi: number, offBits: number): Uint8Array {
  const head = new Uint8Array(DIB_HEAD);
  const bmi = (record + offBmi) >>> 0;
  const bits = (record + offBits) >>> 0;
  for (let i = 0; i < DIB_HEAD; i++) head[i] = (i < cbBmi ? d[bmi + i] : d[bits + i - cbBmi]) ?? 0;
  return head;
}

function emf(d: Uint8Array, visit: VisitSize): void {
  let at = 0;
  while (at + 8 <= d.length) {
    const type = u32le(d, at);
    const size = u32le(d, at + 4);
    // The header may be shorter than a record (LibreOffice goes on at its size); every other record is ≥ 8 bytes.
    if (size === 0 || (at > 0 && size < 8) || at + size > d.length) break;
    const field = EMF_BITMAP_OFFSET[type];
    if (field !== undefined && at + field + 12 <= d.length) {
      // Read where LibreOffice reads them, inside the record or not.
      const [offBmi, cbBmi, offBits] = [u32le(d, at + field), u32le(d, at + field + 4), u32le(d, at + field + 8)];
      dib(emfDibHead(d, at, offBmi, cbBmi, offBits), 0, visit);
    }
    if (type === 14) break; // EMR_EOF
    at += size;
  }
}

/**
 * WMF records that carry a bitmap, and where it starts in the record (MS-WMF 2.3.1, 2.3.4): a DIB for DIBBITBLT,
 * DIBSTRETCHBLT, STRETCHDIB, SETDIBTODEV, DIBCREATEPATTERNBRUSH; a Bitmap16 (width, height at +2, +4) for the old
 * BITBLT and STRETCHBLT. A record of `(function >> 8) + 3` words is one without a source bitmap.
 */
const WMF_DIB_AT: Record<number, number> = { 0x0940: 22, 0x0b41: 26, 0x0f43: 28, 0x0d33: 24, 0x0142: 10 };
const WMF_BITMAP16_AT: Record<number, number> = { 0x0922: 22, 0x0b23: 26 };
const META_ESCAPE = 0x0626;
const MFCOMMENT = 0x000f;
const WMFC = 0x43464d57;

function wmf(d: Uint8Array, visit: VisitSize): void {
  let at = u32be(d, 0) === 0xd7cdc69a ? 22 : 0;
  // The two header forms LibreOffice accepts: 01 00 09 00 (18 bytes) or 00 00 01 00 09 00 (20 bytes).
  if (u32be(d, at) === 0x01000900) at += 18;
  else if (u16le(d, at) === 0 && u32be(d, at + 2) === 0x01000900) at += 20;
  else return;
  const embeddedEmf: Uint8Array[] = [];
  while (at + 6 <= d.length) {
    const words = u32le(d, at);
    const fn = u16le(d, at + 4);
    if (words === 3 && fn === 0) break; // META_EOF
    const size = words * 2;
    if (size < 6 || at + size > d.length) break;
    const withSource = words !== (fn >> 8) + 3;
    // A pattern brush of style BS_PATTERN (3) holds a Bitmap16, any other style a DIB.
    const patternBitmap16 = fn === 0x0142 && u16le(d, at + 6) === 3;
    const dibAt = patternBitmap16 ? undefined : WMF_DIB_AT[fn];
    // Read where LibreOffice reads it: from the stream at that offset, whether or not the record holds it.
    if (dibAt !== undefined && withSource && at + dibAt + DIB_HEAD <= d.length) dib(d, at + dibAt, visit);
    const bitmap16 = patternBitmap16 ? 10 : WMF_BITMAP16_AT[fn];
    if (bitmap16 !== undefined && withSource && at + bitmap16 + 6 <= d.length) visit({ width: u16le(d, at + bitmap16 + 2), height: u16le(d, at + bitmap16 + 4) });
    if (fn === META_ESCAPE && u16le(d, at + 6) === MFCOMMENT && u32le(d, at + 10) === WMFC) {
      const chunk = u32le(d, at + 32);
      embeddedEmf.push(d.subarray(at + 44, Math.min(at + 44 + chunk, at + size)));
    }
    at += size;
  }
  if (embeddedEmf.length) emf(new Uint8Array(Buffer.concat(embeddedEmf)), visit);
}

const READERS: Partial<Record<GraphicFormat, (d: Uint8Array, visit: VisitSize) => void>> = { PNG: png, JPG: jpeg, GIF: gif, BMP: bmp, EMF: emf, WMF: wmf };

/** Hands `visit` every bitmap a picture of `format` declares (several for a GIF, a JPEG with several frames, a metafile). */
export const visitDeclaredSizes = (format: GraphicFormat, data: Uint8Array, visit: VisitSize): void => READERS[format]?.(data, visit);

/** The bitmaps a picture declares, in a list (for tests and small pictures). */
export function declaredSizes(format: GraphicFormat, data: Uint8Array): PixelSize[] {
  const sizes: PixelSize[] = [];
  visitDeclaredSizes(format, data, (size) => sizes.push(size));
  return sizes;
}
