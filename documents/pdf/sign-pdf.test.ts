import { Buffer } from 'node:buffer';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CertificateAuthority } from '../../integrations/ca/certificate-authority';
import { DocumentError } from '../errors';
import { renderNameSeal } from '../seals/name-seal';
import { prepareForSigning } from './normalize-pdf';
import { signPdf, type SignPdfInput } from './sign-pdf';
import { fieldTreeBomb } from './hostile-pdfs';
import { makeCa, makePdf, makeSigner, pdfsig, qpdfCheck, redPixels, renderPage, A4 } from './test-helpers';
import { verifyPdf } from './verify-pdf';

type Signer = SignPdfInput['signer'];

describe('signPdf', () => {
  let ca: CertificateAuthority;
  let zhang: Signer;
  let company: Signer;
  let sealA: Uint8Array;
  let sealB: Uint8Array;
  let base: Uint8Array;
  let once: Uint8Array;
  let twice: Uint8Array;

  beforeAll(async () => {
    ca = await makeCa('SealFlow');
    zhang = await makeSigner(ca, '张三丰');
    company = await makeSigner(ca, '上海示例科技有限公司');
    sealA = await renderNameSeal('张三丰');
    sealB = await renderNameSeal('上海示例科技有限公司');
    base = await prepareForSigning(await makePdf({ pages: 3 }));
    let t = performance.now();
    once = await signPdf({
      pdf: base,
      signer: zhang,
      fieldName: '签署方1',
      signerName: '张三丰',
      reason: '同意合同条款',
      location: '北京',
      appearance: { page: 1, x: 60, y: 100, width: 90, height: 90, png: sealA },
    });
    const first = performance.now() - t;
    t = performance.now();
    twice = await signPdf({
      pdf: once,
      signer: company,
      fieldName: '签署方2',
      signerName: '上海示例科技有限公司',
      appearance: { page: 3, x: 300, y: 600, width: 200, height: 60, png: sealB },
    });
    console.log(`sign #1 ${first.toFixed(0)} ms, sign #2 ${(performance.now() - t).toFixed(0)} ms, size ${base.length} → ${once.length} → ${twice.length} bytes`);
  });

  it('appends incremental updates only: each earlier revision is a byte-identical prefix', () => {
    expect(Buffer.from(once.subarray(0, base.length)).equals(Buffer.from(base))).toBe(true);
    expect(Buffer.from(twice.subarray(0, once.length)).equals(Buffer.from(once))).toBe(true);
    expect(Buffer.from(twice).toString('latin1')).toContain('/SubFilter /ETSI.CAdES.detached');
  });

  it('verifyPdf reports both signatures intact and chained to the platform', async () => {
    const t = performance.now();
    const report = await verifyPdf(twice, { trustedRootsPem: [ca.rootCertificatePem()] });
    console.log(`verify 2 signatures ${(performance.now() - t).toFixed(0)} ms`);
    expect(report).toMatchObject({ isPdf: true, signatureCount: 2, signedByPlatform: true, intact: true, modifiedAfterSigning: false });
    const [s1, s2] = report.signatures;
    expect(s1).toMatchObject({ fieldName: '签署方1', signerName: '张三丰', intact: true, chainedToPlatform: true, coversWholeDocument: false });
    expect(s2).toMatchObject({ fieldName: '签署方2', signerName: '上海示例科技有限公司', intact: true, chainedToPlatform: true, coversWholeDocument: true });
    expect(s1!.certificate!.issuer).toBe('O=SealFlow, CN=SealFlow Issuing CA');
    expect(s1!.certificate!.subject).toContain('CN=张三丰');
    expect(Date.parse(s1!.signingTime!)).toBeGreaterThan(Date.now() - 120_000);
    expect(s1!.error).toBeUndefined();
  });

  it('pdfsig agrees: both signatures valid and trusted; qpdf --check passes', () => {
    const { stdout, signatures } = pdfsig(twice, ca.rootCertificatePem());
    console.log(stdout);
    expect(signatures).toHaveLength(2);
    for (const block of signatures) {
      expect(block).toContain('Signature is Valid.');
      expect(block).toContain('Certificate is Trusted.');
      expect(block).toContain('ETSI.CAdES.detached');
    }
    expect(signatures[0]).toContain('Signature Field Name: 签署方1');
    expect(signatures[0]).toContain('Signer Certificate Common Name: 张三丰');
    expect(signatures[1]).toContain('Signer Certificate Common Name: 上海示例科技有限公司');
    expect(signatures[1]).toContain('Total document signed');
    const check = qpdfCheck(twice);
    expect(check.output).toContain('No syntax or stream encoding errors found');
    expect(check.ok).toBe(true);
  });

  it('draws the seal where asked (top-left origin), text stays visible', () => {
    const page1 = renderPage(twice, 1);
    expect(page1.width).toBe(Math.ceil(A4[0]));
    expect(redPixels(page1, 60, 100, 90, 90)).toBeGreaterThan(500);
    expect(redPixels(page1, 300, 400, 200, 200)).toBe(0);
    const page3 = renderPage(twice, 3);
    expect(redPixels(page3, 300, 600, 200, 60)).toBeGreaterThan(500);
    expect(redPixels(renderPage(twice, 2), 0, 0, 600, 850)).toBe(0);
  });

  it('places seals correctly on rotated pages', async () => {
    const rotated = await makePdf({ pages: 1, rotate: 90 });
    const signed = await signPdf({
      pdf: rotated,
      signer: zhang,
      fieldName: 'rotated',
      signerName: '张三丰',
      appearance: { page: 1, x: 20, y: 30, width: 100, height: 50, png: sealB },
    });
    const r = renderPage(signed, 1);
    expect(r.width).toBe(Math.ceil(A4[1])); // landscape as displayed
    expect(redPixels(r, 20, 30, 100, 50)).toBeGreaterThan(300);
    expect(redPixels(r, 130, 0, 700, 600)).toBe(0);
    const report = await verifyPdf(signed, { trustedRootsPem: [ca.rootCertificatePem()] });
    expect(report.signatures[0]).toMatchObject({ intact: true, chainedToPlatform: true });
  });

  it('handles PDFs saved with object streams (pdf-lib default) via prepareForSigning', async () => {
    const withObjStreams = await makePdf({ pages: 2, useObjectStreams: true });
    expect(Buffer.from(withObjStreams).toString('latin1')).toMatch(/\/Type \/(ObjStm|XRef)/);
    const prepared = await prepareForSigning(withObjStreams);
    const text = Buffer.from(prepared).toString('latin1');
    expect(text).not.toMatch(/\/Type \/(ObjStm|XRef)/);
    expect(text).toMatch(/\nxref\n/);
    const a = await signPdf({ pdf: prepared, signer: zhang, fieldName: 'A', signerName: '张三丰', appearance: { page: 2, x: 10, y: 10, width: 80, height: 80, png: sealA } });
    // signPdf also normalizes an unsigned object-stream PDF by itself.
    const b = await signPdf({ pdf: withObjStreams, signer: company, fieldName: 'B', signerName: 'Company', appearance: { page: 1, x: 10, y: 10, width: 80, height: 80, png: sealA } });
    const ab = await signPdf({ pdf: a, signer: company, fieldName: 'B', signerName: 'Company', appearance: { page: 1, x: 10, y: 10, width: 80, height: 80, png: sealB } });
    for (const pdf of [a, b, ab]) {
      const report = await verifyPdf(pdf, { trustedRootsPem: [ca.rootCertificatePem()] });
      expect(report.intact && report.signedByPlatform && !report.modifiedAfterSigning).toBe(true);
      const { signatures } = pdfsig(pdf, ca.rootCertificatePem());
      expect(signatures.length).toBe(report.signatureCount);
      for (const block of signatures) expect(block).toContain('Signature is Valid.');
    }
    // Already-signed PDFs are returned untouched.
    expect(await prepareForSigning(a)).toBe(a);
  });

  it('rejects positions outside the page, missing pages, duplicate names and bad images', async () => {
    const input = (over: Partial<SignPdfInput['appearance']>, fieldName = 'x'): SignPdfInput => ({
      pdf: once,
      signer: company,
      fieldName,
      signerName: 'x',
      appearance: { page: 1, x: 10, y: 10, width: 50, height: 50, png: sealA, ...over },
    });
    const code = (p: Promise<unknown>) => p.then(() => 'resolved', (e: unknown) => (e instanceof DocumentError ? e.code : String(e)));
    expect(await code(signPdf(input({ x: 560 })))).toBe('POSITION_OUT_OF_PAGE');
    expect(await code(signPdf(input({ y: -1 })))).toBe('POSITION_OUT_OF_PAGE');
    expect(await code(signPdf(input({ y: 800, height: 50 })))).toBe('POSITION_OUT_OF_PAGE');
    expect(await code(signPdf(input({ width: 0 })))).toBe('POSITION_OUT_OF_PAGE');
    expect(await code(signPdf(input({ x: Number.NaN })))).toBe('POSITION_OUT_OF_PAGE');
    expect(await code(signPdf(input({ page: 4 })))).toBe('PAGE_NOT_FOUND');
    expect(await code(signPdf(input({ page: 0 })))).toBe('PAGE_NOT_FOUND');
    expect(await code(signPdf(input({}, '签署方1')))).toBe('FIELD_NAME_TAKEN');
    expect(await code(signPdf(input({}, 'a.b')))).toBe('INVALID_FIELD_NAME');
    expect(await code(signPdf(input({ png: new Uint8Array([1, 2, 3]) })))).toBe('INVALID_IMAGE');
    expect(await code(signPdf({ ...input({}), pdf: Buffer.from('not a pdf') }))).toBe('NOT_A_PDF');
    // Exactly at the edge is fine.
    const edge = await signPdf(input({ x: A4[0] - 50, y: A4[1] - 50 }, 'edge'));
    expect((await verifyPdf(edge, { trustedRootsPem: [ca.rootCertificatePem()] })).intact).toBe(true);
  });
});

describe('signPdf: hostile files', () => {
  it('refuses a field tree with repeated kids at once (the signing worker used to walk 2^depth fields)', async () => {
    const ca = await makeCa('Hostile');
    // Key generation and the seal render stay outside the timed part (RSA key generation alone takes 0.3–1.5 s).
    const [signer, png] = [await makeSigner(ca, '张三'), await renderNameSeal('张三')];
    const t = performance.now();
    const err = await signPdf({
      pdf: fieldTreeBomb(30),
      signer,
      signerName: '张三',
      fieldName: '签署方1',
      appearance: { page: 1, x: 10, y: 10, width: 50, height: 50, png },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DocumentError);
    expect((err as DocumentError).code).toBe('PDF_CORRUPT');
    expect(performance.now() - t).toBeLessThan(1000);
  });
});
