import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import fontkit from '@pdf-lib/fontkit';
import { DocumentError } from '../errors';
import { findCjkFonts } from '../seals/fonts';

/**
 * Subsets of the system's Noto Sans CJK SC face for drawing text into PDFs.
 *
 * Debian ships Noto CJK as .ttc collections of CFF-based faces. @pdf-lib/fontkit's own subsetting
 * silently loses glyphs for TTC and CFF fonts, so the subset is made with HarfBuzz's hb-subset
 * (harfbuzzjs' standalone wasm, no imports), which takes one face of the collection by index.
 * The subset is a CID-keyed CFF whose charset keeps the original CIDs; pdf-lib writes glyph ids
 * as CIDs, so the charset is rewritten to the identity (CID = glyph id) before embedding, as the
 * PDF specification requires for CIDFontType0 (poppler and pdf.js ignore it, other readers do not).
 */

export interface CjkSubset {
  /** An OpenType (CFF) font holding only the glyphs of the requested text, charset = identity. */
  bytes: Uint8Array;
  /** Code points of the text that the face has no glyph for. */
  missing: number[];
}

interface HbExports {
  memory: WebAssembly.Memory;
  malloc(size: number): number;
  free(ptr: number): void;
  hb_blob_create(data: number, length: number, mode: number, userData: number, destroy: number): number;
  hb_blob_destroy(blob: number): void;
  hb_blob_get_data(blob: number, length: number): number;
  hb_blob_get_length(blob: number): number;
  hb_face_create(blob: number, index: number): number;
  hb_face_destroy(face: number): void;
  hb_face_reference_blob(face: number): number;
  hb_set_add(set: number, codepoint: number): void;
  hb_subset_input_create_or_fail(): number;
  hb_subset_input_destroy(input: number): void;
  hb_subset_input_unicode_set(input: number): number;
  hb_subset_input_set(input: number, setType: number): number;
  hb_subset_or_fail(face: number, input: number): number;
}

interface LoadedFace {
  hb: HbExports;
  face: number;
  /** Code points the face maps (from fontkit's cmap reading of the same face). */
  has: (codePoint: number) => boolean;
  postscriptName: string;
}

const HB_MEMORY_MODE_READONLY = 1;
const HB_SUBSET_SETS_DROP_TABLE_TAG = 3;
/**
 * Layout and vertical-writing tables are left out: horizontal CJK and Latin text needs no shaping
 * here, and closing over GSUB/GPOS of a 65 k-glyph face is most of the work (measured: 180–490 ms
 * → 15–30 ms per subset, 20 KB → 11 KB for 60 characters).
 */
const DROPPED_TABLES = ['GSUB', 'GPOS', 'GDEF', 'BASE', 'JSTF', 'VORG', 'vhea', 'vmtx', 'DSIG'];
const tagOf = (t: string) => ((t.charCodeAt(0) << 24) | (t.charCodeAt(1) << 16) | (t.charCodeAt(2) << 8) | t.charCodeAt(3)) >>> 0;
const PREFERRED_FACE = 'NotoSansCJKsc-Regular';

let loading: Promise<LoadedFace> | undefined;

/** The regular Sans face: the SC face of a collection, else the first face of the file. */
function pickFontFile(): string {
  const { sans, serif } = findCjkFonts();
  const regular = (files: string[]) => files.find((f) => !/bold/i.test(f)) ?? files[0];
  const file = regular(sans) ?? regular(serif);
  if (!file) throw new DocumentError('FONT_NOT_FOUND', 'no Noto CJK font file found');
  return file;
}

interface FontkitFace {
  postscriptName: string;
  hasGlyphForCodePoint(cp: number): boolean;
}

async function loadFace(): Promise<LoadedFace> {
  const file = pickFontFile();
  const bytes = readFileSync(file);
  const parsed = fontkit.create(bytes) as unknown as { fonts?: FontkitFace[] } & FontkitFace;
  const faces = parsed.fonts ?? [parsed];
  let index = faces.findIndex((f) => f.postscriptName === PREFERRED_FACE);
  if (index < 0) index = Math.max(0, faces.findIndex((f) => /sc/i.test(f.postscriptName)));
  const chosen = faces[index]!;

  const require = createRequire(import.meta.url);
  const wasm = readFileSync(require.resolve('harfbuzzjs/dist/harfbuzz-subset.wasm'));
  const { instance } = await WebAssembly.instantiate(wasm, {});
  const hb = instance.exports as unknown as HbExports;
  const ptr = hb.malloc(bytes.byteLength);
  new Uint8Array(hb.memory.buffer).set(bytes, ptr);
  // The font bytes stay in wasm memory for the life of the thread (the face refers to them).
  const blob = hb.hb_blob_create(ptr, bytes.byteLength, HB_MEMORY_MODE_READONLY, 0, 0);
  const face = hb.hb_face_create(blob, index);
  hb.hb_blob_destroy(blob);
  return { hb, face, has: (cp) => chosen.hasGlyphForCodePoint(cp), postscriptName: chosen.postscriptName };
}

/** Loads the font and the subsetter once per thread (≈ 0.3 s); later calls reuse them. */
function face(): Promise<LoadedFace> {
  loading ??= loadFace().catch((err: unknown) => {
    loading = undefined;
    throw err;
  });
  return loading;
}

/** Subsets the face to the glyphs of `text` (plus .notdef); spaces and line breaks need no glyph check. */
export async function cjkSubset(text: string): Promise<CjkSubset> {
  const { hb, face: facePtr, has } = await face();
  const codePoints = [...new Set([...text].map((c) => c.codePointAt(0)!))];
  const missing = codePoints.filter((cp) => cp > 0x20 && !has(cp));
  const input = hb.hb_subset_input_create_or_fail();
  if (!input) throw new DocumentError('FONT_NOT_FOUND', 'hb-subset could not allocate its input');
  let subsetFace = 0;
  try {
    const unicodes = hb.hb_subset_input_unicode_set(input);
    for (const cp of codePoints) hb.hb_set_add(unicodes, cp);
    hb.hb_set_add(unicodes, 0x20);
    const dropped = hb.hb_subset_input_set(input, HB_SUBSET_SETS_DROP_TABLE_TAG);
    for (const table of DROPPED_TABLES) hb.hb_set_add(dropped, tagOf(table));
    subsetFace = hb.hb_subset_or_fail(facePtr, input);
    if (!subsetFace) throw new DocumentError('FONT_NOT_FOUND', 'hb-subset failed on the CJK font');
    const blob = hb.hb_face_reference_blob(subsetFace);
    const data = hb.hb_blob_get_data(blob, 0);
    const length = hb.hb_blob_get_length(blob);
    const bytes = new Uint8Array(hb.memory.buffer, data, length).slice();
    hb.hb_blob_destroy(blob);
    setIdentityCharset(bytes);
    return { bytes, missing };
  } finally {
    if (subsetFace) hb.hb_face_destroy(subsetFace);
    hb.hb_subset_input_destroy(input);
  }
}

// ---- CFF charset → identity (in place) -------------------------------------------------------

const u16 = (b: Uint8Array, o: number) => (b[o]! << 8) | b[o + 1]!;
const u32 = (b: Uint8Array, o: number) => ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
const offsetAt = (b: Uint8Array, o: number, size: number) => {
  let v = 0;
  for (let i = 0; i < size; i++) v = v * 256 + b[o + i]!;
  return v;
};

interface TableEntry {
  tag: string;
  dirOffset: number;
  offset: number;
  length: number;
}

function tables(font: Uint8Array): TableEntry[] {
  const count = u16(font, 4);
  const out: TableEntry[] = [];
  for (let i = 0; i < count; i++) {
    const d = 12 + i * 16;
    out.push({ tag: String.fromCharCode(...font.subarray(d, d + 4)), dirOffset: d, offset: u32(font, d + 8), length: u32(font, d + 12) });
  }
  return out;
}

/** Skips a CFF INDEX; answers the offsets of its items' data. */
function readIndex(cff: Uint8Array, at: number): { items: [number, number][]; end: number } {
  const count = u16(cff, at);
  if (count === 0) return { items: [], end: at + 2 };
  const offSize = cff[at + 2]!;
  const base = at + 3 + (count + 1) * offSize - 1;
  const items: [number, number][] = [];
  for (let i = 0; i < count; i++) {
    items.push([base + offsetAt(cff, at + 3 + i * offSize, offSize), base + offsetAt(cff, at + 3 + (i + 1) * offSize, offSize)]);
  }
  return { items, end: items[count - 1]![1] };
}

/** The integer operand before operator `op` (single-byte operators only) in a CFF DICT, or null. */
function dictOperand(cff: Uint8Array, start: number, end: number, op: number): number | null {
  const operands: number[] = [];
  let i = start;
  while (i < end) {
    const b0 = cff[i]!;
    if (b0 <= 21) {
      const operator = b0 === 12 ? 1200 + cff[i + 1]! : b0;
      i += b0 === 12 ? 2 : 1;
      if (operator === op) return operands.at(-1) ?? null;
      operands.length = 0;
    } else if (b0 === 28) {
      operands.push(((cff[i + 1]! << 24) >> 16) | cff[i + 2]!);
      i += 3;
    } else if (b0 === 29) {
      operands.push(u32(cff, i + 1) | 0);
      i += 5;
    } else if (b0 === 30) {
      i += 1;
      while (i < end && (cff[i]! & 0x0f) !== 0x0f && (cff[i]! & 0xf0) !== 0xf0) i++;
      i += 1;
      operands.push(0); // real numbers are never offsets
    } else if (b0 >= 32 && b0 <= 246) {
      operands.push(b0 - 139);
      i += 1;
    } else if (b0 >= 247 && b0 <= 250) {
      operands.push((b0 - 247) * 256 + cff[i + 1]! + 108);
      i += 2;
    } else if (b0 >= 251 && b0 <= 254) {
      operands.push(-(b0 - 251) * 256 - cff[i + 1]! - 108);
      i += 2;
    } else {
      i += 1;
    }
  }
  return null;
}

/** Bytes taken by the charset at `at` for `glyphs` glyphs (formats 0, 1, 2). */
function charsetSize(cff: Uint8Array, at: number, glyphs: number): number {
  const format = cff[at]!;
  if (format === 0) return 1 + 2 * (glyphs - 1);
  const rangeSize = format === 1 ? 3 : 4;
  let covered = 0;
  let pos = at + 1;
  while (covered < glyphs - 1) {
    const nLeft = format === 1 ? cff[pos + 2]! : u16(cff, pos + 2);
    covered += nLeft + 1;
    pos += rangeSize;
  }
  return pos - at;
}

function checksum(b: Uint8Array, offset: number, length: number): number {
  let sum = 0;
  for (let i = 0; i < length; i += 4) {
    let word = 0;
    for (let k = 0; k < 4; k++) word = word * 256 + (i + k < length ? b[offset + i + k]! : 0);
    sum = (sum + word) % 0x100000000;
  }
  return sum;
}

const writeU16 = (b: Uint8Array, o: number, v: number) => {
  b[o] = (v >> 8) & 0xff;
  b[o + 1] = v & 0xff;
};
const writeU32 = (b: Uint8Array, o: number, v: number) => {
  b[o] = (v >>> 24) & 0xff;
  b[o + 1] = (v >>> 16) & 0xff;
  b[o + 2] = (v >>> 8) & 0xff;
  b[o + 3] = v & 0xff;
};

/** The bytes of the font's CFF table (for FontFile3 /CIDFontType0C). */
export function cffTableOf(font: Uint8Array): Uint8Array {
  const table = tables(font).find((t) => t.tag === 'CFF ');
  if (!table) throw new DocumentError('FONT_NOT_FOUND', 'the font has no CFF table');
  return font.slice(table.offset, table.offset + table.length);
}

/**
 * Rewrites the charset of a CID-keyed CFF (in an OpenType font) to CID = glyph id, in the space
 * the old charset takes (an identity charset is never larger), and fixes the table checksums.
 * Fonts without a CFF table or with a predefined charset are left alone.
 */
export function setIdentityCharset(font: Uint8Array): void {
  const cffTable = tables(font).find((t) => t.tag === 'CFF ');
  const maxp = tables(font).find((t) => t.tag === 'maxp');
  if (!cffTable || !maxp) return;
  const glyphs = u16(font, maxp.offset + 4);
  const cff = font.subarray(cffTable.offset, cffTable.offset + cffTable.length);
  const names = readIndex(cff, cff[2]!);
  const topDicts = readIndex(cff, names.end);
  const top = topDicts.items[0];
  if (!top || glyphs < 2) return;
  const charset = dictOperand(cff, top[0], top[1], 15);
  if (charset === null || charset <= 2) return; // predefined charsets (ISOAdobe, Expert…) belong to name-keyed fonts
  const available = charsetSize(cff, charset, glyphs);
  const rest = glyphs - 1;
  if (available >= 5) {
    cff[charset] = 2;
    writeU16(cff, charset + 1, 1);
    writeU16(cff, charset + 3, rest - 1);
  } else if (available >= 1 + 3 * Math.ceil(rest / 256)) {
    cff[charset] = 1;
    for (let r = 0, first = 1; first <= rest; r++, first += 256) {
      writeU16(cff, charset + 1 + r * 3, first);
      cff[charset + 3 + r * 3] = Math.min(255, rest - first);
    }
  } else {
    cff[charset] = 0;
    for (let g = 1; g <= rest; g++) writeU16(cff, charset + 1 + (g - 1) * 2, g);
  }
  writeU32(font, cffTable.dirOffset + 4, checksum(font, cffTable.offset, cffTable.length));
  const head = tables(font).find((t) => t.tag === 'head');
  if (head) {
    writeU32(font, head.offset + 8, 0);
    writeU32(font, head.dirOffset + 4, checksum(font, head.offset, head.length));
    writeU32(font, head.offset + 8, (0xb1b0afba - checksum(font, 0, font.byteLength)) >>> 0);
  }
}
