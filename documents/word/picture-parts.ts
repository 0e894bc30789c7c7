import { constants, gunzipSync } from 'node:zlib';
import { detectGraphicFormat, type GraphicFormat } from './graphic-format';

/**
 * The picture formats a template may carry: a part whose name's extension and bytes agree on one of them.
 * LibreOffice picks an image's import filter from its bytes alone (graphic-format.ts), and has filters for
 * many formats no Word template needs (TIFF, PICT, TGA, PCX, XPM, XBM, PSD, RAS, PCD, DXF, MET, EPS…), each a
 * parser of hostile bytes. Word stores pictures as these six (a compressed metafile as `.emz`/`.wmz`). A part
 * is one of them when LibreOffice's own detection, which tries the formats in a fixed order, names exactly
 * the format of its extension: a `.bmp` LibreOffice would read as MET, or a `.wmf` it reads as XBM, is not.
 */
export type PictureFormat = 'png' | 'jpeg' | 'gif' | 'bmp' | 'emf' | 'wmf';

export const PICTURE_FORMAT_NAMES = 'PNG, JPEG, GIF, BMP, EMF or WMF';

/** The name LibreOffice's detection gives each format. */
const DETECTED_AS: Record<PictureFormat, GraphicFormat> = { png: 'PNG', jpeg: 'JPG', gif: 'GIF', bmp: 'BMP', emf: 'EMF', wmf: 'WMF' };

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
  if (data[0] !== 0x1f || data[1] !== 0x8b) return null;
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
  return bytes && detectGraphicFormat(bytes) === DETECTED_AS[expected.format] ? expected.format : null;
}
