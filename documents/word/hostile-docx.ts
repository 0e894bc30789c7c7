import { crc32, deflateRawSync } from 'node:zlib';

/**
 * Test fixtures: a minimal zip writer with full control over what the directory declares, and hostile .docx
 * files built with it (zip bombs that declare or hide their size, too many entries, huge XML, DTDs, external
 * links, encrypted entries, bad checksums). Used by the unit tests and the HTTP tests of template uploads.
 */

export interface RawEntry {
  name: string;
  /** Decoded content (what the entry really holds). */
  data: Uint8Array | string;
  /** Already-compressed bytes to store instead of deflating `data` (for cheap bombs). */
  compressed?: Uint8Array;
  method?: 0 | 8;
  /** Overrides of what the directory says. */
  declaredSize?: number;
  crc?: number;
  flags?: number;
}

const enc = new TextEncoder();

export function buildZip(entries: RawEntry[]): Uint8Array {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const data = typeof e.data === 'string' ? enc.encode(e.data) : e.data;
    const method = e.method ?? 8;
    const body = e.compressed ?? (method === 8 ? deflateRawSync(data) : data);
    const name = Buffer.from(e.name, 'utf8');
    const size = e.declaredSize ?? data.byteLength;
    const crc = e.crc ?? crc32(data) >>> 0;
    const flags = (e.flags ?? 0) | 0x800;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.byteLength, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.byteLength, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.byteLength, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.byteLength, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, Buffer.from(body));
    centrals.push(central, name);
    offset += 30 + name.byteLength + body.byteLength;
  }
  const dir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(dir.byteLength, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...locals, dir, end]));
}

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
export const CONTENT_TYPES = `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`;
export const ROOT_RELS = `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`;

/** word/document.xml with one paragraph per text (each text one run: tags stay whole). */
export function documentXml(paragraphs: string[], extraBody = ''): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  return `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="${W}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:body>${paragraphs.map((p) => `<w:p><w:r><w:t xml:space="preserve">${esc(p)}</w:t></w:r></w:p>`).join('')}${extraBody}</w:body></w:document>`;
}

/** A small valid .docx with the given paragraphs (and extra parts). */
export function simpleDocx(paragraphs: string[], extra: RawEntry[] = [], body = ''): Uint8Array {
  return buildZip([{ name: '[Content_Types].xml', data: CONTENT_TYPES }, { name: '_rels/.rels', data: ROOT_RELS }, { name: 'word/document.xml', data: documentXml(paragraphs, body) }, ...extra]);
}

export const MAIN_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml';

/**
 * A .docx whose main document is a part NOT named `.xml` (a dummy word/document.xml beside it), declared in
 * [Content_Types].xml by an Override of its name or a Default of its extension, and targeted by `_rels/.rels`:
 * docxtemplater compiles it and LibreOffice opens it.
 */
export function mainPartNotNamedXml(data: string | Uint8Array, declare: 'override' | 'default' = 'override', name = 'word/document.dat'): Uint8Array {
  const declaration = declare === 'override' ? `<Override PartName="/${name}" ContentType="${MAIN_CONTENT_TYPE}"/>` : `<Default Extension="${name.slice(name.lastIndexOf('.') + 1)}" ContentType="${MAIN_CONTENT_TYPE}"/>`;
  const contentTypes = CONTENT_TYPES.replace(/<Override PartName="\/word\/document\.xml"[^>]*>/, declaration);
  return buildZip([
    { name: '[Content_Types].xml', data: contentTypes },
    { name: '_rels/.rels', data: ROOT_RELS.replace('word/document.xml', name) },
    { name: 'word/document.xml', data: documentXml(['x']) },
    { name, data },
  ]);
}

const MiB = 1024 * 1024;
let zeros64: Uint8Array | null = null;
/** Raw deflate of 64 MiB of zeros (≈ 64 KB), made once. */
function deflatedZeros(): Uint8Array {
  zeros64 ??= deflateRawSync(Buffer.alloc(64 * MiB));
  return zeros64;
}

export const hostileDocx = {
  notAZip: () => enc.encode('%PDF-1.7\nthis is not a Word document at all\n'),
  zipWithoutDocument: () => buildZip([{ name: '[Content_Types].xml', data: CONTENT_TYPES }, { name: 'hello.txt', data: 'hi' }]),
  /** An image entry that declares its 64 MiB honestly (over the per-entry budget). */
  honestBomb: () => simpleDocx(['x'], [{ name: 'word/media/image1.png', data: new Uint8Array(0), compressed: deflatedZeros(), declaredSize: 64 * MiB, crc: 0 }]),
  /** An entry that declares 1 KiB and inflates to 64 MiB. */
  lyingBomb: () => simpleDocx(['x'], [{ name: 'word/media/image1.png', data: new Uint8Array(0), compressed: deflatedZeros(), declaredSize: 1024, crc: 0 }]),
  /** document.xml itself lies about its size. */
  lyingXmlBomb: () => buildZip([{ name: '[Content_Types].xml', data: CONTENT_TYPES }, { name: 'word/document.xml', data: new Uint8Array(0), compressed: deflatedZeros(), declaredSize: 4096, crc: 0 }]),
  tooManyEntries: (n = 5000) => simpleDocx(['x'], Array.from({ length: n }, (_, i) => ({ name: `word/media/e${i}.bin`, data: 'x', method: 0 as const }))),
  /** 9 MiB of real paragraphs in document.xml (the XML budget is 8 MiB). */
  hugeXml: () => simpleDocx(Array.from({ length: 9 * 1024 }, () => 'x'.repeat(1024))),
  billionLaughs: () =>
    buildZip([
      { name: '[Content_Types].xml', data: CONTENT_TYPES },
      { name: 'word/document.xml', data: `<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><w:document xmlns:w="${W}"><w:body><w:p><w:r><w:t>&c;</w:t></w:r></w:p></w:body></w:document>` },
    ]),
  externalImage: () =>
    simpleDocx(['x'], [{ name: 'word/_rels/document.xml.rels', data: `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="file:///etc/passwd" TargetMode="External"/></Relationships>` }]),
  includeTextField: () => simpleDocx(['x'], [], `<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> INCLUDE</w:instrText></w:r><w:r><w:instrText>TEXT "/etc/passwd" </w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>`),
  encrypted: () => buildZip([{ name: '[Content_Types].xml', data: CONTENT_TYPES }, { name: 'word/document.xml', data: documentXml(['x']), flags: 0x1 }]),
  /** 90,000 `<w:instrText ` tags never closed (within the XML tag budget): a backtracking scan of them is quadratic. */
  unclosedFieldTags: () => simpleDocx(['{甲方}'], [], '<w:instrText '.repeat(90_000)),
  /** The same with `<w:fldSimple ` and, in the relationships part, `<Relationship `. */
  unclosedSimpleFields: () => simpleDocx(['{甲方}'], [], '<w:fldSimple '.repeat(90_000)),
  unclosedRelationships: () => simpleDocx(['{甲方}'], [{ name: 'word/_rels/document.xml.rels', data: `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${'<Relationship '.repeat(90_000)}</Relationships>` }]),
  /** 1.3 million empty runs (12 KB zipped): docxtemplater held a document thread for 15 s and more. */
  manyEmptyRuns: () => simpleDocx(['{甲方}'], [], `<w:p>${'<w:r/>'.repeat(1_300_000)}</w:p>`),
  /** 110,000 paragraphs of four tags each (26 KB zipped): docxtemplater ran a thread out of memory compiling them. */
  manyTagOccurrences: () => simpleDocx(Array.from({ length: 110_000 }, () => '{a}{b}{c}{d}')),
  /** 80,000 tag openings in a main document named word/document.dat: it escaped the budgets of XML parts (1.5 s, 273 MB). */
  manyTagsNotNamedXml: () => mainPartNotNamedXml(documentXml(Array.from({ length: 20_000 }, () => '{a}{b}{c}{d}'))),
  badChecksum: () => buildZip([{ name: '[Content_Types].xml', data: CONTENT_TYPES }, { name: 'word/document.xml', data: documentXml(['x']), crc: 12345 }]),
};
