import { detectGraphicFormat, type GraphicFormat } from './graphic-format';
import { gunzipWhole } from './gzip-part';

/**
 * The picture formats a template may carry: a part whose name's extension and bytes agree on one of them.
 * LibreOffice picks an image's import filter from its bytes alone (graphic-format.ts), and has filters for
 * many formats no Word template needs (TIFF, PICT, TGA, PCX, XPM, XBM, PSD, RAS, PCD, DXF, MET, EPS…), each a
 * parser of hostile bytes. Word stores pictures as these six (a compressed metafile as `.emz`/`.wmz`). A part
 * is one of them when LibreOffice's own detection, which tries the formats in a fixed order, names exactly
 * the format of its extension: a `.bmp` LibreOffice would read as MET, or a `.wmf` it reads as XBM, is not.
 */
export const PICTURE_FORMAT_NAMES = 'PNG, JPEG, GIF, BMP, EMF or WMF';

/** The formats LibreOffice's detection may give a part of each kind (an EMF saved as `.wmf` by LibreOffice is a metafile too). */
const METAFILE: GraphicFormat[] = ['EMF', 'WMF'];
const DETECTED_AS: Record<string, GraphicFormat[]> = { png: ['PNG'], jpeg: ['JPG'], gif: ['GIF'], bmp: ['BMP'], metafile: METAFILE };

/** Extensions per kind; a compressed metafile (gzip) is named `.emz`/`.wmz`. */
const EXTENSIONS: Record<string, { kind: keyof typeof DETECTED_AS; gzip?: true }> = {
  png: { kind: 'png' },
  jpg: { kind: 'jpeg' },
  jpeg: { kind: 'jpeg' },
  jpe: { kind: 'jpeg' },
  jfif: { kind: 'jpeg' },
  gif: { kind: 'gif' },
  bmp: { kind: 'bmp' },
  dib: { kind: 'bmp' },
  emf: { kind: 'metafile' },
  wmf: { kind: 'metafile' },
  emz: { kind: 'metafile', gzip: true },
  wmz: { kind: 'metafile', gzip: true },
};

export interface Picture {
  format: GraphicFormat;
  /** The bytes LibreOffice is given: a compressed metafile inflated here within a budget (LibreOffice would inflate it with none). */
  bytes: Uint8Array;
}

/** The picture a part is when its name and its bytes agree on an allowed format, else null. */
export function readPicture(name: string, data: Uint8Array, maxInflatedBytes: number): Picture | null {
  const extension = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase();
  const expected = extension === undefined ? undefined : EXTENSIONS[extension];
  if (!expected) return null;
  const bytes = expected.gzip ? gunzipWhole(data, maxInflatedBytes, name) : data;
  const format = bytes && detectGraphicFormat(bytes);
  return format && DETECTED_AS[expected.kind]!.includes(format) ? { format, bytes: bytes! } : null;
}
