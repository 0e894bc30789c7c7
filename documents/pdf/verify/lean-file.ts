import { Unsupported, type PdfValue } from '../incremental/pdf-syntax';
import { LeanLexer } from './lean-lexer';

/**
 * The whole file read in order, the way pdf-lib's parser reads it for the general path
 * (safe-load.ts), but only for files in the plain shape the platform writes: a `%PDF-x.y` header,
 * then revisions of `N 0 obj … endobj` objects, each closed by a classic cross-reference table,
 * a trailer, `startxref` and `%%EOF`, with nothing but whitespace and comments in between. Stream
 * data is skipped by its direct /Length, never parsed. Every definition, table entry and trailer
 * is recorded with its offset, exactly as ParseRecord records them for the general path.
 *
 * Anything else (object or cross-reference streams, encryption, a /Length that is not a direct
 * integer, generations other than 0, names with # escapes — which pdf-lib decodes differently —,
 * bytes the strict syntax does not take, files past a size budget) throws Unsupported: the
 * verifier then takes the general path, which owns every error a malformed file deserves.
 */

export interface StreamValue {
  t: 'stream';
  dict: PdfValue & { t: 'dict' };
  /** The stream data as pdf-lib slices it: [start, start + /Length). */
  start: number;
  end: number;
}

export type LeanValue = PdfValue | StreamValue;

export interface LeanDefinition {
  objectNumber: number;
  offset: number;
  value: LeanValue;
}

export interface LeanXrefEntry {
  objectNumber: number;
  free: boolean;
  offset?: number;
}

export interface LeanFile {
  bytes: Uint8Array;
  definitions: LeanDefinition[];
  /** The object each number resolves to in the final file (the last definition in file order, as pdf-lib keeps). */
  objects: Map<number, LeanValue>;
  xrefSections: { offset: number; entries: LeanXrefEntry[] }[];
  /** Offset of each `trailer` keyword and the /Root in force after it (an absent /Root keeps the previous one). */
  trailers: { offset: number; root: PdfValue | undefined }[];
  /** pdf-lib's trailerInfo after the last trailer. */
  root: PdfValue | undefined;
  info: PdfValue | undefined;
  /** Direct values in all objects (bounds the role walk's work). */
  valueCount: number;
}

/** Beyond these the general path decides (its own budgets are far larger). */
export const LEAN_MAX_OBJECTS = 20_000;
export const LEAN_MAX_XREF_ENTRIES = 40_000;

const HEADER = /^%PDF-\d+\.\d+[\r\n]/;
const ENDSTREAM = Buffer.from('endstream', 'latin1');
const EOF_MARK = Buffer.from('%%EOF', 'latin1');
const STREAM = Buffer.from('stream', 'latin1');

const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isWs = (c: number | undefined) => c === 0 || c === 9 || c === 10 || c === 12 || c === 13 || c === 32;

function matches(bytes: Uint8Array, at: number, word: Buffer): boolean {
  if (at + word.length > bytes.length) return false;
  for (let i = 0; i < word.length; i++) if (bytes[at + i] !== word[i]) return false;
  return true;
}

export function readLeanFile(bytes: Uint8Array): LeanFile {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (!HEADER.test(buf.toString('latin1', 0, Math.min(buf.length, 16)))) throw new Unsupported('header is not %PDF-x.y at byte 0');
  const file: LeanFile = { bytes, definitions: [], objects: new Map(), xrefSections: [], trailers: [], root: undefined, info: undefined, valueCount: 0 };
  let entries = 0;
  const lx = new LeanLexer(bytes, 0);
  lx.skipWs();
  while (lx.pos < bytes.length) {
    // Objects of one revision.
    while (isDigit(bytes[lx.pos]!)) {
      const offset = lx.pos;
      const num = lx.uint();
      if (lx.uint() !== 0 || num === 0) throw new Unsupported('object number 0 or generation other than 0');
      lx.expectKeyword('obj');
      const value = lx.value();
      let stored: LeanValue = value;
      lx.skipWs();
      if (matches(bytes, lx.pos, STREAM)) {
        if (value.t !== 'dict') throw new Unsupported('stream without a dictionary');
        let start = lx.pos + STREAM.length;
        // pdf-lib's order: "stream \r\n", "stream\r\n", "stream\r", "stream\n", else right after the keyword.
        if (bytes[start] === 0x20 && bytes[start + 1] === 0x0d && bytes[start + 2] === 0x0a) start += 3;
        else if (bytes[start] === 0x0d && bytes[start + 1] === 0x0a) start += 2;
        else if (bytes[start] === 0x0d || bytes[start] === 0x0a) start += 1;
        const length = value.entries.get('Length');
        if (length?.t !== 'num' || !/^\d{1,10}$/.test(length.raw)) throw new Unsupported('stream /Length is not a direct integer');
        const type = value.entries.get('Type');
        if (type !== undefined && (type.t !== 'name' || type.v === 'ObjStm' || type.v === 'XRef')) throw new Unsupported('object or cross-reference stream');
        const end = start + length.v;
        if (end > bytes.length) throw new Unsupported('stream past the end');
        lx.pos = end;
        lx.skipWs();
        if (!matches(bytes, lx.pos, ENDSTREAM)) throw new Unsupported('stream /Length does not end at endstream');
        lx.pos += ENDSTREAM.length;
        stored = { t: 'stream', dict: value, start, end };
      }
      lx.expectKeyword('endobj');
      file.definitions.push({ objectNumber: num, offset, value: stored });
      file.objects.set(num, stored);
      if (file.definitions.length > LEAN_MAX_OBJECTS) throw new Unsupported('too many objects for the lean reader');
      lx.skipWs();
    }
    // Its cross-reference table.
    const xrefAt = lx.pos;
    lx.expectKeyword('xref');
    const section: LeanFile['xrefSections'][number] = { offset: xrefAt, entries: [] };
    for (;;) {
      lx.skipWs();
      if (!isDigit(bytes[lx.pos]!)) break;
      const first = lx.uint();
      const count = lx.uint();
      entries += count;
      if (entries > LEAN_MAX_XREF_ENTRIES) throw new Unsupported('too many cross-reference entries for the lean reader');
      for (let i = 0; i < count; i++) {
        const offset = lx.uint();
        lx.uint();
        if (lx.keyword('n')) section.entries.push({ objectNumber: first + i, free: false, offset });
        else if (lx.keyword('f')) section.entries.push({ objectNumber: first + i, free: true });
        else throw new Unsupported('bad cross-reference entry');
      }
    }
    file.xrefSections.push(section);
    // Its trailer.
    const trailerAt = lx.pos;
    lx.expectKeyword('trailer');
    const trailer = lx.value();
    if (trailer.t !== 'dict') throw new Unsupported('trailer is not a dictionary');
    if (trailer.entries.has('Encrypt') || trailer.entries.has('XRefStm')) throw new Unsupported('encrypted or hybrid file');
    const root = trailer.entries.get('Root');
    const info = trailer.entries.get('Info');
    if (root !== undefined && root.t !== 'ref') throw new Unsupported('/Root is not a reference');
    if (info?.t === 'kw') throw new Unsupported('null trailer entries');
    file.root = root ?? file.root;
    file.info = info ?? file.info;
    file.trailers.push({ offset: trailerAt, root: file.root });
    lx.expectKeyword('startxref');
    lx.uint();
    while (isWs(bytes[lx.pos])) lx.pos++;
    if (!matches(bytes, lx.pos, EOF_MARK)) throw new Unsupported('startxref is not followed by %%EOF');
    lx.pos += EOF_MARK.length;
    while (isWs(bytes[lx.pos])) lx.pos++;
    if (lx.pos < bytes.length && !isDigit(bytes[lx.pos]!)) throw new Unsupported('bytes after %%EOF that are not a revision');
  }
  if (file.trailers.length === 0 || file.root === undefined) throw new Unsupported('no trailer with /Root');
  file.valueCount = lx.values;
  return file;
}

/** pdf-lib's context.lookup: references resolve (missing → undefined), direct values are themselves. */
export function resolve(file: LeanFile, v: LeanValue | undefined): LeanValue | undefined {
  return v?.t === 'ref' ? file.objects.get(v.num) : v;
}

/** pdf-lib's PDFDict.get: an absent key and a null value are both undefined. */
export function get(dict: LeanValue | undefined, key: string): PdfValue | undefined {
  if (dict?.t !== 'dict') return undefined;
  const v = dict.entries.get(key);
  return v?.t === 'kw' && v.raw === 'null' ? undefined : v;
}

/** A dictionary whose /Type is the direct name `type` (what pdf-lib's parser makes a PDFCatalog / PDFPageTree / PDFPageLeaf). */
export function hasType(v: LeanValue | undefined, type: string): boolean {
  if (v?.t !== 'dict') return false;
  const t = v.entries.get('Type');
  return t?.t === 'name' && t.v === type;
}
