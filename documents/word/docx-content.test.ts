import { describe, expect, it } from 'vitest';
import { DocumentError, type DocumentErrorCode } from '../errors';
import { readDocxEntries } from './docx-archive';
import { fillDocxInThread, listDocxTagsInThread } from './docx-template';
import { buildZip, CONTENT_TYPES, simpleDocx, type RawEntry } from './hostile-docx';

/**
 * The content check against templates that would make LibreOffice fetch a URL or read a local file while
 * converting: external relationships used from anywhere but `w:hyperlink`, the regex bypasses of the former
 * check (decoy attributes, character references, prefixes, CDATA), fields that include content, and XML
 * parts the check would otherwise not read (another encoding, another file name).
 */

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PACKAGE_RELS = 'http://schemas.openxmlformats.org/package/2006/relationships';
const A = 'http://schemas.openxmlformats.org/drawingml/2006/main';
const V = 'urn:schemas-microsoft-com:vml';
const O = 'urn:schemas-microsoft-com:office:office';
const METADATA = 'http://169.254.169.254/latest/meta-data/iam/security-credentials/';

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
      { name: 'word/media/image1.png', data: new Uint8Array([0x89, 0x50, 0x4e, 0x47]) },
    ]);
    expect(listDocxTagsInThread(docx)).toEqual(['甲方']);
  });

  it('a relationships part that is not well-formed is NOT_A_DOCX', () => {
    const docx = template(blip('r:link="rId5"'), `<Relationship Id="rId5" Type="${REL}/hyperlink" Target=${METADATA} TargetMode="External"/>`);
    expect(refusal(() => docx)).toEqual(['NOT_A_DOCX', 'NOT_A_DOCX']);
  });
});
