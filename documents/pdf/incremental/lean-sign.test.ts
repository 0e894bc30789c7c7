import { Buffer } from 'node:buffer';
import { PDFArray, PDFDict, PDFName, PDFNumber, PDFRawStream, PDFRef } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CertificateAuthority } from '../../../integrations/ca/certificate-authority';
import { DocumentError } from '../../errors';
import { renderNameSeal } from '../../seals/name-seal';
import { cadesLengthBound } from '../cms-sign';
import { fieldTreeBomb, pageTreeBomb, rawPdf } from '../hostile-pdfs';
import { prepareForSigning } from '../normalize-pdf';
import { DEFAULT_STRUCTURE_LIMITS, listFields } from '../pdf-structure';
import { loadPdf } from '../safe-load';
import { signPdf, signPdfWithPdfLib, type SignPdfInput } from '../sign-pdf';
import { TIMESTAMP_TOKEN_ROOM } from '../sign-plan';
import { makeCa, makePdf, makeSigner, pdfsig, qpdfCheck, redPixels, renderPage } from '../test-helpers';
import { verifyPdf } from '../verify-pdf';
import { leanIncrementalUpdate } from './lean-sign';

/**
 * The lean incremental writer against the pdf-lib writer it short-cuts (differential): same
 * inputs, same signing time → the same fields, widgets, appearance streams and verification
 * results; pdfsig and qpdf accept its output; files it does not take fall back to pdf-lib.
 */

interface WidgetView {
  page: number;
  rect: number[];
  matrix: number[];
  bbox: number[];
  ops: string;
}

const numbers = (a: unknown) => (a instanceof PDFArray ? a.asArray().map((x) => (x as PDFNumber).asNumber()) : []);

/** The widgets of field `name` as a reader sees them: page, /Rect, and the appearance stream's /Matrix, /BBox and drawing operators. */
async function widgetsOf(pdf: Uint8Array, name: string): Promise<WidgetView[]> {
  const { doc } = await loadPdf(pdf);
  const field = listFields(doc, DEFAULT_STRUCTURE_LIMITS).find((f) => f.name === name);
  if (!field) throw new Error(`no field ${name}`);
  const kids = doc.context.lookup(field.dict.get(PDFName.of('Kids')));
  const widgets = kids instanceof PDFArray ? kids.asArray().map((k) => doc.context.lookup(k, PDFDict)) : [field.dict];
  const pages = doc.getPages();
  return widgets.map((w) => {
    const ap = doc.context.lookup(w.lookup(PDFName.of('AP'), PDFDict).get(PDFName.of('N'))) as PDFRawStream;
    return {
      page: pages.findIndex((p) => p.ref === (w.get(PDFName.of('P')) as PDFRef)) + 1,
      rect: numbers(w.lookup(PDFName.of('Rect'))),
      matrix: numbers(ap.dict.lookup(PDFName.of('Matrix'))),
      bbox: numbers(ap.dict.lookup(PDFName.of('BBox'))),
      ops: Buffer.from(ap.getContents()).toString('latin1'),
    };
  });
}

/** A hand-written PDF: inherited MediaBox and /Rotate, an offset CropBox, an indirect /Annots with a link, a direct AcroForm holding a text field named 姓名 (UTF-16 hex), /SigFlags by reference. */
function unusualPdf(): Uint8Array {
  return rawPdf([
    '<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [8 0 R] /SigFlags 9 0 R /DA (/Helv 0 Tf 0 g) >> >>',
    '<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 /MediaBox [0 0 600 800] /Rotate 90 >>',
    '<< /Type /Page /Parent 2 0 R /CropBox [10 20 590 780] /Annots 6 0 R /Contents 5 0 R >>',
    '<< /Type /Page /Parent 2 0 R /Rotate 0 /Contents 5 0 R >>',
    '<< /Length 0 >>\nstream\n\nendstream',
    '[7 0 R]',
    '<< /Type /Annot /Subtype /Link /Rect [0 0 10 10] /Border [0 0 0] >>',
    '<< /FT /Tx /T <FEFF59D3540D> /V (x) /Rect [0 0 0 0] >>',
    '0',
  ]);
}

describe('lean incremental signature writer', () => {
  let ca: CertificateAuthority;
  let signer: SignPdfInput['signer'];
  let other: SignPdfInput['signer'];
  let seal: Uint8Array;
  let wide: Uint8Array;
  let base: Uint8Array;
  /** One fixed time for both writers, after the certificates were issued (verification checks the chain at the signing time). */
  let signingTime: Date;
  const trust = () => ({ trustedRootsPem: [ca.rootCertificatePem()] });

  beforeAll(async () => {
    ca = await makeCa('SealFlow');
    signer = await makeSigner(ca, '张三');
    other = await makeSigner(ca, '上海示例科技有限公司');
    seal = await renderNameSeal('张三');
    wide = await renderNameSeal('上海示例科技有限公司');
    base = await prepareForSigning(await makePdf({ pages: 3 }));
    signingTime = new Date(Math.ceil(Date.now() / 1000) * 1000 + 1000);
  });

  /** Signs with both writers and checks they agree; returns the lean result. */
  async function differential(input: SignPdfInput, fieldName = input.fieldName): Promise<Uint8Array> {
    expect(leanIncrementalUpdate(input, signingTime, () => 100), 'the lean writer takes this file').not.toBeNull();
    const lean = await signPdf({ ...input, signingTime });
    const general = await signPdfWithPdfLib({ ...input, signingTime });
    expect(Buffer.from(lean.subarray(0, input.pdf.length)).equals(Buffer.from(input.pdf))).toBe(true);
    expect(await widgetsOf(lean, fieldName)).toEqual(await widgetsOf(general, fieldName));
    const [a, b] = [await verifyPdf(lean, trust()), await verifyPdf(general, trust())];
    expect(a).toMatchObject({ intact: true, signedByPlatform: true, modifiedAfterSigning: false });
    expect(a.signatures.map((s) => [s.fieldName, s.signerName, s.intact, s.coversWholeDocument, s.chainedToPlatform, s.signingTime])).toEqual(
      b.signatures.map((s) => [s.fieldName, s.signerName, s.intact, s.coversWholeDocument, s.chainedToPlatform, s.signingTime]),
    );
    // Same drawing, page by page (the image encodings differ by at most 1/255 per pixel).
    for (const w of await widgetsOf(lean, fieldName)) {
      const [r1, r2] = [renderPage(lean, w.page), renderPage(general, w.page)];
      const [p1, p2] = [redPixels(r1, 0, 0, r1.width, r1.height), redPixels(r2, 0, 0, r2.width, r2.height)];
      expect(p1).toBeGreaterThan(100);
      expect(Math.abs(p1 - p2)).toBeLessThanOrEqual(Math.max(3, p2 * 0.01));
    }
    return lean;
  }

  it('one mark on a prepared PDF: same widget, appearance and verification as the pdf-lib writer; /Contents sized to the CMS + timestamp room', async () => {
    const once = await differential({ pdf: base, signer, fieldName: '签署方1', signerName: '张三', reason: '同意', location: '北京', appearance: { page: 2, x: 60, y: 100, width: 57, height: 57, png: seal } });
    const text = Buffer.from(once).toString('latin1');
    const contents = /\/Contents <([0-9a-f]*)>/.exec(text.slice(base.length))![1]!;
    expect(contents.length).toBe(2 * (cadesLengthBound(signer, signingTime) + TIMESTAMP_TOKEN_ROOM));
    // Bytes added: at most twice the signature data it carries (was ≈ 47 KB: 16 KB of zeros as hex, the seal image re-encoded).
    expect(once.length - base.length).toBeLessThanOrEqual(2 * contents.length);
  });

  it('signPdf takes the lean writer for a prepared PDF (its output is the lean update with the placeholders filled)', async () => {
    const input: SignPdfInput = { pdf: base, signer, fieldName: '签署方1', signerName: '张三', appearance: { page: 1, x: 60, y: 100, width: 57, height: 57, png: seal }, signingTime };
    const update = leanIncrementalUpdate(input, signingTime, () => cadesLengthBound(signer, signingTime) + TIMESTAMP_TOKEN_ROOM)!;
    const signed = await signPdf(input);
    const blank = (b: Uint8Array) => Buffer.from(b).toString('latin1').replace(/\/ByteRange \[[^\]]*\]/, '/ByteRange []').replace(/\/Contents <[0-9a-f]*>/, '/Contents <>');
    expect(signed.length).toBe(update.bytes.length);
    expect(blank(signed)).toBe(blank(update.bytes));
    expect(Buffer.from(signed).toString('latin1')).not.toBe(Buffer.from(update.bytes).toString('latin1'));
  });

  it('a second signature with several marks and a 骑缝章 over a lean-signed file: both valid in pdfsig, qpdf clean', async () => {
    const once = await signPdf({ pdf: base, signer, fieldName: '签署方1', signerName: '张三', appearance: { page: 1, x: 60, y: 100, width: 57, height: 57, png: seal } });
    const twice = await differential(
      {
        pdf: once,
        signer: other,
        fieldName: '签署方2',
        signerName: '上海示例科技有限公司',
        appearances: [
          { page: 3, x: 300, y: 600, width: 200, height: 60, png: wide },
          { page: 1, x: 300, y: 100, width: 57, height: 57, png: seal },
        ],
        riding: [{ pageFrom: 1, pageTo: 3, y: 300, width: 90, height: 90, png: seal }],
      },
      '签署方2',
    );
    const { signatures } = pdfsig(twice, ca.rootCertificatePem());
    expect(signatures).toHaveLength(2);
    for (const block of signatures) expect(block).toContain('Signature is Valid.');
    expect(signatures[1]).toContain('Total document signed');
    expect(qpdfCheck(twice).ok).toBe(true);
  });

  it('inherited MediaBox and /Rotate, offset CropBox, indirect /Annots, direct AcroForm: placed like pdf-lib places them; existing annotations and fields kept', async () => {
    const pdf = unusualPdf();
    const signed = await differential({ pdf, signer, fieldName: '签署方1', signerName: '张三', appearance: { page: 1, x: 20, y: 30, width: 100, height: 50, png: wide } });
    const { doc } = await loadPdf(signed);
    const annots = doc.getPages()[0]!.node.lookup(PDFName.of('Annots'), PDFArray);
    expect(annots.size()).toBe(2); // the link, then the widget
    expect(listFields(doc, DEFAULT_STRUCTURE_LIMITS).map((f) => f.name)).toEqual(['姓名', '签署方1']);
    expect(doc.catalog.lookup(PDFName.of('AcroForm'), PDFDict).lookup(PDFName.of('SigFlags'), PDFNumber).asNumber()).toBe(3);
    const { signatures } = pdfsig(signed, ca.rootCertificatePem());
    expect(signatures).toHaveLength(1);
    expect(signatures[0]).toContain('Signature is Valid.');
  });

  it('refuses a taken field name (also one written as UTF-16 hex), a missing page and a box off the page, as the pdf-lib path does', async () => {
    const pdf = unusualPdf();
    const code = (f: () => unknown) => {
      try {
        f();
        return 'returned';
      } catch (e) {
        return e instanceof DocumentError ? e.code : String(e);
      }
    };
    const input = (over: Partial<SignPdfInput>): SignPdfInput => ({ pdf, signer, fieldName: 'x', signerName: 'x', appearance: { page: 1, x: 10, y: 10, width: 50, height: 50, png: seal }, ...over });
    expect(code(() => leanIncrementalUpdate(input({ fieldName: '姓名' }), signingTime, () => 100))).toBe('FIELD_NAME_TAKEN');
    expect(code(() => leanIncrementalUpdate(input({ appearance: { page: 3, x: 1, y: 1, width: 5, height: 5, png: seal } }), signingTime, () => 100))).toBe('PAGE_NOT_FOUND');
    expect(code(() => leanIncrementalUpdate(input({ appearance: { page: 1, x: 750, y: 1, width: 50, height: 5, png: seal } }), signingTime, () => 100))).toBe('POSITION_OUT_OF_PAGE');
    const slow = (over: Partial<SignPdfInput>) => signPdfWithPdfLib(input(over)).then(() => 'resolved', (e: unknown) => (e as DocumentError).code);
    expect(await slow({ fieldName: '姓名' })).toBe('FIELD_NAME_TAKEN');
    expect(await slow({ appearance: { page: 1, x: 750, y: 1, width: 50, height: 5, png: seal } })).toBe('POSITION_OUT_OF_PAGE');
  });

  it('falls back to pdf-lib for what it does not take: object streams, hostile trees, an /Annots array shared by two pages', async () => {
    const input = (pdf: Uint8Array): SignPdfInput => ({ pdf, signer, fieldName: 'x', signerName: 'x', appearance: { page: 1, x: 10, y: 10, width: 50, height: 50, png: seal } });
    expect(leanIncrementalUpdate(input(await makePdf({ pages: 2, useObjectStreams: true })), signingTime, () => 100)).toBeNull();
    expect(leanIncrementalUpdate(input(fieldTreeBomb(30)), signingTime, () => 100)).toBeNull();
    expect(leanIncrementalUpdate(input(pageTreeBomb(24)), signingTime, () => 100)).toBeNull();
    expect(await signPdf(input(fieldTreeBomb(30))).catch((e: unknown) => (e as DocumentError).code)).toBe('PDF_CORRUPT');
    const shared = rawPdf([
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 /MediaBox [0 0 595 842] >>',
      '<< /Type /Page /Parent 2 0 R /Annots 5 0 R >>',
      '<< /Type /Page /Parent 2 0 R /Annots 5 0 R >>',
      '[]',
    ]);
    const twoPages: SignPdfInput = { ...input(shared), appearances: [{ page: 2, x: 10, y: 10, width: 50, height: 50, png: seal }] };
    expect(leanIncrementalUpdate(twoPages, signingTime, () => 100)).toBeNull();
    const signed = await signPdf(twoPages);
    expect((await verifyPdf(signed, trust())).intact).toBe(true);
  });
});
