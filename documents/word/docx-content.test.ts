import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DocumentError, type DocumentErrorCode } from '../errors';
import { DEFAULT_DOCX_LIMITS, readDocxEntries } from './docx-archive';
import { fillDocxInThread, listDocxTagsInThread, notXmlText } from './docx-template';
import { buildZip, CONTENT_TYPES, embeddedObjectDocx, emfOf, OLE_OBJECT, PNG_1X1_BASE64, pngHeader, simpleDocx, svgImage, svgPictureDocx, type RawEntry } from './hostile-docx';

/**
 * The content check against templates that would make LibreOffice fetch a URL or read a local file while
 * converting: external relationships used from anywhere but `w:hyperlink`, the regex bypasses of the former
 * check (decoy attributes, character references, prefixes, CDATA), fields that include content, XML parts the
 * check would otherwise not read (another encoding, another file name), embedded objects, and which parts are
 * checked as SVG images (the SVG check itself: svg-content.test.ts).
 */

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PACKAGE_RELS = 'http://schemas.openxmlformats.org/package/2006/relationships';
const A = 'http://schemas.openxmlformats.org/drawingml/2006/main';
const V = 'urn:schemas-microsoft-com:vml';
const O = 'urn:schemas-microsoft-com:office:office';
const METADATA = 'http://169.254.169.254/latest/meta-data/iam/security-credentials/';

/** `length` bytes that start like an EMF file (record type 1, " EMF" at offset 40): LibreOffice's EMF test. */
function emfHeader(length: number): Uint8Array {
  const emf = new Uint8Array(length);
  emf.set([0x01, 0, 0, 0]);
  emf.set([0x20, 0x45, 0x4d, 0x46], 40);
  return emf;
}

const rels = (body: string, extraNs = '') => `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="${PACKAGE_RELS}"${extraNs}>${body}</Relationships>`;
const rel = (id: string, type: string, target: string, mode = ' TargetMode="External"') => `<Relationship Id="${id}" Type="${REL}/${type}" Target="${target}"${mode}/>`;
const run = (inner: string) => `<w:p><w:r>${inner}</w:r></w:p>`;
const field = (instruction: string) => `<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r>${instruction}</w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>`;
const blip = (attrs: string) => run(`<w:drawing><a:blip xmlns:a="${A}" ${attrs}/></w:drawing>`);
const hyperlink = (id: string, text = '官网') => `<w:p><w:hyperlink r:id="${id}"><w:r><w:t>${text}</w:t></w:r></w:hyperlink></w:p>`;

/** A template with one tag, `body` after it in word/document.xml, and `documentRels` as its relationships. */
const template = (body: string, documentRels = '', extra: RawEntry[] = []) => simpleDocx(['{甲方}'], [{ name: 'word/_rels/document.xml.rels', data: rels(documentRels) }, ...extra], body);

const external = {
  /** The reviewer's case: an allowed external "hyperlink" used as a linked image. */
  linkedImage: () => template(blip('r:link="rId5"'), rel('rId5', 'hyperlink', METADATA)),
  embeddedImage: () => template(blip('r:embed="rId5"'), rel('rId5', 'hyperlink', 'file:///etc/passwd')),
  vmlImageData: () => template(run(`<w:pict><v:shape xmlns:v="${V}"><v:imagedata r:id="rId5"/></v:shape></w:pict>`), rel('rId5', 'hyperlink', METADATA)),
  vmlRelId: () => template(run(`<w:pict><v:shape xmlns:v="${V}" xmlns:o="${O}"><v:imagedata o:relid="rId5"/></v:shape></w:pict>`), rel('rId5', 'hyperlink', 'file:///etc/shadow')),
  hyperlinkAlsoLinkedImage: () => template(hyperlink('rId5') + blip('r:link=" rId5 "'), rel('rId5', 'hyperlink', METADATA)),
  decoyType: () => template(blip('r:link="rId5"'), `<Relationship Id="rId5" xType="${REL}/hyperlink" Type="${REL}/image" Target="${METADATA}" TargetMode="External"/>`),
  encodedTargetMode: () => template(blip('r:link="rId5"'), rel('rId5', 'image', METADATA, ' TargetMode="&#69;xternal"')),
  lowerCaseTargetMode: () => template(blip('r:link="rId5"'), rel('rId5', 'image', METADATA, ' TargetMode="external"')),
  urlWithoutTargetMode: () => template(blip('r:embed="rId5"'), rel('rId5', 'image', 'file:///etc/passwd', '')),
  prefixedRelationship: () =>
    simpleDocx(['{甲方}'], [{ name: 'word/_rels/document.xml.rels', data: rels(`<p:Relationship Id="rId5" Type="${REL}/image" Target="${METADATA}" TargetMode="External"/>`, ` xmlns:p="${PACKAGE_RELS}"`) }], blip('r:link="rId5"')),
  attachedTemplate: () =>
    template('', rel('rId1', 'settings', 'settings.xml', ''), [
      { name: 'word/settings.xml', data: `<w:settings xmlns:w="${W}" xmlns:r="${REL}"><w:attachedTemplate r:id="rId1"/></w:settings>` },
      { name: 'word/_rels/settings.xml.rels', data: rels(rel('rId1', 'attachedTemplate', 'http://169.254.169.254/t.dotx')) },
    ]),
  packageHyperlink: () =>
    buildZip([
      { name: '[Content_Types].xml', data: CONTENT_TYPES },
      { name: '_rels/.rels', data: rels(rel('rId1', 'officeDocument', 'word/document.xml', '') + rel('rId2', 'hyperlink', METADATA)) },
      { name: 'word/document.xml', data: `<w:document xmlns:w="${W}"><w:body><w:p/></w:body></w:document>` },
    ]),
};

const fields = {
  cdataIncludeText: () => template(field('<w:instrText><![CDATA[ INCLUDETEXT "/etc/passwd" ]]></w:instrText>')),
  referenceIncludePicture: () => template(field(`<w:instrText xml:space="preserve"> INCLUDEPI&#67;TURE "${METADATA}" \\d </w:instrText>`)),
  otherPrefixInstrText: () => template(field(`<v:instrText xmlns:v="${W}"> INCLUDETEXT "/etc/passwd" </v:instrText>`)),
  lowerCaseSplitIncludeText: () => template(field('<w:instrText> include</w:instrText></w:r><w:r><w:instrText>text "/etc/hosts" </w:instrText>')),
  simpleFieldLink: () => template(`<w:p><w:fldSimple w:instr="&#76;INK Excel.Sheet.8 &quot;file:///etc/passwd&quot; Sheet1 \\a"><w:r><w:t>x</w:t></w:r></w:fldSimple></w:p>`),
  simpleFieldDdeAuto: () => template(`<w:p><w:fldSimple w:instr=" DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe &quot;/c calc&quot; "/></w:p>`),
  importField: () => template(field(`<w:instrText> IMPORT "${METADATA}" </w:instrText>`)),
  oldIncludeField: () => template(field('<w:instrText> INCLUDE "/etc/passwd" </w:instrText>')),
  deletedInstruction: () => template(field('<w:delInstrText> INCLUDETEXT "/etc/passwd" </w:delInstrText>')),
};

const parts = {
  altChunk: () =>
    template('<w:altChunk r:id="rId7"/>', rel('rId7', 'aFChunk', 'chunk.docx', ''), [{ name: 'word/chunk.docx', data: 'PK' }]),
  headerNotNamedXml: () =>
    template('<w:sectPr><w:headerReference w:type="default" r:id="rId8"/></w:sectPr>', rel('rId8', 'header', 'header1.bin', ''), [
      { name: 'word/header1.bin', data: `<w:hdr xmlns:w="${W}">${field('<w:instrText> INCLUDETEXT "/etc/passwd" </w:instrText>')}</w:hdr>` },
    ]),
  utf16Relationships: () =>
    simpleDocx(['{甲方}'], [{ name: 'word/_rels/document.xml.rels', data: new Uint8Array(Buffer.from(`\uFEFF${rels(rel('rId5', 'image', METADATA)).replace('UTF-8', 'UTF-16')}`, 'utf16le')) }], blip('r:link="rId5"')),
  utf7Document: () =>
    buildZip([
      { name: '[Content_Types].xml', data: CONTENT_TYPES },
      { name: 'word/document.xml', data: `<?xml version="1.0" encoding="UTF-7"?><w:document xmlns:w="${W}"><w:body><w:p><w:r><w:t>+ADw-/w:t+AD4APA-w:instrText+AD4- INCLUDETEXT "/etc/passwd" +ADw-/w:instrText+AD4APA-w:t+AD4-</w:t></w:r></w:p></w:body></w:document>` },
    ]),
};

function refusal(make: () => Uint8Array): DocumentErrorCode[] {
  const docx = make();
  return [() => listDocxTagsInThread(docx), () => fillDocxInThread(docx, {})].map((call) => {
    try {
      call();
    } catch (err) {
      expect(err).toBeInstanceOf(DocumentError);
      return (err as DocumentError).code;
    }
    throw new Error('expected a DocumentError');
  });
}

describe('Word template content check (what LibreOffice would fetch or read)', () => {
  it.each(Object.entries(external))('external relationship: %s → DOCX_UNSAFE_CONTENT', (_name, make) => {
    expect(refusal(make)).toEqual(['DOCX_UNSAFE_CONTENT', 'DOCX_UNSAFE_CONTENT']);
  });

  it.each(Object.entries(fields))('field: %s → DOCX_UNSAFE_CONTENT', (_name, make) => {
    expect(refusal(make)).toEqual(['DOCX_UNSAFE_CONTENT', 'DOCX_UNSAFE_CONTENT']);
  });

  it.each<[string, DocumentErrorCode, () => Uint8Array]>([
    ['altChunk', 'DOCX_UNSAFE_CONTENT', parts.altChunk],
    ['headerNotNamedXml', 'DOCX_UNSAFE_CONTENT', parts.headerNotNamedXml],
    ['utf16Relationships', 'NOT_A_DOCX', parts.utf16Relationships],
    ['utf7Document', 'NOT_A_DOCX', parts.utf7Document],
  ])('part: %s → %s', (_name, code, make) => {
    expect(refusal(make)).toEqual([code, code]);
  });

  it('keeps a real external hyperlink (w:hyperlink), a HYPERLINK field and fields named like a keyword', () => {
    const docx = template(
      hyperlink('rId5', '{网址}') + field('<w:instrText xml:space="preserve"> HYPERLINK "https://example.com/合同" </w:instrText>') + field('<w:instrText> MERGEFIELD Linked </w:instrText>') + '<w:p><w:fldSimple w:instr=" PAGE "/></w:p>',
      rel('rId5', 'hyperlink', 'https://example.com/?a=1&amp;b=2'),
    );
    expect(listDocxTagsInThread(docx)).toEqual(['甲方', '网址']);
    const filled = fillDocxInThread(docx, { 甲方: '北京示例科技有限公司', 网址: 'example.com' });
    const text = (name: string) => new TextDecoder().decode(readDocxEntries(filled).find((e) => e.name === name)!.data);
    expect(text('word/document.xml')).toMatch(/<w:hyperlink r:id="rId5"><w:r><w:t[^>]*>example\.com<\/w:t>/);
    expect(text('word/_rels/document.xml.rels')).toContain('TargetMode="External"');
  });

  it('reads relationship ids per part: a header hyperlink may share its id with an image of the body', () => {
    const header = `<?xml version="1.0" encoding="utf-8"?><w:hdr xmlns:w="${W}" xmlns:r="${REL}">${hyperlink('rId5')}</w:hdr>`;
    const docx = template('<w:sectPr><w:headerReference w:type="default" r:id="rId8"/></w:sectPr>' + blip('r:embed="rId5"'), rel('rId5', 'image', 'media/image1.png', '') + rel('rId8', 'header', 'header1.xml', ''), [
      { name: 'word/header1.xml', data: `\uFEFF${header}` },
      { name: 'word/_rels/header1.xml.rels', data: rels(rel('rId5', 'hyperlink', 'https://example.com/')) },
      { name: 'word/media/image1.png', data: new Uint8Array(Buffer.from(PNG_1X1_BASE64, 'base64')) },
    ]);
    expect(listDocxTagsInThread(docx)).toEqual(['甲方']);
  });

  it('a relationships part that is not well-formed is NOT_A_DOCX', () => {
    const docx = template(blip('r:link="rId5"'), `<Relationship Id="rId5" Type="${REL}/hyperlink" Target=${METADATA} TargetMode="External"/>`);
    expect(refusal(() => docx)).toEqual(['NOT_A_DOCX', 'NOT_A_DOCX']);
  });
});

describe('PostScript and PDF parts, macro projects: refused whatever names them', () => {
  const picture = (name: string, data: string | Uint8Array) => template(blip('r:embed="rId5"'), rel('rId5', 'image', name.replace('word/', ''), ''), [{ name, data }]);
  it.each<[string, () => Uint8Array]>([
    ['an EPS image named .png', () => picture('word/media/image1.png', '%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n(/etc/passwd) (r) file\n')],
    ['a DOS EPS (binary header) named .emf', () => picture('word/media/image1.emf', new Uint8Array([0xc5, 0xd0, 0xd3, 0xc6, 0x20, 0, 0, 0]))],
    ['a PDF named .jpg', () => picture('word/media/image1.jpg', '%PDF-1.7\n1 0 obj\n<< >>\nendobj\n')],
    ['a PDF no relationship names', () => template('', '', [{ name: 'word/media/orphan.bin', data: '%PDF-1.4\n' }])],
    ['a PDF after 100 bytes of junk (PDF readers look for %PDF- in the first 1024 bytes)', () => picture('word/media/image1.png', `${'x'.repeat(100)}%PDF-1.4\n`)],
    ['a vbaProject relationship', () => template('', rel('rId9', 'vbaProject', 'vbaProject.bin', ''), [{ name: 'word/vbaProject.bin', data: new Uint8Array([0xd0, 0xcf, 0x11, 0xe0]) }])],
  ])('%s → DOCX_UNSAFE_CONTENT', (_name, make) => {
    expect(refusal(make)).toEqual(['DOCX_UNSAFE_CONTENT', 'DOCX_UNSAFE_CONTENT']);
  });

  it('keeps PNG, JPEG and EMF pictures', () => {
    const emf = emfHeader(64);
    for (const [name, data] of [['word/media/image1.png', Buffer.from(PNG_1X1_BASE64, 'base64')], ['word/media/image1.jpg', new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10])], ['word/media/image1.emf', emf]] as const) {
      expect(listDocxTagsInThread(picture(name, new Uint8Array(data)))).toEqual(['甲方']);
    }
  });
});

describe('pictures: PNG, JPEG, GIF, BMP, EMF or WMF; other binary parts never reach LibreOffice', () => {
  const picture = (name: string, data: string | Uint8Array) => template(blip('r:embed="rId5"'), rel('rId5', 'image', name.replace('word/', ''), ''), [{ name, data }]);
  const TIFF = new Uint8Array([0x49, 0x49, 0x2a, 0, 8, 0, 0, 0]);
  const PNG = new Uint8Array(Buffer.from(PNG_1X1_BASE64, 'base64'));

  it.each<[string, () => Uint8Array]>([
    ['a TIFF picture', () => picture('word/media/image1.tiff', TIFF)],
    ['a TIFF named .png', () => picture('word/media/image1.png', TIFF)],
    ['a PNG named .tga (name and bytes must agree)', () => picture('word/media/image1.tga', PNG)],
    ['a PCX behind an image relationship of the package', () =>
      buildZip([
        { name: '[Content_Types].xml', data: CONTENT_TYPES },
        { name: '_rels/.rels', data: rels(rel('rId1', 'officeDocument', 'word/document.xml', '') + rel('rId2', 'image', 'docProps/thumbnail.png', '')) },
        { name: 'word/document.xml', data: `<w:document xmlns:w="${W}"><w:body><w:p><w:r><w:t>{甲方}</w:t></w:r></w:p></w:body></w:document>` },
        { name: 'docProps/thumbnail.png', data: new Uint8Array([0x0a, 5, 1, 8, 0, 0, 0, 0]) },
      ])],
    ['an image relationship naming a part by a relative path with ../', () =>
      template('', '', [
        { name: 'word/header1.xml', data: `<w:hdr xmlns:w="${W}"/>` },
        { name: 'word/_rels/header1.xml.rels', data: rels(rel('rId1', 'image', '../media/x/../image7.png', '')) },
        { name: 'media/image7.png', data: TIFF },
      ])],
  ])('%s → DOCX_UNSAFE_CONTENT', (_name, make) => {
    expect(refusal(make)).toEqual(['DOCX_UNSAFE_CONTENT', 'DOCX_UNSAFE_CONTENT']);
  });

  const XBM = '#define x_width 16\n#define x_height 16\nstatic char x_bits[] = { 0xf0 };\n';
  it.each<[string, () => Uint8Array]>([
    ['an XML part holding XBM text, named .png behind an image relationship', () => picture('word/media/image1.png', `<a>\n${XBM}</a>`)],
    ['an XML part with an EPS signature in its first 30 bytes', () => picture('word/media/image1.png', '<a>%!PS-Adobe-3.0 EPSF-3.0\n</a>')],
    ['an XML part with PCD_IPI at byte 2048', () => picture('word/media/image1.png', `<a>${' '.repeat(2045)}PCD_IPI</a>`)],
    ['a header no relationship names as an image, with an XPM mark', () => template('', '', [{ name: 'word/header9.xml', data: `<w:hdr xmlns:w="${W}"><!-- /* XPM */ --></w:hdr>` }])],
    ['an SVG image carrying XBM text before its root (XBM is tested before SVG)', () => template('', '', [{ name: 'word/media/image2.svg', data: `<!-- ${XBM} --><svg xmlns="http://www.w3.org/2000/svg"/>` }])],
    ['a type-2 WMF header followed by XBM text (LibreOffice reads it as XBM)', () => picture('word/media/image1.wmf', new Uint8Array(Buffer.concat([Buffer.from([2, 0, 9, 0, 0, 3]), Buffer.from(XBM)])))],
  ])('%s → DOCX_UNSAFE_CONTENT', (_name, make) => {
    expect(refusal(make)).toEqual(['DOCX_UNSAFE_CONTENT', 'DOCX_UNSAFE_CONTENT']);
  });

  it('a value that makes the filled XML read as an image is refused when filling; carriage returns and characters XML forbids are not written', () => {
    const docx = template(blip('r:embed="rId5"'), rel('rId5', 'image', 'document.xml', ''));
    expect(listDocxTagsInThread(docx)).toEqual(['甲方']);
    let code: string | undefined;
    try {
      fillDocxInThread(docx, { 甲方: `\n${XBM}` });
    } catch (err) {
      code = (err as DocumentError).code;
    }
    expect(code).toBe('DOCX_UNSAFE_CONTENT');
    const filled = readDocxEntries(fillDocxInThread(docx, { 甲方: '第一行\r\n第二行\r第三行\u0001\u001f\uffff' })).find((e) => e.name === 'word/document.xml')!;
    const xml = new TextDecoder().decode(filled.data);
    expect(xml).toContain('第三行');
    expect([...xml].filter((c) => c === '\r' || notXmlText(c.charCodeAt(0)))).toEqual([]);
    expect(xml.match(/<w:br\/>/g)).toHaveLength(2);
  });

  it('LibreOffice gets every picture as it was checked: a JPEG declared with an XML content type is not rewritten as text by docxtemplater, an .emz is given inflated', () => {
    const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1, 0xff, 0xd9]);
    const docx = buildZip([
      { name: '[Content_Types].xml', data: CONTENT_TYPES.replace('</Types>', '<Override PartName="/word/media/image1.jpeg" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/></Types>') },
      { name: '_rels/.rels', data: rels(rel('rId1', 'officeDocument', 'word/document.xml', '')) },
      { name: 'word/document.xml', data: `<w:document xmlns:w="${W}" xmlns:r="${REL}"><w:body><w:p><w:r><w:t>{甲方}</w:t></w:r></w:p>${blip('r:embed="rId5"')}${blip('r:embed="rId6"')}</w:body></w:document>` },
      { name: 'word/_rels/document.xml.rels', data: rels(rel('rId5', 'image', 'media/image1.jpeg', '') + rel('rId6', 'image', 'media/image2.emz', '')) },
      { name: 'word/media/image1.jpeg', data: JPEG },
      { name: 'word/media/image2.emz', data: new Uint8Array(gzipSync(emfHeader(88))) },
    ]);
    const filled = new Map(readDocxEntries(fillDocxInThread(docx, { 甲方: '某某公司' })).map((entry) => [entry.name, Buffer.from(entry.data)]));
    expect(filled.get('word/media/image1.jpeg')!.equals(Buffer.from(JPEG))).toBe(true);
    expect(filled.get('word/media/image2.emz')!.equals(Buffer.from(emfHeader(88)))).toBe(true);
  });

  it('pictures declaring more pixels than LibreOffice should allocate are DOCX_TOO_COMPLEX: one over 50 million, or over 200 million together', () => {
    const many = (count: number, side: number) =>
      template(
        '',
        Array.from({ length: count }, (_, i) => rel(`rId${10 + i}`, 'image', `media/image${i}.png`, '')).join(''),
        Array.from({ length: count }, (_, i) => ({ name: `word/media/image${i}.png`, data: pngHeader(side, side + i) })),
      );
    expect(refusal(() => picture('word/media/image1.png', pngHeader(30_000, 30_000)))).toEqual(['DOCX_TOO_COMPLEX', 'DOCX_TOO_COMPLEX']);
    expect(refusal(() => many(5, 7000))).toEqual(['DOCX_TOO_COMPLEX', 'DOCX_TOO_COMPLEX']);
    expect(listDocxTagsInThread(many(4, 7000))).toEqual(['甲方']); // 196 million together
    // An EMF whose STRETCHDIBITS record carries an RLE8 bitmap of 25,000 × 25,000 (28 KB took LibreOffice 790 MB).
    const record = Buffer.alloc(120);
    record.writeUInt32LE(81, 0);
    record.writeUInt32LE(120, 4);
    record.writeUInt32LE(80, 48); // offBmiSrc
    record.writeUInt32LE(40, 52); // cbBmiSrc
    record.writeUInt32LE(40, 80);
    record.writeInt32LE(25_000, 84);
    record.writeInt32LE(25_000, 88);
    expect(refusal(() => picture('word/media/image1.emf', emfOf([record])))).toEqual(['DOCX_TOO_COMPLEX', 'DOCX_TOO_COMPLEX']);
    expect(listDocxTagsInThread(picture('word/media/image1.png', pngHeader(7000, 7000)))).toEqual(['甲方']);
  });

  it('says which picture and what to do', () => {
    expect(() => listDocxTagsInThread(picture('word/media/image1.tiff', TIFF))).toThrow('word/media/image1.tiff is not a PNG, JPEG, GIF, BMP, EMF or WMF image (by its bytes and name): save it as PNG or JPEG');
  });

  it('keeps fonts, printer settings and parts in other formats in the template, and withholds their bytes from the filled .docx LibreOffice converts', () => {
    const FONT = new Uint8Array(64).fill(0x5a); // an obfuscated font: no signature to read
    const docx = template(
      blip('r:embed="rId5"') + blip('r:embed="rId6"'),
      rel('rId5', 'image', 'media/image1.png', '') + rel('rId6', 'image', 'media/image2.emz', '') + rel('rId7', 'printerSettings', 'printerSettings/printerSettings1.bin', '') + rel('rId8', 'fontTable', 'fontTable.xml', ''),
      [
        { name: 'word/media/image1.png', data: PNG },
        { name: 'word/media/image2.emz', data: new Uint8Array(gzipSync(emfHeader(88))) },
        { name: 'word/printerSettings/printerSettings1.bin', data: new Uint8Array([0x0a, 5, 1, 8, 0, 0, 0, 0]) }, // PCX-like bytes where Word writes a DEVMODE
        { name: 'word/fontTable.xml', data: `<w:fonts xmlns:w="${W}" xmlns:r="${REL}"><w:font w:name="宋体"><w:embedRegular r:id="rId1" w:fontKey="{00000000-0000-0000-0000-000000000000}"/></w:font></w:fonts>` },
        { name: 'word/_rels/fontTable.xml.rels', data: rels(rel('rId1', 'font', 'fonts/font1.odttf', '')) },
        { name: 'word/fonts/font1.odttf', data: FONT },
        { name: 'word/media/orphan.tif', data: TIFF },
      ],
    );
    expect(listDocxTagsInThread(docx)).toEqual(['甲方']);
    const filled = new Map(readDocxEntries(fillDocxInThread(docx, { 甲方: '某某公司' })).map((entry) => [entry.name, entry.data.byteLength]));
    for (const name of ['word/document.xml', 'word/fontTable.xml', 'word/media/image1.png', 'word/media/image2.emz']) expect(filled.get(name), name).toBeGreaterThan(0);
    // Kept as empty parts: LibreOffice refuses a document whose embedded font part is missing.
    for (const name of ['word/printerSettings/printerSettings1.bin', 'word/fonts/font1.odttf', 'word/media/orphan.tif']) expect(filled.get(name), name).toBe(0);
  });
});

describe('embedded objects (OLE, ActiveX): refused by relationship and by element, either alone', () => {
  const STRICT_REL = 'http://purl.oclc.org/ooxml/officeDocument/relationships';
  const STRICT_W = 'http://purl.oclc.org/ooxml/wordprocessingml/main';
  const oleRel = (type: string, target = 'embeddings/oleObject1.bin') => `<Relationship Id="rId8" Type="${type}" Target="${target}"/>`;
  const oleObjectElement = (prefix = 'o') => `<${prefix}:OLEObject xmlns:${prefix}="${O}" Type="Embed" ProgID="Package" ShapeID="_x0000_i1025" ObjectID="_1"/>`;

  it.each<[string, () => Uint8Array]>([
    ['an oleObject relationship (transitional)', () => embeddedObjectDocx('', oleRel(`${REL}/oleObject`))],
    ['an oleObject relationship (strict)', () => embeddedObjectDocx('', oleRel(`${STRICT_REL}/oleObject`))],
    ['a linked (external) OLE object', () => embeddedObjectDocx('', `<Relationship Id="rId8" Type="${REL}/oleObject" Target="file:///C:/secret.xlsx" TargetMode="External"/>`)],
    ['a package relationship (an embedded workbook, strict)', () => embeddedObjectDocx('', oleRel(`${STRICT_REL}/package`, 'embeddings/Microsoft_Excel_Worksheet.xlsx'))],
    ['a control relationship', () => embeddedObjectDocx('', oleRel(`${REL}/control`, 'activeX/activeX1.xml'), [{ name: 'word/activeX/activeX1.xml', data: '<ax:ocx xmlns:ax="http://schemas.microsoft.com/office/2006/activeX"/>' }])],
    ['an activeXControlBinary relationship (Microsoft namespace), in the control part\'s relationships', () =>
      embeddedObjectDocx('', '', [{ name: 'word/activeX/_rels/activeX1.xml.rels', data: rels(oleRel('http://schemas.microsoft.com/office/2006/relationships/activeXControlBinary', 'activeX1.bin')) }])],
    ['<w:object> alone', () => embeddedObjectDocx(OLE_OBJECT.replace(/ r:id="rId\d"/g, ''), '')],
    ['<w:object> in the strict namespace under another prefix', () => embeddedObjectDocx(`<w:p><w:r><s:object xmlns:s="${STRICT_W}"/></w:r></w:p>`, '')],
    ['<w:object> in the Fallback of mc:AlternateContent', () =>
      embeddedObjectDocx('<w:p><w:r><mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><mc:Choice Requires="w14"/><mc:Fallback><w:object/></mc:Fallback></mc:AlternateContent></w:r></w:p>', '')],
    ['<w:control> alone', () => embeddedObjectDocx('<w:p><w:r><w:control w:name="TextBox1"/></w:r></w:p>', '')],
    ['<o:OLEObject> alone (no <w:object>)', () => embeddedObjectDocx(`<w:p><w:r><w:pict>${oleObjectElement()}</w:pict></w:r></w:p>`, '')],
    ['<o:OLEObject> under another prefix', () => embeddedObjectDocx(`<w:p><w:r><w:pict>${oleObjectElement('x')}</w:pict></w:r></w:p>`, '')],
    ['<w:object> in a header', () =>
      template('<w:sectPr><w:headerReference w:type="default" r:id="rId8"/></w:sectPr>', rel('rId8', 'header', 'header1.xml', ''), [{ name: 'word/header1.xml', data: `<w:hdr xmlns:w="${W}">${OLE_OBJECT.replace(/ r:id="rId\d"/g, '')}</w:hdr>` }])],
    // LibreOffice finds a header by its relationship id whatever the Type: a <w:hdr> named like an image behind an
    // `image` relationship is rendered as the header (the reviewer's probe printed its text in the PDF).
    ['<w:object> in a header named media/header.png behind an image relationship', () =>
      template('<w:sectPr><w:headerReference w:type="default" r:id="rId8"/></w:sectPr>', rel('rId8', 'image', 'media/header.png', ''), [{ name: 'word/media/header.png', data: `<w:hdr xmlns:w="${W}">${OLE_OBJECT.replace(/ r:id="rId\d"/g, '')}</w:hdr>` }])],
  ])('%s → DOCX_UNSAFE_CONTENT', (_name, make) => {
    expect(refusal(make)).toEqual(['DOCX_UNSAFE_CONTENT', 'DOCX_UNSAFE_CONTENT']);
  });

  it('says why in the message', () => {
    expect(() => listDocxTagsInThread(embeddedObjectDocx(OLE_OBJECT.replace(/ r:id="rId\d"/g, ''), ''))).toThrow('embedded objects (OLE, ActiveX) are not allowed in a template');
  });

  it('keeps elements of the same local names in other namespaces, and the words in text', () => {
    const docx = template(`<w:p><w:r><w:t>object control OLEObject</w:t></w:r></w:p><w:p><w:customXml w:element="object"><w:r><w:t>x</w:t></w:r></w:customXml></w:p>`, '', [
      { name: 'customXml/item1.xml', data: '<c:root xmlns:c="urn:example"><c:object/><c:control/><c:OLEObject/></c:root>' },
    ]);
    expect(listDocxTagsInThread(docx)).toEqual(['甲方']);
  });
});

describe('SVG images: found by content type, name or bytes, whatever refers to them', () => {
  const HOSTILE_SVG = svgImage('<image href="file:///etc/passwd"/>');
  /** Not read as SVG by its bytes (text before the root), so only its declaration or name makes it one. */
  const UNSNIFFABLE = `x${HOSTILE_SVG}`;

  it.each<[string, () => Uint8Array]>([
    ['declared image/svg+xml by an Override, named .bin', () =>
      buildZip([
        { name: '[Content_Types].xml', data: CONTENT_TYPES.replace('</Types>', '<Override PartName="/word/media/image9.bin" ContentType="image/svg+xml; charset=utf-8"/></Types>') },
        { name: 'word/document.xml', data: `<w:document xmlns:w="${W}"><w:body><w:p/></w:body></w:document>` },
        { name: 'word/media/image9.bin', data: UNSNIFFABLE },
      ])],
    ['named .svg, not declared', () => svgPictureDocx(UNSNIFFABLE, { declare: false })],
    ['named .SVGZ', () => svgPictureDocx(UNSNIFFABLE, { name: 'media/image2.SVGZ', declare: false })],
    ['an SVG named .xml that an image relationship names', () => svgPictureDocx(HOSTILE_SVG, { name: 'media/image2.xml', declare: false })],
    ['an SVG no relationship names (an r:embed may name any part)', () => template('', '', [{ name: 'word/media/orphan.dat', data: HOSTILE_SVG }])],
    ['an SVG with a byte order mark, a comment and a prefixed root', () => template('', '', [{ name: 'word/media/image3.png', data: `\uFEFF<!-- x --><s:svg xmlns:s="http://www.w3.org/2000/svg"><s:image href="file:///etc/passwd"/></s:svg>` }])],
    ['an SVG in UTF-16 named .png', () => template('', '', [{ name: 'word/media/image3.png', data: new Uint8Array(Buffer.from(`\uFEFF${HOSTILE_SVG.replace('UTF-8', 'UTF-16')}`, 'utf16le')) }])],
  ])('%s → DOCX_UNSAFE_CONTENT', (_name, make) => {
    expect(refusal(make)).toEqual(['DOCX_UNSAFE_CONTENT', 'DOCX_UNSAFE_CONTENT']);
  });

  it('keeps a compressed EMF (.emz, which Word may write) and a PNG holding "<svg" bytes', () => {
    const emf = emfHeader(88);
    const png = new Uint8Array([...Buffer.from(PNG_1X1_BASE64, 'base64'), ...new TextEncoder().encode('<svg onload="x">')]);
    const docx = template('', '', [{ name: 'word/media/image1.emz', data: new Uint8Array(gzipSync(emf)) }, { name: 'word/media/image2.png', data: png }]);
    expect(listDocxTagsInThread(docx)).toEqual(['甲方']);
  });

  it('the starts of gzip parts, decompressed to tell an .svgz from an .emz, count against the decoded-bytes budget', () => {
    // 1 KiB of deflate data from an EMF of zeros: the sniff decompressed ~1 MiB from each, and 1,000 such parts
    // (one 1 MB upload) allocated 1 GB before the template was taken (their bytes then withheld from LibreOffice).
    const gzip = gzipSync(Buffer.concat([emfHeader(88), Buffer.alloc(4 * 1024 * 1024)]), { level: 9 });
    const part = new Uint8Array(gzip.subarray(0, 10 + 1024));
    const docx = template('', '', Array.from({ length: 200 }, (_, i) => ({ name: `word/media/blob${i}.bin`, data: part })));
    expect(refusal(() => docx)).toEqual(['DOCX_TOO_COMPLEX', 'DOCX_TOO_COMPLEX']);
    expect(() => listDocxTagsInThread(docx)).toThrow(`its compressed parts decompress to more than ${DEFAULT_DOCX_LIMITS.maxTotalBytes} bytes`);
    // A few such parts are within it (and withheld: no picture by their name).
    expect(listDocxTagsInThread(template('', '', [{ name: 'word/media/blob.bin', data: part }]))).toEqual(['甲方']);
  });

  it('an SVG found by its bytes gets the XML budgets, not the ones of images', () => {
    const docx = svgPictureDocx(svgImage('<rect width="1" height="1"/>'.repeat(5000)), { name: 'media/image2.png', declare: false });
    expect(listDocxTagsInThread(docx)).toEqual(['甲方']);
    let code: string | undefined;
    try {
      listDocxTagsInThread(docx, { ...DEFAULT_DOCX_LIMITS, maxXmlBytes: 64 * 1024 });
    } catch (err) {
      code = (err as DocumentError).code;
    }
    expect(code).toBe('DOCX_TOO_COMPLEX');
  });
});
