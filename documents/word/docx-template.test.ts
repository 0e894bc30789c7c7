import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { buildPurchaseContractDocx, PURCHASE_TEMPLATE_TAGS } from '../../templates/demo/build-purchase-docx';
import { DocumentError } from '../errors';
import { closeDocumentWorkers } from '../pool/pdf-tasks';
import { fillDocx, listDocxTags } from '../pool/word-tasks';
import { readDocxEntries } from './docx-archive';
import { fillDocxInThread, listDocxTagsInThread } from './docx-template';
import { hostileDocx, simpleDocx } from './hostile-docx';

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
    ['500,000 unclosed field instruction tags', hostileDocx.unclosedFieldTags, 'NOT_A_DOCX'],
    ['500,000 unclosed simple fields', hostileDocx.unclosedSimpleFields, 'NOT_A_DOCX'],
    ['440,000 tag occurrences', hostileDocx.manyTagOccurrences, 'DOCX_TOO_COMPLEX'],
    ['an encrypted entry', hostileDocx.encrypted, 'NOT_A_DOCX'],
    ['a checksum mismatch', hostileDocx.badChecksum, 'NOT_A_DOCX'],
  ])('%s → %s in well under a second', (_name, make, code) => {
    const docx = make();
    for (const run of [() => listDocxTagsInThread(docx), () => fillDocxInThread(docx, {})]) {
      const { err, ms } = refusal(run);
      expect(err.code).toBe(code);
      expect(ms).toBeLessThan(500);
    }
  });

  it('a relationships part of 400,000 unclosed tags is refused as malformed in one pass (the content check was quadratic: 15–22 s)', () => {
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
