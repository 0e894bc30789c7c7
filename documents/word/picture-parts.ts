import { constants, gunzipSync } from 'node:zlib';

/**
 * The picture formats a template may carry, found by the part's bytes AND its name agreeing. LibreOffice picks
 * an image's import filter from the bytes (testing first the format the name's extension suggests), and has
 * filters for many formats no Word template needs (TIFF, PICT, TGA, PCX, XPM, PSD, RAS, PCD, DXF, MET…), each
 * a parser of hostile bytes. Word stores pictures as these six (a compressed metafile as `.emz`/`.wmz`).
 *
 * Each test is at least as strict as LibreOffice's own detection of that format, and none of these starts like
 * another format LibreOffice tests before it, so a part passing here reaches only the filter named by its format.
 */
export type PictureFormat = 'png' | 'jpeg' | 'gif' | 'bmp' | 'emf' | 'wmf';

export const PICTURE_FORMAT_NAMES = 'PNG, JPEG, GIF, BMP, EMF or WMF';

const startsWith = (data: Uint8Array, bytes: readonly number[], at = 0) => data.length >= at + bytes.length && bytes.every((b, i) => data[at + i] === b);
const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));
const u16 = (data: Uint8Array, at: number) => data[at]! | (data[at + 1]! << 8);
const u32 = (data: Uint8Array, at: number) => (u16(data, at) | (u16(data, at + 2) << 16)) >>> 0;

/** BITMAPCOREHEADER, BITMAPINFOHEADER and its later versions (V2, V3, OS/2 2.x, V4, V5). */
const DIB_HEADER_SIZES = new Set([12, 40, 52, 56, 64, 108, 124]);

const IS_FORMAT: Record<PictureFormat, (data: Uint8Array) => boolean> = {
  png: (d) => startsWith(d, [0x89, ...ascii('PNG\r\n\x1a\n')]),
  jpeg: (d) => startsWith(d, [0xff, 0xd8, 0xff]),
  gif: (d) => startsWith(d, ascii('GIF87a')) || startsWith(d, ascii('GIF89a')),
  bmp: (d) => startsWith(d, ascii('BM')) && d.length >= 18 && DIB_HEADER_SIZES.has(u32(d, 14)),
  // An EMR_HEADER record (type 1) with the " EMF" signature at offset 40.
  emf: (d) => d.length >= 44 && u32(d, 0) === 1 && startsWith(d, ascii(' EMF'), 40),
  // The placeable header, or a standard one: type 1 (memory) or 2 (disk), 9 words long, version 1.0 or 3.0.
  wmf: (d) => startsWith(d, [0xd7, 0xcd, 0xc6, 0x9a]) || (d.length >= 6 && (u16(d, 0) === 1 || u16(d, 0) === 2) && u16(d, 2) === 9 && (u16(d, 4) === 0x100 || u16(d, 4) === 0x300)),
};

/** Extensions per format; a compressed metafile (gzip) is named `.emz`/`.wmz` and holds the metafile itself. */
const EXTENSIONS: Record<string, { format: PictureFormat; gzip?: true }> = {
  png: { format: 'png' },
  jpg: { format: 'jpeg' },
  jpeg: { format: 'jpeg' },
  jpe: { format: 'jpeg' },
  jfif: { format: 'jpeg' },
  gif: { format: 'gif' },
  bmp: { format: 'bmp' },
  dib: { format: 'bmp' },
  emf: { format: 'emf' },
  wmf: { format: 'wmf' },
  emz: { format: 'emf', gzip: true },
  wmz: { format: 'wmf', gzip: true },
};

/** Compressed bytes read to see the start of a compressed metafile: enough for any gzip header, at most ~4 MB out. */
const GZIP_PEEK_BYTES = 4096;
const GZIP_PEEK_OUT_BYTES = 1032 * GZIP_PEEK_BYTES + 1024;

/** The start of a gzip member (as far as the first bytes of input give it), null if it is not one. */
function gunzipStart(data: Uint8Array): Uint8Array | null {
  if (!startsWith(data, [0x1f, 0x8b])) return null;
  try {
    return gunzipSync(data.subarray(0, GZIP_PEEK_BYTES), { finishFlush: constants.Z_SYNC_FLUSH /* a cut-off input is fine */, maxOutputLength: GZIP_PEEK_OUT_BYTES });
  } catch {
    return null;
  }
}

/** The picture format of a part whose name and bytes agree on one, else null. */
export function pictureFormat(name: string, data: Uint8Array): PictureFormat | null {
  const extension = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase();
  const expected = extension === undefined ? undefined : EXTENSIONS[extension];
  if (!expected) return null;
  const bytes = expected.gzip ? gunzipStart(data) : data;
  return bytes && IS_FORMAT[expected.format](bytes) ? expected.format : null;
}
