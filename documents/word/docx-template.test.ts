import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { buildPurchaseContractDocx, PURCHASE_TEMPLATE_TAGS } from '../../templates/demo/build-purchase-docx';
import { DocumentError } from '../errors';
import { closeDocumentWorkers } from '../pool/pdf-tasks';
import { fillDocx, listDocxTags } from '../pool/word-tasks';
import { DEFAULT_DOCX_LIMITS, readDocxEntries } from './docx-archive';
import { fillDocxInThread, listDocxTagsInThread } from './docx-template';
import { buildZip, CONTENT_TYPES, documentXml, hostileDocx, mainPartNotNamedXml, PNG_1X1_BASE64, pngHeader, ROOT_RELS, simpleDocx, svgImage, svgPictureDocx } from './hostile-docx';

afterAll(() => closeDocumentWorkers(0));

const fixture = new Uint8Array(fs.readFileSync(new URL('../../templates/demo/purchase-contract.docx', import.meta.url)));
const documentText = (docx: Uint8Array) => new TextDecoder().decode(readDocxEntries(docx).find((e) => e.name === 'word/document.xml')!.data);

function refusal(run: () => unknown): { err: DocumentError; ms: number } {
  const started = performance.now();
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(DocumentError);
    return { err: err as DocumentError, ms: performance.now() - started };
  }
  throw new Error('expected a DocumentError');
}

describe('Word templates (docxtemplater on a budgeted zip)', () => {
  it('the committed demo fixture is what build-purchase-docx.ts builds, and lists its tags in document order', () => {
    expect(Buffer.from(buildPurchaseContractDocx()).equals(Buffer.from(fixture))).toBe(true);
    expect(listDocxTagsInThread(fixture).sort()).toEqual([...PURCHASE_TEMPLATE_TAGS].sort());
    expect(listDocxTagsInThread(fixture)[0]).toBe('合同编号');
  });

  it('fills Chinese values, keeps the signing keywords, turns \\n into line breaks and leaves missing values empty', () => {
    const filled = fillDocxInThread(fixture, { 甲方名称: '北京示例科技有限公司', 总金额大写: '壹万贰仟叁佰肆拾伍元陆角柒分', 交货地点: '北京市海淀区\n中关村大街1号', '<b>': 'x' });
    const xml = documentText(filled);
    expect(xml).toContain('北京示例科技有限公司');
    expect(xml).toContain('壹万贰仟叁佰肆拾伍元陆角柒分');
    expect(xml).toMatch(/北京市海淀区<\/w:t><\/w:r><w:r>(<w:rPr>.*?<\/w:rPr>)?<w:br\/>/);
    expect(xml).toContain('甲方（盖章）：');
    expect(xml).not.toMatch(/\{[^}]*\}/); // every tag replaced (missing ones by '')
    expect(listDocxTagsInThread(filled)).toEqual([]);
  });

  it('values that would make a part larger than the XML budget are refused (DOCX_FILLED_TOO_LARGE), not handed to LibreOffice', () => {
    // 4,000 occurrences of one tag (within the 5,000 budget of "{"), each filled with 2,000 characters: ~24 MB of XML.
    const docx = simpleDocx(Array.from({ length: 4_000 }, () => '{说明}'));
    expect(() => fillDocxInThread(docx, { 说明: '长'.repeat(2_000) })).toThrow(expect.objectContaining({ code: 'DOCX_FILLED_TOO_LARGE' }));
    // The same template with short values fills.
    expect(fillDocxInThread(docx, { 说明: '短' }).byteLength).toBeGreaterThan(0);
    // Spread over the document and two headers (each part under the per-part budget once filled): the total is bounded too.
    const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
    const header = (n: number) => ({ name: `word/header${n}.xml`, data: documentXml(Array.from({ length: 1_200 }, () => '{说明}')).replace(/w:document/g, 'w:hdr') });
    const rels = {
      name: 'word/_rels/document.xml.rels',
      data: `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId8" Type="${REL}/header" Target="header1.xml"/><Relationship Id="rId9" Type="${REL}/header" Target="header2.xml"/></Relationships>`,
    };
    const headerType = 'application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml';
    const types = CONTENT_TYPES.replace('</Types>', `<Override PartName="/word/header1.xml" ContentType="${headerType}"/><Override PartName="/word/header2.xml" ContentType="${headerType}"/></Types>`);
    const spread = buildZip([
      { name: '[Content_Types].xml', data: types },
      { name: '_rels/.rels', data: ROOT_RELS },
      { name: 'word/document.xml', data: documentXml(Array.from({ length: 1_200 }, () => '{说明}')) },
      rels,
      header(1),
      header(2),
    ]);
    expect(listDocxTagsInThread(spread)).toEqual(['说明']);
    expect(() => fillDocxInThread(spread, { 说明: '长'.repeat(2_000) })).toThrow(expect.objectContaining({ code: 'DOCX_FILLED_TOO_LARGE', message: expect.stringMatching(/in all/) }));
  });

  it('values are text, never markup', () => {
    const filled = fillDocxInThread(simpleDocx(['{a}']), { a: '</w:t><w:r>&amp;<evil/>' });
    expect(documentText(filled)).toContain('&lt;/w:t&gt;&lt;w:r&gt;&amp;amp;&lt;evil/&gt;');
  });

  it('malformed and unsupported tags are DOCX_TEMPLATE_INVALID', () => {
    expect(refusal(() => listDocxTagsInThread(simpleDocx(['甲方：{甲方名称']))).err.code).toBe('DOCX_TEMPLATE_INVALID');
    expect(refusal(() => listDocxTagsInThread(simpleDocx(['{#items}', '{name}', '{/items}']))).err.code).toBe('DOCX_TEMPLATE_INVALID');
    expect(refusal(() => listDocxTagsInThread(simpleDocx(['{@raw}']))).err.code).toBe('DOCX_TEMPLATE_INVALID');
  });

  it.each<[string, () => Uint8Array, string]>([
    ['not a zip', hostileDocx.notAZip, 'NOT_A_DOCX'],
    ['a zip without word/document.xml', hostileDocx.zipWithoutDocument, 'NOT_A_DOCX'],
    ['a zip bomb that declares its size', hostileDocx.honestBomb, 'DOCX_TOO_COMPLEX'],
    ['a zip bomb that lies about its size', hostileDocx.lyingBomb, 'DOCX_TOO_COMPLEX'],
    ['document.xml lying about its size', hostileDocx.lyingXmlBomb, 'DOCX_TOO_COMPLEX'],
    ['too many entries', () => hostileDocx.tooManyEntries(), 'DOCX_TOO_COMPLEX'],
    ['huge XML', hostileDocx.hugeXml, 'DOCX_TOO_COMPLEX'],
    ['a DTD with nested entities', hostileDocx.billionLaughs, 'DOCX_UNSAFE_CONTENT'],
    ['an externally linked image', hostileDocx.externalImage, 'DOCX_UNSAFE_CONTENT'],
    ['an INCLUDETEXT field split across runs', hostileDocx.includeTextField, 'DOCX_UNSAFE_CONTENT'],
    // Not well-formed XML: refused by the content check's parser before docxtemplater sees it.
    ['90,000 unclosed field instruction tags', hostileDocx.unclosedFieldTags, 'NOT_A_DOCX'],
    ['90,000 unclosed simple fields', hostileDocx.unclosedSimpleFields, 'NOT_A_DOCX'],
    ['1.3 million empty runs (over the XML tag budget)', hostileDocx.manyEmptyRuns, 'DOCX_TOO_COMPLEX'],
    ['440,000 tag occurrences', hostileDocx.manyTagOccurrences, 'DOCX_TOO_COMPLEX'],
    ['80,000 tag occurrences in a main document named word/document.dat', hostileDocx.manyTagsNotNamedXml, 'DOCX_TOO_COMPLEX'],
    ['an encrypted entry', hostileDocx.encrypted, 'NOT_A_DOCX'],
    ['a checksum mismatch', hostileDocx.badChecksum, 'NOT_A_DOCX'],
    // SVG pictures (beside their PNG fallback) that LibreOffice would render: svg-content.ts.
    ['an SVG image reading a local file (<image href="file:///etc/passwd">)', hostileDocx.svgLocalFile, 'DOCX_UNSAFE_CONTENT'],
    ['an SVG image fetching a URL (<image xlink:href="http://…">)', hostileDocx.svgRemoteImage, 'DOCX_UNSAFE_CONTENT'],
    ['an SVG image using a remote element (<use href="http://…#x">)', hostileDocx.svgRemoteUse, 'DOCX_UNSAFE_CONTENT'],
    ['an SVG image importing a style sheet (@import in <style>)', hostileDocx.svgStyleImport, 'DOCX_UNSAFE_CONTENT'],
    ['an SVG image with url(file:…) in a style attribute', hostileDocx.svgStyleAttributeUrl, 'DOCX_UNSAFE_CONTENT'],
    ['an SVG image with a <script>', hostileDocx.svgScript, 'DOCX_UNSAFE_CONTENT'],
    ['an SVG image with a <foreignObject>', hostileDocx.svgForeignObject, 'DOCX_UNSAFE_CONTENT'],
    ['an SVG image with an onload attribute', hostileDocx.svgEventHandler, 'DOCX_UNSAFE_CONTENT'],
    ['an SVG image with an external entity (a DTD)', hostileDocx.svgExternalEntity, 'DOCX_UNSAFE_CONTENT'],
    ['an SVG image with an entity-encoded xlink:href ("&#104;ttp:")', hostileDocx.svgEncodedHref, 'DOCX_UNSAFE_CONTENT'],
    ['an SVG image named and declared as a PNG (found by its bytes)', hostileDocx.svgNamedPng, 'DOCX_UNSAFE_CONTENT'],
    ['a gzip-compressed SVG image (svgz) named .emz', hostileDocx.svgz, 'DOCX_UNSAFE_CONTENT'],
    // Embedded objects: docx-content.ts.
    ['an OLE object (<w:object>, <o:OLEObject>, oleObject relationship)', hostileDocx.oleObject, 'DOCX_UNSAFE_CONTENT'],
    ['an embedded workbook (only its package relationship)', hostileDocx.embeddedPackage, 'DOCX_UNSAFE_CONTENT'],
    ['an OLE object (only its <w:object> element)', hostileDocx.oleElementOnly, 'DOCX_UNSAFE_CONTENT'],
    ['an ActiveX control', hostileDocx.activeXControl, 'DOCX_UNSAFE_CONTENT'],
  ])('%s → %s in well under a second', (_name, make, code) => {
    const docx = make();
    for (const run of [() => listDocxTagsInThread(docx), () => fillDocxInThread(docx, {})]) {
      const { err, ms } = refusal(run);
      expect(err.code).toBe(code);
      expect(ms).toBeLessThan(500);
    }
  });

  it('a relationships part of 90,000 unclosed tags is refused as malformed in one pass (the content check was quadratic: 15–22 s for 400,000)', () => {
    const docx = hostileDocx.unclosedRelationships();
    const { err, ms } = refusal(() => listDocxTagsInThread(docx));
    expect(err.code).toBe('NOT_A_DOCX');
    expect(ms).toBeLessThan(500);
  });

  it('an upload over the compressed size limit is refused before it is read', () => {
    expect(refusal(() => readDocxEntries(fixture, { maxCompressedBytes: 1000, maxEntries: 10, maxEntryBytes: 1e6, maxXmlBytes: 1e6, maxTotalBytes: 1e6 })).err.code).toBe('DOCX_TOO_COMPLEX');
  });

  it('runs in the document worker threads with the same results and refusals; the caller keeps its bytes', async () => {
    expect(await listDocxTags(fixture)).toEqual(listDocxTagsInThread(fixture));
    const filled = await fillDocx(fixture, { 合同编号: 'CG-2026-0001' });
    expect(documentText(filled)).toContain('CG-2026-0001');
    expect(fixture.byteLength).toBeGreaterThan(0);
    const started = performance.now();
    await expect(listDocxTags(hostileDocx.lyingBomb())).rejects.toMatchObject({ name: 'DocumentError', code: 'DOCX_TOO_COMPLEX' });
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('XML budgets apply to every part read as XML, whatever its name', () => {
  const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
  const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
  const manyTags = documentXml(Array.from({ length: 20_000 }, () => '{a}{b}{c}{d}'));
  const documentRels = (body: string) => ({ name: 'word/_rels/document.xml.rels', data: `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${body}</Relationships>` });
  const bytes = (length: number, first: number[], fill: number) => {
    const data = new Uint8Array(length).fill(fill);
    data.set(first);
    return data;
  };

  it.each<[string, () => Uint8Array]>([
    ['declared by an Override', () => mainPartNotNamedXml(manyTags)],
    ['declared by a Default of its extension', () => mainPartNotNamedXml(manyTags, 'default')],
    ['declared, and not even starting like XML (docxtemplater compiles it all the same)', () => mainPartNotNamedXml(`x${manyTags}`)],
    ['only targeted by a header relationship, looking like XML (LibreOffice reads it)', () =>
      simpleDocx(['{甲方}'], [documentRels(`<Relationship Id="rId8" Type="${REL}/header" Target="header1.bin"/>`), { name: 'word/header1.bin', data: manyTags.replace('w:document', 'w:hdr') }])],
  ])('80,000 tags in a part not named .xml, %s → DOCX_TOO_COMPLEX in under a second', (_name, make) => {
    const docx = make();
    for (const run of [() => listDocxTagsInThread(docx), () => fillDocxInThread(docx, {})]) {
      const { err, ms } = refusal(run);
      expect(err.code).toBe('DOCX_TOO_COMPLEX');
      expect(ms).toBeLessThan(1000);
    }
  });

  it('a part not named .xml gets the XML size budget, not the one of images', () => {
    const docx = mainPartNotNamedXml(documentXml(Array.from({ length: 100 }, () => 'x'.repeat(1000))));
    const limits = { ...DEFAULT_DOCX_LIMITS, maxXmlBytes: 64 * 1024 };
    expect(refusal(() => listDocxTagsInThread(docx, limits)).err.code).toBe('DOCX_TOO_COMPLEX');
    expect(listDocxTagsInThread(docx)).toEqual([]);
  });

  it('a main document not named .xml with few tags is still a template (classified, not refused)', () => {
    expect(listDocxTagsInThread(mainPartNotNamedXml(documentXml(['{甲方}'])))).toEqual(['甲方']);
  });

  it('a template with a legitimate SVG picture and its PNG fallback (as Word 2016+ writes it) still lists and fills its tags, the images untouched', () => {
    const svg = svgImage(`<defs><linearGradient id="g"><stop offset="0" stop-color="#c00"/></linearGradient></defs><rect id="a" width="50" height="40" fill="url(#g)"/><use href="#a" x="60"/><image width="1" height="1" xlink:href="data:image/png;base64,${PNG_1X1_BASE64}"/>`);
    const docx = svgPictureDocx(svg);
    expect(listDocxTagsInThread(docx)).toEqual(['甲方']);
    const filled = fillDocxInThread(docx, { 甲方: '北京示例科技有限公司' });
    expect(documentText(filled)).toContain('甲方：北京示例科技有限公司');
    expect(documentText(filled)).toContain('<asvg:svgBlip');
    expect(new TextDecoder().decode(readDocxEntries(filled).find((e) => e.name === 'word/media/image2.svg')!.data)).toBe(svg);
  });

  it('a normal template still lists and fills its tags', () => {
    const docx = simpleDocx(['甲方：{甲方}', '乙方：{乙方}']);
    expect(listDocxTagsInThread(docx)).toEqual(['甲方', '乙方']);
    expect(documentText(fillDocxInThread(docx, { 甲方: '北京示例科技有限公司' }))).toContain('甲方：北京示例科技有限公司');
  });

  it('binary media keep the budgets of binary entries: a 9 MiB PNG with 20,000 "{" bytes and a font starting with "<"', () => {
    const png = bytes(9 * 1024 * 1024, [...pngHeader(100, 100), ...new Array<number>(20_000).fill(0x7b)], 0);
    // An obfuscated font: 32 bytes scrambled by a key (random: here `<` and `{`s), then the TrueType tables (binary).
    const font = bytes(64 * 1024, [0x3c, ...new Array<number>(31).fill(0x7b), 0x00, 0x01, 0x00, 0x00, 0x00, 0x0e, 0x80, 0x00, 0xff], 0x7b);
    const contentTypes = CONTENT_TYPES.replace('</Types>', '<Default Extension="png" ContentType="image/png"/><Default Extension="odttf" ContentType="application/vnd.openxmlformats-officedocument.obfuscatedFont"/></Types>');
    const blip = `<w:p><w:r><w:drawing><a:blip xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" r:embed="rId5"/></w:drawing></w:r></w:p>`;
    const docx = buildZip([
      { name: '[Content_Types].xml', data: contentTypes },
      { name: '_rels/.rels', data: ROOT_RELS },
      { name: 'word/document.xml', data: documentXml(['{甲方}'], blip) },
      documentRels(`<Relationship Id="rId5" Type="${REL}/image" Target="media/image1.png"/><Relationship Id="rId6" Type="${REL}/fontTable" Target="fontTable.xml"/>`),
      { name: 'word/media/image1.png', data: png },
      { name: 'word/fontTable.xml', data: `<w:fonts xmlns:w="${W}" xmlns:r="${REL}"><w:font w:name="SimSun"><w:embedRegular r:id="rId1"/></w:font></w:fonts>` },
      { name: 'word/_rels/fontTable.xml.rels', data: `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/font" Target="fonts/font1.odttf"/></Relationships>` },
      { name: 'word/fonts/font1.odttf', data: font },
    ]);
    expect(listDocxTagsInThread(docx)).toEqual(['甲方']);
    const filled = fillDocxInThread(docx, { 甲方: '北京示例科技有限公司' });
    expect(documentText(filled)).toContain('北京示例科技有限公司');
    expect(Buffer.from(readDocxEntries(filled).find((e) => e.name === 'word/media/image1.png')!.data).equals(Buffer.from(png))).toBe(true);
  });
});
