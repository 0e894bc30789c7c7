import { crc32, inflateRawSync } from 'node:zlib';
import { DocumentError } from '../errors';

/**
 * Reads a .docx (a zip) within budgets BEFORE any zip or XML library sees it: the central directory is
 * parsed here, every declared size is checked against the budgets, and each entry is inflated by zlib with
 * `maxOutputLength` = its declared size, so a zip bomb (honest or lying about its sizes) costs at most the
 * budget and a few milliseconds. Refusals: NOT_A_DOCX (not a zip, encrypted, zip64, unsupported method, no
 * word/document.xml, corrupt data) and DOCX_TOO_COMPLEX (over a budget).
 */

export interface DocxLimits {
  /** Size of the .docx file itself. */
  maxCompressedBytes: number;
  /** Zip entries (files and folders). */
  maxEntries: number;
  /** Decoded bytes of one entry (images, fonts…). */
  maxEntryBytes: number;
  /**
   * Decoded bytes of one XML part (document.xml, headers…): checked here by name, before inflating, then by
   * docx-template.ts on every part read as XML whatever its name (`DocxPackage.xmlParts` in docx-content.ts).
   */
  maxXmlBytes: number;
  /** Decoded bytes of all entries together. */
  maxTotalBytes: number;
}

export const DEFAULT_DOCX_LIMITS: DocxLimits = {
  maxCompressedBytes: 20 * 1024 * 1024,
  maxEntries: 1000,
  maxEntryBytes: 32 * 1024 * 1024,
  maxXmlBytes: 8 * 1024 * 1024,
  maxTotalBytes: 64 * 1024 * 1024,
};

export interface DocxEntry {
  name: string;
  data: Uint8Array;
}

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const EOCD_MIN = 22;

const notDocx = (why: string) => new DocumentError('NOT_A_DOCX', `not a Word .docx file: ${why}`);
/** DOCX_TOO_COMPLEX: the template is over one of the processing budgets (here, in docx-content.ts, docx-template.ts, gzip-part.ts). */
export const tooComplex = (why: string) => new DocumentError('DOCX_TOO_COMPLEX', `the .docx is over a processing budget: ${why}`);

/** Named as an XML part: the budgets' first test, not the last (a part named otherwise may be XML too). */
export const isXmlPart = (name: string) => /\.(xml|rels)$/i.test(name);

function findEndOfCentralDirectory(view: DataView): number {
  const earliest = Math.max(0, view.byteLength - EOCD_MIN - 0xffff);
  for (let i = view.byteLength - EOCD_MIN; i >= earliest; i--) {
    if (view.getUint32(i, true) === EOCD_SIGNATURE) return i;
  }
  throw notDocx('no zip directory');
}

interface CentralRecord {
  name: string;
  flags: number;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

function readCentralDirectory(bytes: Uint8Array, limits: DocxLimits): CentralRecord[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const eocd = findEndOfCentralDirectory(view);
  const count = view.getUint16(eocd + 10, true);
  const dirSize = view.getUint32(eocd + 12, true);
  const dirOffset = view.getUint32(eocd + 16, true);
  if (count === 0xffff || dirOffset === 0xffffffff || dirSize === 0xffffffff) throw notDocx('zip64 archives are not supported');
  if (count > limits.maxEntries) throw tooComplex(`${count} zip entries (limit ${limits.maxEntries})`);
  if (dirOffset + dirSize > eocd) throw notDocx('zip directory out of range');
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const records: CentralRecord[] = [];
  let p = dirOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > eocd || view.getUint32(p, true) !== CENTRAL_SIGNATURE) throw notDocx('corrupt zip directory');
    const nameLength = view.getUint16(p + 28, true);
    const extraLength = view.getUint16(p + 30, true);
    const commentLength = view.getUint16(p + 32, true);
    if (p + 46 + nameLength > eocd) throw notDocx('corrupt zip directory');
    let name: string;
    try {
      name = decoder.decode(bytes.subarray(p + 46, p + 46 + nameLength));
    } catch {
      throw notDocx('zip entry name is not UTF-8');
    }
    records.push({
      name,
      flags: view.getUint16(p + 8, true),
      method: view.getUint16(p + 10, true),
      crc: view.getUint32(p + 16, true),
      compressedSize: view.getUint32(p + 20, true),
      size: view.getUint32(p + 24, true),
      localOffset: view.getUint32(p + 42, true),
    });
    p += 46 + nameLength + extraLength + commentLength;
  }
  return records;
}

function checkBudgets(records: CentralRecord[], limits: DocxLimits): void {
  const names = new Set<string>();
  let total = 0;
  for (const r of records) {
    if (names.has(r.name)) throw notDocx(`duplicate zip entry ${r.name}`);
    names.add(r.name);
    if (r.flags & 0x1) throw notDocx('encrypted zip entries are not supported');
    if (r.method !== 0 && r.method !== 8) throw notDocx(`unsupported compression method ${r.method}`);
    if (r.size === 0xffffffff || r.compressedSize === 0xffffffff) throw notDocx('zip64 entries are not supported');
    const limit = isXmlPart(r.name) ? limits.maxXmlBytes : limits.maxEntryBytes;
    if (r.size > limit) throw tooComplex(`${r.name} decodes to ${r.size} bytes (limit ${limit})`);
    total += r.size;
    if (total > limits.maxTotalBytes) throw tooComplex(`the entries decode to more than ${limits.maxTotalBytes} bytes`);
  }
  if (!names.has('word/document.xml')) throw notDocx('no word/document.xml (not a Word document)');
  if (!names.has('[Content_Types].xml')) throw notDocx('no [Content_Types].xml');
}

function inflateEntry(bytes: Uint8Array, view: DataView, r: CentralRecord): Uint8Array {
  const p = r.localOffset;
  if (p + 30 > bytes.byteLength || view.getUint32(p, true) !== LOCAL_SIGNATURE) throw notDocx(`corrupt zip entry ${r.name}`);
  const start = p + 30 + view.getUint16(p + 26, true) + view.getUint16(p + 28, true);
  const end = start + r.compressedSize;
  if (end > bytes.byteLength) throw notDocx(`zip entry ${r.name} out of range`);
  const raw = bytes.subarray(start, end);
  let data: Uint8Array;
  if (r.method === 0) {
    if (r.compressedSize !== r.size) throw notDocx(`corrupt stored entry ${r.name}`);
    data = raw;
  } else if (r.size === 0) {
    data = new Uint8Array(0);
  } else {
    try {
      // maxOutputLength: an entry that lies about its size stops at the declared size (RangeError).
      data = inflateRawSync(raw, { maxOutputLength: r.size });
    } catch (err) {
      if (err instanceof RangeError || (err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw tooComplex(`${r.name} decodes to more than it declares`);
      throw notDocx(`corrupt compressed data in ${r.name}`);
    }
  }
  if (data.byteLength !== r.size) throw notDocx(`${r.name} does not decode to its declared size`);
  if (crc32(data) >>> 0 !== r.crc) throw notDocx(`checksum mismatch in ${r.name}`);
  return data;
}

/** The decoded entries of a .docx (folders left out), within `limits`. */
export function readDocxEntries(docx: Uint8Array, limits: DocxLimits = DEFAULT_DOCX_LIMITS): DocxEntry[] {
  if (docx.byteLength > limits.maxCompressedBytes) throw new DocumentError('DOCX_TOO_COMPLEX', `the .docx is ${docx.byteLength} bytes (limit ${limits.maxCompressedBytes})`);
  if (docx.byteLength < EOCD_MIN || docx[0] !== 0x50 || docx[1] !== 0x4b) throw notDocx('not a zip archive');
  const records = readCentralDirectory(docx, limits);
  checkBudgets(records, limits);
  const view = new DataView(docx.buffer, docx.byteOffset, docx.byteLength);
  return records.filter((r) => !r.name.endsWith('/')).map((r) => ({ name: r.name, data: inflateEntry(docx, view, r) }));
}
