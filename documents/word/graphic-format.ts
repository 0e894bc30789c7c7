/**
 * Which image import filter LibreOffice would pick for some bytes: the format detection of its graphic
 * filter (vcl's GraphicFormatDetector, LibreOffice 7.4), re-implemented here with the same tests in the same
 * order, the first match winning. LibreOffice runs it on the bytes of whatever part a picture element of a
 * .docx names (any part: the relationship Type is not looked at), with no extension to test first, so these
 * are the answers that matter for a template:
 *  - a picture must detect as its own format (a `.bmp` whose byte 2 is 0xD3 and that carries a field chain
 *    is a MET file to LibreOffice, a WMF of type 2 falls through to XBM, DXF, PCD…);
 *  - any other part LibreOffice receives must detect as no format at all (XML text can carry an XBM, XPM,
 *    EPS, PCD or PICT signature where these tests look for one), except an SVG image as SVG.
 *
 * It reads at most the first 2048 bytes, 7 bytes at offset 2048, 14 bytes at offsets 0 and 512, and the
 * last 18 bytes: constant work whatever the size. Give it uncompressed bytes only: LibreOffice's own handling of
 * gzip data (its EMF/WMF test inflates the start, later tests mix compressed and inflated bytes) is not modelled;
 * a template's gzip parts are inflated (picture-parts.ts) or refused (svg-content.ts) before they get here.
 */
export type GraphicFormat =
  | 'MET'
  | 'BMP'
  | 'WMF'
  | 'EMF'
  | 'PCX'
  | 'TIF'
  | 'GIF'
  | 'PNG'
  | 'JPG'
  | 'SVM'
  | 'PCD'
  | 'PSD'
  | 'EPS'
  | 'DXF'
  | 'PCT'
  | 'PBM'
  | 'PGM'
  | 'PPM'
  | 'RAS'
  | 'XPM'
  | 'XBM'
  | 'SVG'
  | 'TGA'
  | 'MOV'
  | 'PDF'
  | 'WEBP';

const ascii = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));

/** Where `needle` first occurs in `hay[from, end)`, or -1. */
function indexOf(hay: Uint8Array, needle: Uint8Array, from = 0, end = hay.length): number {
  const last = end - needle.length;
  outer: for (let i = from; i <= last; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/** The strings occur in this order in `hay[0, end)`, each searched from where the one before it starts. */
function inOrder(hay: Uint8Array, end: number, needles: Uint8Array[]): boolean {
  let at = 0;
  for (const needle of needles) {
    at = indexOf(hay, needle, at, end);
    if (at < 0) return false;
  }
  return true;
}

const PCD_IPI = ascii('PCD_IPI');
const PS_ADOBE = ascii('%!PS-Adobe');
const SPACE_EPS = ascii(' EPS');
const SECTION = ascii('SECTION');
const AUTOCAD_BINARY_DXF = ascii('AutoCAD Binary DXF');
const XPM_MARK = ascii('/* XPM */');
const DEFINE = ascii('#define');
const UNDERSCORE_WIDTH = ascii('_width');
const XML_DECLARATION = ascii('<?xml');
const VERSION = ascii('version');
const DOCTYPE = ascii('DOCTYPE');
const SVG = ascii('svg');
const SVG_ELEMENT = ascii('<svg');
const TGA_FOOTER = ascii('TRUEVISION-XFILE.\0');
const SPACE_EMF = ascii(' EMF');
const VCLMTF = ascii('VCLMTF');
const FTYPQT = ascii('ftypqt');
const MOOV = ascii('moov');
const PDF_START = ascii('%PDF-');
const RIFF = ascii('RIFF');
const WEBP = ascii('WEBP');

/** A MET file: byte 2 is 0xD3 and four structured fields (big-endian size ≥ 6, magic 0xD3) chain inside the data. */
function isMet(d: Uint8Array): boolean {
  if (d[2] !== 0xd3) return false;
  let size = (d[0]! << 8) | d[1]!;
  let at = 3;
  for (let i = 0; i < 3; i++) {
    if (size < 6 || d.length < at + size) return false;
    at += size - 3;
    if (at + 3 > d.length) return false;
    size = (d[at]! << 8) | d[at + 1]!;
    const magic = d[at + 2];
    at += 3;
    if (magic !== 0xd3) return false;
  }
  return true;
}

function isBmp(d: Uint8Array): boolean {
  const o = d[0] === 0x42 && d[1] === 0x41 ? 14 : 0; // an OS/2 bitmap array: its first bitmap
  if (d[o] !== 0x42 || d[o + 1] !== 0x4d) return false;
  const reservedZero = d[o + 6] === 0 && d[o + 7] === 0 && d[o + 8] === 0 && d[o + 9] === 0;
  return reservedZero || d[o + 14] === 0x28 || d[o + 14] === 0x0c;
}

function isDxf(first: Uint8Array): boolean {
  if (indexOf(first, AUTOCAD_BINARY_DXF, 0, AUTOCAD_BINARY_DXF.length) === 0) return true;
  let i = 0;
  while (i < 256 && first[i]! <= 32) i++;
  if (i >= 256 || first[i] !== 0x30 /* '0' */) return false;
  i++;
  while (i < 256 && first[i]! <= 32) i++;
  return i + 7 < 256 && indexOf(first, SECTION, i, i + 7) === i;
}

/** A PICT, at offset 0 or (as in MS documents, without its 512-byte header) at 512. */
function isPct(d: Uint8Array): boolean {
  const int16 = (at: number) => ((d[at]! << 8) | d[at + 1]!) << 16 >> 16;
  for (let offset = 0; offset <= 512 && offset + 14 <= d.length; offset += 512) {
    const [y1, x1, y2, x2] = [int16(offset + 2), int16(offset + 4), int16(offset + 6), int16(offset + 8)];
    const op = [d[offset + 10], d[offset + 11], d[offset + 12]];
    const boxOk = !(x1 > x2 || y1 > y2 || (x1 === x2 && y1 === y2) || x2 - x1 > 2048 || y2 - y1 > 2048);
    if (op[0] === 0x00 && op[1] === 0x11 && op[2] === 0x02) return true;
    if (op[0] === 0x11 && op[1] === 0x01 && boxOk) return true;
  }
  return false;
}

function isSvg(first: Uint8Array, head: Uint8Array): boolean {
  return inOrder(first, first.length, [XML_DECLARATION, VERSION, DOCTYPE, SVG]) || indexOf(first, SVG_ELEMENT) >= 0 || indexOf(head, SVG_ELEMENT) >= 0;
}

/** The format LibreOffice detects for `data` (uncompressed bytes), or null when it detects none. */
export function detectGraphicFormat(data: Uint8Array): GraphicFormat | null {
  if (data.length === 0) return null;
  /** The first 256 bytes, zero-padded as the detector's buffer is. */
  const first = new Uint8Array(256);
  first.set(data.subarray(0, 256));
  const firstLength = Math.min(data.length, 256);
  const long = (at: number) => ((first[at]! << 24) | (first[at + 1]! << 16) | (first[at + 2]! << 8) | first[at + 3]!) >>> 0;
  const [firstLong, secondLong] = [long(0), long(4)];
  const head = data.subarray(0, 2048);

  if (isMet(data)) return 'MET';
  if (isBmp(first)) return 'BMP';
  if (firstLong === 0xd7cdc69a || firstLong === 0x01000900) return 'WMF';
  if (firstLong === 0x01000000 && indexOf(first, SPACE_EMF, 40, 44) === 40) return 'EMF';
  if (first[0] === 0x0a && [0, 2, 3, 5].includes(first[1]!) && first[2]! <= 1) return 'PCX';
  if (firstLong === 0x49492a00 || firstLong === 0x4d4d002a) return 'TIF';
  if (firstLong === 0x47494638 && (first[4] === 0x37 || first[4] === 0x39) && first[5] === 0x61) return 'GIF';
  if (firstLong === 0x89504e47 && secondLong === 0x0d0a1a0a) return 'PNG';
  if ((firstLong & 0xffffff00) >>> 0 === 0xffd8ff00) return 'JPG';
  if ((firstLong === 0x53564744 && first[4] === 0x49) || indexOf(first, VCLMTF, 0, 6) === 0) return 'SVM';
  if (data.length >= 2055 && indexOf(data, PCD_IPI, 2048, 2055) === 2048) return 'PCD';
  if (firstLong === 0x38425053 && secondLong >>> 16 === 1) return 'PSD';
  if (firstLong === 0xc5d0d3c6 || inOrder(first, 30, [PS_ADOBE, SPACE_EPS])) return 'EPS';
  if (isDxf(first)) return 'DXF';
  if (isPct(data)) return 'PCT';
  if (first[0] === 0x50 /* 'P' */) {
    const kind = first[1];
    if (kind === 0x31 || kind === 0x34) return 'PBM';
    if (kind === 0x32 || kind === 0x35) return 'PGM';
    if (kind === 0x33 || kind === 0x36) return 'PPM';
  }
  if (firstLong === 0x59a66a95) return 'RAS';
  if (indexOf(first, XPM_MARK) >= 0) return 'XPM';
  if (inOrder(head, head.length, [DEFINE, UNDERSCORE_WIDTH])) return 'XBM';
  if (isSvg(first.subarray(0, firstLength), head)) return 'SVG';
  if (data.length > 18 && indexOf(data, TGA_FOOTER, data.length - 18) === data.length - 18) return 'TGA';
  if ((indexOf(first, FTYPQT, 4, 10) === 4) || (indexOf(first, MOOV, 4, 8) === 4 && first[11] === 0x6c && first[12] === 0x6d)) return 'MOV';
  if (indexOf(first, PDF_START, 0, 5) === 0) return 'PDF';
  if (indexOf(first, RIFF, 0, 4) === 0 && indexOf(first, WEBP, 8, 12) === 8) return 'WEBP';
  return null;
}
