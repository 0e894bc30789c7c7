import { Buffer } from 'node:buffer';
import * as L from 'pdf-lib';
import { PDFDict, PDFDocument as IncrementalDocument, PDFHexString, PDFName, PDFRef } from 'pdf-lib-incremental-save';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CertificateAuthority } from '../../integrations/ca/certificate-authority';
import { renderNameSeal } from '../seals/name-seal';
import { prepareForSigning } from './normalize-pdf';
import { signPdf, type SignPdfInput } from './sign-pdf';
import { appendUpdate, byteRangeComments, fieldTreeBomb } from './hostile-pdfs';
import { makeCa, makePdf, makeSigner, pdfsig } from './test-helpers';
import { MAX_SIGNATURES_CHECKED, verifyPdf } from './verify-pdf';

describe('verifyPdf', () => {
  let platform: CertificateAuthority;
  let foreign: CertificateAuthority;
  let signed: Uint8Array; // two platform signatures
  let roots: { trustedRootsPem: string[] };
  let sign: (pdf: Uint8Array, signer: SignPdfInput['signer'], fieldName: string) => Promise<Uint8Array>;

  beforeAll(async () => {
    [platform, foreign] = await Promise.all([makeCa('SealFlow'), makeCa('Foreign')]);
    roots = { trustedRootsPem: [platform.rootCertificatePem()] };
    const png = await renderNameSeal('李四');
    sign = (pdf, signer, fieldName) =>
      signPdf({ pdf, signer, fieldName, signerName: fieldName, appearance: { page: 1, x: 100, y: 100, width: 80, height: 80, png } });
    const base = await prepareForSigning(await makePdf({ pages: 2 }));
    signed = await sign(await sign(base, await makeSigner(platform, '李四'), '甲方'), await makeSigner(platform, '王五'), '乙方');
  });

  it('reports non-PDF bytes without throwing', async () => {
    for (const junk of [Buffer.from('hello'), new Uint8Array(0), Buffer.from('PK\x03\x04 zip file')]) {
      expect(await verifyPdf(junk, roots)).toEqual({
        isPdf: false,
        readable: false,
        signatureCount: 0,
        signaturesTruncated: false,
        signatures: [],
        signedByPlatform: false,
        intact: true,
        modifiedAfterSigning: false,
      });
    }
  });

  it('reports an unsigned PDF', async () => {
    const report = await verifyPdf(await makePdf(), roots);
    expect(report).toMatchObject({ isPdf: true, signatureCount: 0, signedByPlatform: false, modifiedAfterSigning: false });
  });

  it('detects a one-byte change inside a signed range (and pdfsig agrees)', async () => {
    const tampered = Buffer.from(signed);
    const at = tampered.indexOf('841.89', 0, 'latin1'); // a page's MediaBox, in revision 1
    expect(at).toBeGreaterThan(0);
    expect(at).toBeLessThan(tampered.indexOf('/ByteRange', 0, 'latin1'));
    tampered[at + 5] = '8'.charCodeAt(0); // 841.89 → 841.88
    const report = await verifyPdf(tampered, roots);
    expect(report.signatureCount).toBe(2);
    expect(report.intact).toBe(false);
    expect(report.modifiedAfterSigning).toBe(true);
    for (const s of report.signatures) {
      expect(s.intact).toBe(false);
      expect(s.error).toMatch(/digest/);
      expect(s.chainedToPlatform).toBe(true); // the certificates themselves are fine
    }
    const { signatures } = pdfsig(tampered, platform.rootCertificatePem());
    expect(signatures).toHaveLength(2);
    for (const block of signatures) expect(block).not.toContain('Signature is Valid.');
    expect(signatures.join('')).toMatch(/Digest Mismatch/);
  });

  it('detects a change inside the signature value itself', async () => {
    const tampered = Buffer.from(signed);
    const contents = tampered.lastIndexOf('/ByteRange', undefined, 'latin1');
    const hexAt = tampered.indexOf('<30', contents, 'latin1');
    tampered[hexAt + 300] = tampered[hexAt + 300] === 0x61 ? 0x62 : 0x61;
    const report = await verifyPdf(tampered, roots);
    expect(report.signatures[1]!.intact).toBe(false);
    expect(report.signatures[0]!.intact).toBe(true);
    expect(report.modifiedAfterSigning).toBe(true);
  });

  it('detects bytes appended after the last signature', async () => {
    const appended = Buffer.concat([signed, Buffer.from('\n% appended\n')]);
    const report = await verifyPdf(appended, roots);
    expect(report).toMatchObject({ signatureCount: 2, intact: true, signedByPlatform: true, modifiedAfterSigning: true });
    expect(report.signatures.every((s) => !s.coversWholeDocument)).toBe(true);
    // Trailing whitespace alone is not a modification.
    expect((await verifyPdf(Buffer.concat([signed, Buffer.from('\r\n')]), roots)).modifiedAfterSigning).toBe(false);
  });

  it('detects an unsigned incremental update after signing', async () => {
    const doc = await IncrementalDocument.load(signed);
    const snapshot = doc.takeSnapshot();
    const infoRef = doc.context.trailerInfo.Info as PDFRef;
    doc.context.lookup(infoRef, PDFDict).set(PDFName.of('Title'), PDFHexString.fromText('改过的标题'));
    snapshot.markRefForSave(infoRef);
    const updated = Buffer.concat([signed, await doc.saveIncremental(snapshot)]);
    const report = await verifyPdf(updated, roots);
    expect(report).toMatchObject({ signatureCount: 2, intact: true, modifiedAfterSigning: true });
    const { signatures } = pdfsig(updated, platform.rootCertificatePem());
    expect(signatures[1]).toContain('Not total document signed');
  });

  it('reports signatures by another CA as not chained to the platform', async () => {
    const base = await prepareForSigning(await makePdf({ pages: 1 }));
    const foreignOnly = await sign(base, await makeSigner(foreign, '赵六'), '外部');
    const report = await verifyPdf(foreignOnly, roots);
    expect(report).toMatchObject({ signatureCount: 1, intact: true, signedByPlatform: false, modifiedAfterSigning: false });
    expect(report.signatures[0]).toMatchObject({ signerName: '赵六', intact: true, chainedToPlatform: false, fieldName: '外部' });
    expect(report.signatures[0]!.certificate!.issuer).toBe('O=Foreign, CN=Foreign Issuing CA');
    expect(report.signatures[0]!.error).toMatch(/no trusted issuer/);
    // Mixed: one platform signature plus a foreign one → not signed by platform.
    const mixed = await sign(foreignOnly, await makeSigner(platform, '李四'), '平台');
    const mixedReport = await verifyPdf(mixed, roots);
    expect(mixedReport.signatures.map((s) => s.chainedToPlatform)).toEqual([false, true]);
    expect(mixedReport.signedByPlatform).toBe(false);
    expect(mixedReport.intact).toBe(true);
    // Trusting both roots makes both chained.
    const both = await verifyPdf(mixed, { trustedRootsPem: [platform.rootCertificatePem(), foreign.rootCertificatePem()] });
    expect(both.signedByPlatform).toBe(true);
  });

  it('checks certificate validity at signing time', async () => {
    const base = await prepareForSigning(await makePdf({ pages: 1 }));
    const signer = await makeSigner(platform, '钱七');
    const png = await renderNameSeal('钱七');
    const backdated = await signPdf({
      pdf: base,
      signer,
      fieldName: 'old',
      signerName: '钱七',
      signingTime: new Date(Date.now() - 3 * 86_400_000), // before the certificate existed
      appearance: { page: 1, x: 10, y: 10, width: 50, height: 50, png },
    });
    const report = await verifyPdf(backdated, roots);
    expect(report.signatures[0]).toMatchObject({ intact: true, chainedToPlatform: false });
    expect(report.signatures[0]!.error).toMatch(/not valid at/);
  });
});

describe('verifyPdf: what changed after each signature', () => {
  let ca: CertificateAuthority;
  let roots: { trustedRootsPem: string[] };
  let png: Uint8Array;
  let twoSigned: Uint8Array;
  const sign = async (pdf: Uint8Array, name: string, fieldName: string, page = 1) =>
    signPdf({ pdf, signer: await makeSigner(ca, name), signerName: name, fieldName, appearance: { page, x: 60, y: 60, width: 57, height: 57, png } });

  /** Page 1's content stream object (makePdf writes one per page). */
  async function contentOf(pdf: Uint8Array, pageIndex = 0) {
    const doc = await L.PDFDocument.load(pdf);
    const page = doc.getPages()[pageIndex]!;
    const raw = page.node.get(L.PDFName.of('Contents'));
    const ref = (raw instanceof L.PDFArray ? raw.get(0) : raw) as L.PDFRef;
    const stream = doc.context.lookup(ref) as L.PDFRawStream;
    const font = /\/(Helvetica-\d+)/.exec(page.node.Resources()!.toString())![1];
    return { ref, stream, font, doc, page };
  }
  const streamBody = (text: string) => `<< /Length ${text.length} >>\nstream\n${text}\nendstream`;

  beforeAll(async () => {
    ca = await makeCa('SealFlow');
    roots = { trustedRootsPem: [ca.rootCertificatePem()] };
    png = await renderNameSeal('张三');
    twoSigned = await sign(await sign(await prepareForSigning(await makePdf({ pages: 2 })), '张三', '签署方1'), '李四', '签署方2', 2);
  });

  it('later platform signatures are not changes', async () => {
    const report = await verifyPdf(await sign(twoSigned, '王五', '签署方3', 2), roots);
    expect(report.signatures.map((s) => [s.fieldName, s.intact, s.modifiedAfterSigning, s.changes])).toEqual([
      ['签署方1', true, false, []],
      ['签署方2', true, false, []],
      ['签署方3', true, false, []],
    ]);
    expect(report.modifiedAfterSigning).toBe(false);
  });

  it('a completed contract + an unsigned update rewriting page 1 + one more signature: the first two signatures are "modified after this signature" (page content, page 1)', async () => {
    const { ref, font } = await contentOf(twoSigned);
    const evil = `BT /${font} 24 Tf 50 700 Td (Pay Mallory 1,000,000) Tj ET`;
    const tampered = appendUpdate(twoSigned, [{ num: ref.objectNumber, body: streamBody(evil) }]);
    const resigned = await sign(tampered, '王五', '签署方3', 2);
    const report = await verifyPdf(resigned, roots);
    expect(report).toMatchObject({ signatureCount: 3, intact: true, signedByPlatform: true, modifiedAfterSigning: true });
    const [first, second, third] = report.signatures;
    for (const s of [first!, second!]) {
      expect(s).toMatchObject({ intact: true, modifiedAfterSigning: true });
      expect(s.changes).toEqual([{ kind: 'page_content', pages: [1], fields: [], objects: [ref.objectNumber] }]);
    }
    expect(third).toMatchObject({ intact: true, modifiedAfterSigning: false, changes: [], coversWholeDocument: true });
  });

  it('validation data (DSS) added after signing is allowed', async () => {
    const doc = await L.PDFDocument.load(twoSigned);
    const catalogRef = doc.context.trailerInfo.Root as L.PDFRef;
    const size = doc.context.largestObjectNumber + 1;
    const catalog = doc.catalog.toString().replace(/>>\s*$/, `/DSS ${size} 0 R\n>>`);
    const withDss = appendUpdate(twoSigned, [
      { num: catalogRef.objectNumber, body: catalog },
      { num: size, body: `<< /Certs [${size + 1} 0 R] >>` },
      { num: size + 1, body: streamBody('certificate bytes') },
    ]);
    const report = await verifyPdf(withDss, roots);
    expect(report.signatures.map((s) => s.changes)).toEqual([[], []]);
    expect(report.modifiedAfterSigning).toBe(false);
  });

  it('reports pages added, annotations and metadata, each with what changed', async () => {
    const { doc, page } = await contentOf(twoSigned, 1);
    const size = doc.context.largestObjectNumber + 1;
    const pagesRef = doc.catalog.get(L.PDFName.of('Pages')) as L.PDFRef;
    const pages = doc.context.lookup(pagesRef, L.PDFDict);
    const kids = (pages.get(L.PDFName.of('Kids')) as L.PDFArray).asArray().map(String).join(' ');
    const withPage = appendUpdate(twoSigned, [
      { num: pagesRef.objectNumber, body: `<< /Type /Pages /Kids [${kids} ${size} 0 R] /Count 3 >>` },
      { num: size, body: `<< /Type /Page /Parent ${pagesRef} /MediaBox [0 0 595 842] >>` },
    ]);
    const pageReport = await verifyPdf(withPage, roots);
    expect(pageReport.signatures[1]!.changes.map((c) => c.kind).sort()).toEqual(['pages']);
    expect(pageReport.signatures[1]!.changes[0]!.pages).toEqual([3]);

    const pageDict = page.node.toString().replace(/\/Annots\s*\[([^\]]*)\]/, `/Annots [$1 ${size} 0 R]`);
    const withNote = appendUpdate(twoSigned, [
      { num: page.ref.objectNumber, body: pageDict },
      { num: size, body: `<< /Type /Annot /Subtype /Text /Rect [100 100 120 120] /Contents (approved) /P ${page.ref} >>` },
    ]);
    const noteReport = await verifyPdf(withNote, roots);
    expect(noteReport.signatures[0]!.changes).toEqual([{ kind: 'annotations', pages: [2], fields: [], objects: expect.arrayContaining([size]) }]);
  });

  it('an unsigned signature field added later is an annotation change (it could paint over the page)', async () => {
    const { doc, page } = await contentOf(twoSigned, 0);
    const size = doc.context.largestObjectNumber + 1;
    const acroRef = doc.catalog.get(L.PDFName.of('AcroForm')) as L.PDFRef;
    const acro = doc.context.lookup(acroRef, L.PDFDict).toString().replace(/\/Fields\s*\[([^\]]*)\]/, `/Fields [$1 ${size} 0 R]`);
    const pageDict = page.node.toString().includes('/Annots')
      ? page.node.toString().replace(/\/Annots\s*\[([^\]]*)\]/, `/Annots [$1 ${size} 0 R]`)
      : page.node.toString().replace(/>>\s*$/, `/Annots [${size} 0 R]\n>>`);
    const cover = '1 1 1 rg 0 0 595 842 re f';
    const overlay = appendUpdate(twoSigned, [
      { num: acroRef.objectNumber, body: acro },
      { num: page.ref.objectNumber, body: pageDict },
      { num: size, body: `<< /Type /Annot /Subtype /Widget /FT /Sig /T (cover) /Rect [0 0 595 842] /P ${page.ref} /AP << /N ${size + 1} 0 R >> >>` },
      { num: size + 1, body: `<< /Type /XObject /Subtype /Form /BBox [0 0 595 842] /Length ${cover.length} >>\nstream\n${cover}\nendstream` },
    ]);
    const report = await verifyPdf(overlay, roots);
    expect(report.signatures[1]!.changes.map((c) => c.kind).sort()).toEqual(['annotations', 'form_fields']);
    expect(report.signatures[1]!.changes.find((c) => c.kind === 'annotations')!.pages).toEqual([1]);
  });

  it('reports a changed form value with the field name', async () => {
    const doc = await L.PDFDocument.create();
    const page = doc.addPage();
    doc.getForm().createTextField('amount').addToPage(page, { x: 50, y: 700, width: 200, height: 20 });
    doc.getForm().getTextField('amount').setText('100');
    const signedForm = await sign(await prepareForSigning(await doc.save()), '张三', '签署方1');
    const loaded = await L.PDFDocument.load(signedForm);
    const field = loaded.getForm().getTextField('amount');
    const fieldRef = field.ref;
    const body = field.acroField.dict.toString().replace(/\/V (?:\([^)]*\)|<[^>]*>)/, '/V (1000000)');
    expect(body).toContain('/V (1000000)');
    const report = await verifyPdf(appendUpdate(signedForm, [{ num: fieldRef.objectNumber, body }]), roots);
    expect(report.signatures[0]!.changes).toEqual([{ kind: 'form_fields', pages: [], fields: ['amount'], objects: [fieldRef.objectNumber] }]);
  });

  it('sees what a reader sees: a shadow definition the xref points to, an xref entry back to an older definition, a freed object', async () => {
    const { ref, stream, font } = await contentOf(twoSigned);
    const copy = `${stream.dict.toString()}\nstream\n${Buffer.from(stream.contents).toString('latin1')}\nendstream`;
    const evil = `BT /${font} 24 Tf 50 700 Td (Pay Mallory) Tj ET`;
    // Two definitions in one update: readers follow the xref (the first), pdf-lib keeps the last.
    const once = appendUpdate(twoSigned, [{ num: ref.objectNumber, body: streamBody(evil) }]);
    const shadowOffset = twoSigned.length + 1;
    const shadow = appendUpdate(twoSigned, [
      { num: ref.objectNumber, body: streamBody(evil) },
      { num: ref.objectNumber, body: copy },
    ]);
    expect(Buffer.from(shadow).toString('latin1')).toContain(`${String(shadowOffset).padStart(10, '0')} 00000 n`);
    expect((await verifyPdf(shadow, roots)).signatures[0]!.changes.map((c) => c.kind)).toContain('page_content');

    // Unsigned update → signed → an update whose xref points the object back at the unsigned revision's... original.
    const signedAfter = await sign(once, '王五', '签署方3', 2);
    const originalOffset = Buffer.from(twoSigned).toString('latin1').indexOf(`\n${ref.objectNumber} 0 obj`) + 1;
    const resurrect = appendUpdate(signedAfter, [], { xrefOverrides: { [ref.objectNumber]: originalOffset } });
    const resurrected = await verifyPdf(resurrect, roots);
    expect(resurrected.signatures[2]!.changes.map((c) => c.kind).sort()).toEqual(['page_content', 'structure']);

    const freed = appendUpdate(twoSigned, [], { free: [ref.objectNumber] });
    expect((await verifyPdf(freed, roots)).signatures[1]!.changes.map((c) => c.kind)).toEqual(['page_content']);
  });

  it('reports an unreadable file as unreadable, not as unsigned', async () => {
    const truncated = twoSigned.slice(0, 400);
    expect(await verifyPdf(truncated, roots)).toMatchObject({ isPdf: true, readable: false, unreadableReason: 'PDF_CORRUPT', signatureCount: 0 });
    expect(await verifyPdf(fieldTreeBomb(), roots)).toMatchObject({ isPdf: true, readable: false, unreadableReason: 'PDF_CORRUPT' });
    expect(await verifyPdf(await makePdf(), roots)).toMatchObject({ isPdf: true, readable: true, signatureCount: 0 });
  });

  it(`checks at most ${MAX_SIGNATURES_CHECKED} signatures`, async () => {
    let pdf = await prepareForSigning(await makePdf({ pages: 1 }));
    for (let i = 1; i <= MAX_SIGNATURES_CHECKED + 1; i++) pdf = await sign(pdf, '张三', `签署方${i}`);
    const report = await verifyPdf(pdf, roots);
    expect(report).toMatchObject({ signatureCount: MAX_SIGNATURES_CHECKED + 1, signaturesTruncated: true, intact: true });
    expect(report.signatures).toHaveLength(MAX_SIGNATURES_CHECKED);
  }, 60_000);

  it('signing time: the signed signingTime attribute; the dictionary’s /M when the /Contents cannot be read', async () => {
    const report = await verifyPdf(twoSigned, roots);
    const text = Buffer.from(twoSigned).toString('latin1');
    const mTimes = [...text.matchAll(/\/M \(D:(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z\)/g)].map((m) => `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.000Z`);
    expect(mTimes).toHaveLength(2);
    for (const s of report.signatures) expect(Date.parse(s.signingTime!)).toBeGreaterThan(Date.now() - 600_000);
    // The first signature's range ends one byte later (same digit count): its gap is no longer the /Contents
    // string, so no CMS is read and its /M is the time reported.
    const m = /\/ByteRange\s*\[\s*0\s+(\d+)/.exec(text)!;
    const l1 = m[1]!;
    const shifted = String(Number(l1) + (l1.endsWith('9') ? -1 : 1));
    expect(shifted).toHaveLength(l1.length);
    const broken = Buffer.from(text.slice(0, m.index) + m[0].replace(l1, shifted) + text.slice(m.index + m[0].length), 'latin1');
    const first = (await verifyPdf(broken, roots)).signatures[0]!;
    expect(first).toMatchObject({ intact: false, error: 'ByteRange gap is not the /Contents string', signingTime: mTimes[0] });
  });

  it('one object redefined 50,000 times after the signatures is examined in linear time (30,000 took 39 s)', async () => {
    const timed = async (definitions: number) => {
      const bomb = appendUpdate(twoSigned, Array.from({ length: definitions }, () => ({ num: 5, body: '0' })));
      let best = Infinity;
      let report: Awaited<ReturnType<typeof verifyPdf>> | undefined;
      for (let run = 0; run < 2; run++) {
        const t = performance.now();
        report = await verifyPdf(bomb, roots);
        best = Math.min(best, performance.now() - t);
      }
      return { ms: best, report: report!, kb: bomb.length / 1024 };
    };
    // Both past MAX_EXAMINED (20,000), where the report gives up examining one by one.
    const small = await timed(25_000);
    const large = await timed(50_000);
    console.log(`redefinition bomb: ${large.kb.toFixed(0)} KB, 50,000 definitions verified in ${large.ms.toFixed(0)} ms (25,000: ${small.ms.toFixed(0)} ms)`);
    expect(large.report.signatureCount).toBe(2);
    expect(large.report.signatures.every((sig) => sig.changes.length > 0)).toBe(true);
    // Twice the definitions: a linear check costs about twice the time, the quadratic one cost 4×.
    expect(large.ms).toBeLessThan(3 * small.ms + 50);
    expect(large.ms).toBeLessThan(2000);
  });

  it('thousands of /ByteRange tokens in comments cost nothing: only real signatures are checked', async () => {
    const bomb = byteRangeComments(twoSigned, 5000);
    const t = performance.now();
    const report = await verifyPdf(bomb, roots);
    const ms = performance.now() - t;
    console.log(`byteRange comment bomb (${(bomb.length / 1024).toFixed(0)} KB, 5000 tokens): verified in ${ms.toFixed(0)} ms`);
    expect(report.signatureCount).toBe(2);
    expect(report.signatures[1]!.changes.map((c) => c.kind)).toEqual(['appended_data']);
    expect(ms).toBeLessThan(1000);
  });
});
