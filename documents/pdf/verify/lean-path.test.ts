import { Buffer } from 'node:buffer';
import * as L from 'pdf-lib';
import { PDFDict, PDFDocument as IncrementalDocument, PDFHexString, PDFName, PDFRef } from 'pdf-lib-incremental-save';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CertificateAuthority } from '../../../integrations/ca/certificate-authority';
import { renderNameSeal } from '../../seals/name-seal';
import { appendUpdate, byteRangeComments, deepNesting, fieldTreeBomb, flateBomb, pageTreeBomb, rawPdf, xrefStreamSizeBomb } from '../hostile-pdfs';
import { prepareForSigning } from '../normalize-pdf';
import { signPdf, signPdfWithPdfLib, type SignPdfInput } from '../sign-pdf';
import { makeCa, makePdf, makeSigner } from '../test-helpers';
import { MAX_SIGNATURES_CHECKED, verifyPdf, verifyPdfGeneral } from '../verify-pdf';
import { leanAnalyse } from './lean-analysis';

/**
 * The lean verification path against the general (pdf-lib) path, file by file: the same report
 * for every signed, modified and hostile fixture, and the lean path taken exactly for the plain
 * files with nothing changed after a signature (it answers null — "the general path decides" —
 * for everything else).
 */

type Fixture = { name: string; pdf: Uint8Array; lean: boolean };

describe('lean verification path', () => {
  let ca: CertificateAuthority;
  let foreign: CertificateAuthority;
  let roots: { trustedRootsPem: string[] };
  let png: Uint8Array;
  const fixtures: Fixture[] = [];
  const add = (name: string, pdf: Uint8Array, lean: boolean) => fixtures.push({ name, pdf, lean });

  beforeAll(async () => {
    [ca, foreign] = await Promise.all([makeCa('SealFlow'), makeCa('Foreign')]);
    roots = { trustedRootsPem: [ca.rootCertificatePem()] };
    png = await renderNameSeal('张三');
    const [zhang, li, wang, zhao] = await Promise.all([makeSigner(ca, '张三'), makeSigner(ca, '李四'), makeSigner(ca, '王五'), makeSigner(foreign, '赵六')]);
    const sign = (pdf: Uint8Array, signer: SignPdfInput['signer'], fieldName: string, page = 1, extra: Partial<SignPdfInput> = {}) =>
      signPdf({ pdf, signer, fieldName, signerName: fieldName, appearance: { page, x: 60, y: 60, width: 57, height: 57, png }, ...extra });

    const ten = await prepareForSigning(await makePdf({ pages: 10 }));
    const two = await prepareForSigning(await makePdf({ pages: 2 }));
    const once = await sign(ten, zhang, '签署方1', 10);
    const twice = await sign(once, li, '签署方2', 10);
    const twoSigned = await sign(await sign(two, zhang, '签署方1'), li, '签署方2', 2);

    // Plain files: the lean path answers.
    add('unsigned, prepared', ten, true);
    add('one signature', once, true);
    add('two signatures, 10 pages', twice, true);
    add('three signatures', await sign(twoSigned, wang, '签署方3', 2), true);
    add('foreign CA', await sign(two, zhao, '外部'), true);
    add('platform + foreign', await sign(await sign(two, zhao, '外部'), li, '平台'), true);
    add('backdated before the certificate', await sign(two, wang, 'old', 1, { signingTime: new Date(Date.now() - 3 * 86_400_000) }), true);
    add('several marks + 骑缝章 in one signature', await sign(ten, zhang, '签署方1', 1, { appearances: [{ page: 3, x: 100, y: 100, width: 57, height: 57, png }], riding: [{ pageFrom: 1, pageTo: 4, y: 300, width: 80, height: 80, png }] }), true);
    add('signed by the pdf-lib writer', await signPdfWithPdfLib({ pdf: two, signer: zhang, fieldName: '签署方1', signerName: '张三', appearance: { page: 1, x: 60, y: 60, width: 57, height: 57, png } }), true);
    add('trailing CRLF', Buffer.concat([twice, Buffer.from('\r\n')]), true);
    const tampered = Buffer.from(twice);
    tampered[tampered.indexOf('841.89', 0, 'latin1') + 5] = '8'.charCodeAt(0);
    add('a byte changed inside the signed range', tampered, true);
    const badValue = Buffer.from(twice);
    const hexAt = badValue.indexOf('<30', badValue.lastIndexOf('/ByteRange', undefined, 'latin1'), 'latin1');
    badValue[hexAt + 300] = badValue[hexAt + 300] === 0x61 ? 0x62 : 0x61;
    add('a byte changed inside the signature value', badValue, true);
    {
      const doc = await L.PDFDocument.load(twice);
      const catalogRef = doc.context.trailerInfo.Root as L.PDFRef;
      const size = doc.context.largestObjectNumber + 1;
      const catalog = doc.catalog.toString().replace(/>>\s*$/, `/DSS ${size} 0 R\n>>`);
      add(
        'validation data (DSS) added',
        appendUpdate(twice, [
          { num: catalogRef.objectNumber, body: catalog },
          { num: size, body: `<< /Certs [${size + 1} 0 R] >>` },
          { num: size + 1, body: '<< /Length 17 >>\nstream\ncertificate bytes\nendstream' },
        ]),
        true,
      );
    }
    let many = await prepareForSigning(await makePdf({ pages: 1 }));
    for (let i = 1; i <= MAX_SIGNATURES_CHECKED + 1; i++) many = await sign(many, zhang, `签署方${i}`);
    add(`${MAX_SIGNATURES_CHECKED + 1} signatures (truncated)`, many, true);

    // Outside the lean path: the general path decides.
    add('unsigned, object streams', await makePdf({ pages: 3, useObjectStreams: true }), false);
    add('bytes appended after the last signature', Buffer.concat([twice, Buffer.from('\n% appended\n')]), false);
    add('byte-range comment bomb', byteRangeComments(twoSigned, 200, 4096), false);
    {
      const doc = await IncrementalDocument.load(twice);
      const snapshot = doc.takeSnapshot();
      const infoRef = doc.context.trailerInfo.Info as PDFRef;
      doc.context.lookup(infoRef, PDFDict).set(PDFName.of('Title'), PDFHexString.fromText('改过的标题'));
      snapshot.markRefForSave(infoRef);
      add('unsigned metadata update', Buffer.concat([twice, await doc.saveIncremental(snapshot)]), false);
    }
    const loaded = await L.PDFDocument.load(twoSigned);
    const page1 = loaded.getPages()[0]!;
    const contentRaw = page1.node.get(L.PDFName.of('Contents'));
    const contentRef = (contentRaw instanceof L.PDFArray ? contentRaw.get(0) : contentRaw) as L.PDFRef;
    const stream = loaded.context.lookup(contentRef) as L.PDFRawStream;
    const body = (text: string) => `<< /Length ${text.length} >>\nstream\n${text}\nendstream`;
    const evil = body('BT /F1 24 Tf 50 700 Td (Pay Mallory) Tj ET');
    const rewritten = appendUpdate(twoSigned, [{ num: contentRef.objectNumber, body: evil }]);
    add('page content rewritten', rewritten, false);
    add('page content rewritten, then signed again', await sign(rewritten, wang, '签署方3', 2), false);
    const copy = `${stream.dict.toString()}\nstream\n${Buffer.from(stream.contents).toString('latin1')}\nendstream`;
    add('shadow definition', appendUpdate(twoSigned, [{ num: contentRef.objectNumber, body: evil }, { num: contentRef.objectNumber, body: copy }]), false);
    add('identical copy of an object (not a change)', appendUpdate(twoSigned, [{ num: contentRef.objectNumber, body: copy }]), true);
    const originalOffset = Buffer.from(twoSigned).toString('latin1').indexOf(`\n${contentRef.objectNumber} 0 obj`) + 1;
    add('xref entry back to the original', appendUpdate(await sign(rewritten, wang, '签署方3', 2), [], { xrefOverrides: { [contentRef.objectNumber]: originalOffset } }), false);
    add('object freed', appendUpdate(twoSigned, [], { free: [contentRef.objectNumber] }), false);
    {
      const size = loaded.context.largestObjectNumber + 1;
      const pagesRef = loaded.catalog.get(L.PDFName.of('Pages')) as L.PDFRef;
      const kids = (loaded.context.lookup(pagesRef, L.PDFDict).get(L.PDFName.of('Kids')) as L.PDFArray).asArray().map(String).join(' ');
      add(
        'page added',
        appendUpdate(twoSigned, [
          { num: pagesRef.objectNumber, body: `<< /Type /Pages /Kids [${kids} ${size} 0 R] /Count 3 >>` },
          { num: size, body: `<< /Type /Page /Parent ${pagesRef} /MediaBox [0 0 595 842] >>` },
        ]),
        false,
      );
      const page = loaded.getPages()[1]!;
      const pageDict = page.node.toString().replace(/\/Annots\s*\[([^\]]*)\]/, `/Annots [$1 ${size} 0 R]`);
      add(
        'note annotation added',
        appendUpdate(twoSigned, [
          { num: page.ref.objectNumber, body: pageDict },
          { num: size, body: `<< /Type /Annot /Subtype /Text /Rect [100 100 120 120] /Contents (approved) /P ${page.ref} >>` },
        ]),
        false,
      );
      const acroRef = loaded.catalog.get(L.PDFName.of('AcroForm')) as L.PDFRef;
      const acro = loaded.context.lookup(acroRef, L.PDFDict).toString().replace(/\/Fields\s*\[([^\]]*)\]/, `/Fields [$1 ${size} 0 R]`);
      const first = page1.node.toString();
      const firstDict = first.includes('/Annots') ? first.replace(/\/Annots\s*\[([^\]]*)\]/, `/Annots [$1 ${size} 0 R]`) : first.replace(/>>\s*$/, `/Annots [${size} 0 R]\n>>`);
      const cover = '1 1 1 rg 0 0 595 842 re f';
      add(
        'unsigned signature field painted over the page',
        appendUpdate(twoSigned, [
          { num: acroRef.objectNumber, body: acro },
          { num: page1.ref.objectNumber, body: firstDict },
          { num: size, body: `<< /Type /Annot /Subtype /Widget /FT /Sig /T (cover) /Rect [0 0 595 842] /P ${page1.ref} /AP << /N ${size + 1} 0 R >> >>` },
          { num: size + 1, body: `<< /Type /XObject /Subtype /Form /BBox [0 0 595 842] /Length ${cover.length} >>\nstream\n${cover}\nendstream` },
        ]),
        false,
      );
    }
    {
      const doc = await L.PDFDocument.create();
      const page = doc.addPage();
      doc.getForm().createTextField('amount').addToPage(page, { x: 50, y: 700, width: 200, height: 20 });
      doc.getForm().getTextField('amount').setText('100');
      const signedForm = await sign(await prepareForSigning(await doc.save()), zhang, '签署方1');
      add('form with a text field, signed', signedForm, true);
      const field = (await L.PDFDocument.load(signedForm)).getForm().getTextField('amount');
      const fieldBody = field.acroField.dict.toString().replace(/\/V (?:\([^)]*\)|<[^>]*>)/, '/V (1000000)');
      add('form value changed', appendUpdate(signedForm, [{ num: field.ref.objectNumber, body: fieldBody }]), false);
    }

    // Unreadable and hostile files.
    add('truncated', twoSigned.slice(0, 400), false);
    add('page tree bomb', pageTreeBomb(), false);
    add('field tree bomb', fieldTreeBomb(), false);
    add('flate bomb', flateBomb(40 * 1024 * 1024), false);
    add('cross-reference stream size bomb', xrefStreamSizeBomb(), false);
    add('deep nesting', deepNesting(), false);
    add('no catalog type', rawPdf(['<< /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>']), false);
    add('encrypted trailer', Buffer.from(Buffer.from(two).toString('latin1').replace(/trailer\s*<</, 'trailer\n<< /Encrypt 99 0 R'), 'latin1'), false);
  }, 120_000);

  it('gives the general path’s report for every fixture, and is taken exactly for the plain ones', async () => {
    expect(fixtures.length).toBeGreaterThan(30);
    for (const f of fixtures) {
      const [fast, general] = [await verifyPdf(f.pdf, roots), await verifyPdfGeneral(f.pdf, roots)];
      expect({ name: f.name, report: fast }).toEqual({ name: f.name, report: general });
      expect({ name: f.name, lean: leanAnalyse(f.pdf, MAX_SIGNATURES_CHECKED) !== null }).toEqual({ name: f.name, lean: f.lean });
    }
  }, 60_000);

  it('the lean fixtures cover what the report distinguishes', async () => {
    const reports = await Promise.all(fixtures.filter((f) => f.lean).map((f) => verifyPdf(f.pdf, roots)));
    const signatures = reports.flatMap((r) => r.signatures);
    expect(new Set(signatures.map((s) => s.intact))).toEqual(new Set([true, false]));
    expect(new Set(signatures.map((s) => s.chainedToPlatform))).toEqual(new Set([true, false]));
    expect(new Set(signatures.map((s) => s.coversWholeDocument))).toEqual(new Set([true, false]));
    expect(reports.some((r) => r.signaturesTruncated)).toBe(true);
    expect(reports.some((r) => r.signatureCount === 0)).toBe(true);
  });

  it('a signature whose field name or signing time is odd reads the same on both paths', async () => {
    const two = await prepareForSigning(await makePdf({ pages: 1 }));
    const signed = await signPdf({ pdf: two, signer: await makeSigner(ca, '张三'), fieldName: '甲方(签章)', signerName: '张三', appearance: { page: 1, x: 60, y: 60, width: 57, height: 57, png } });
    // Replace the /M date by an unparsable one of the same length (outside the signed ranges).
    const text = Buffer.from(signed).toString('latin1');
    const m = /\/M \(D:(\d{14})Z\)/.exec(text)!;
    const odd = Buffer.from(text.replace(m[0], `/M (D:${'x'.repeat(14)}Z)`), 'latin1');
    for (const pdf of [signed, odd]) {
      expect(leanAnalyse(pdf, MAX_SIGNATURES_CHECKED)).not.toBeNull();
      expect(await verifyPdf(pdf, roots)).toEqual(await verifyPdfGeneral(pdf, roots));
    }
  });
});
