import { Buffer } from 'node:buffer';
import { beforeAll, describe, expect, it } from 'vitest';
import { sealDrawingSpec } from '../../domain/seals/seal-drawing';
import { sealTypeOf } from '../../domain/seals/seal-types';
import type { CertificateAuthority } from '../../integrations/ca/certificate-authority';
import { DocumentError } from '../errors';
import { renderDateSeal } from '../seals/date-seal';
import { renderEnterpriseSeal } from '../seals/enterprise-seal';
import { renderNameSeal } from '../seals/name-seal';
import { prepareForSigning } from './normalize-pdf';
import { signPdf, type SignPdfInput } from './sign-pdf';
import { A4, makeCa, makePdf, makeSigner, pdfsig, qpdfCheck, redPixels, renderPage, signatureWidgets } from './test-helpers';
import { verifyPdf } from './verify-pdf';

/** One signature carrying several marks (enterprise seals, a 日期章, a 骑缝章 over five pages), then a person's 人名章 + 日期章. */
describe('signPdf: several marks and a 骑缝章 in one signature', () => {
  const SEAL = 113; // 40 mm in points
  const RIDING_Y = 300;
  let ca: CertificateAuthority;
  let company: SignPdfInput['signer'];
  let person: SignPdfInput['signer'];
  let sealPng: Uint8Array;
  let datePng: Uint8Array;
  let namePng: Uint8Array;
  let base: Uint8Array;
  let enterpriseSigned: Uint8Array;
  let bothSigned: Uint8Array;

  beforeAll(async () => {
    ca = await makeCa('SealFlow');
    company = await makeSigner(ca, '杭州云签信息科技有限公司');
    person = await makeSigner(ca, '张三丰');
    const spec = sealDrawingSpec(sealTypeOf('contract')!, { name: '杭州云签信息科技有限公司', legalRepresentative: '张伟' }, { securityCode: '3301060012345', departmentName: null });
    sealPng = (await renderEnterpriseSeal({ ...spec, dpi: 200 })).png;
    datePng = await renderDateSeal(new Date('2026-12-01T04:00:00Z'), { format: 'YYYY年MM月DD日', color: 'red' });
    namePng = await renderNameSeal('张三丰');
    base = await prepareForSigning(await makePdf({ pages: 5 }));
    const t = performance.now();
    enterpriseSigned = await signPdf({
      pdf: base,
      signer: company,
      fieldName: '签署方2',
      signerName: '杭州云签信息科技有限公司',
      appearances: [
        { page: 1, x: 300, y: 560, width: SEAL, height: SEAL, png: sealPng },
        { page: 1, x: 300, y: 700, width: 120, height: 36, png: datePng },
        { page: 3, x: 60, y: 600, width: 57, height: 57, png: sealPng },
      ],
      riding: [{ pageFrom: 1, pageTo: 5, y: RIDING_Y, width: SEAL, height: SEAL, png: sealPng }],
    });
    console.log(`sign with 3 marks + 5 riding strips ${(performance.now() - t).toFixed(0)} ms, ${base.length} → ${enterpriseSigned.length} bytes`);
    bothSigned = await signPdf({
      pdf: enterpriseSigned,
      signer: person,
      fieldName: '签署方3',
      signerName: '张三丰',
      appearances: [
        { page: 5, x: 60, y: 100, width: 57, height: 57, png: namePng },
        { page: 5, x: 60, y: 170, width: 120, height: 36, png: datePng },
      ],
    });
  });

  it('pdfsig: both signatures valid and trusted, each over its revision; qpdf --check is clean', () => {
    const { stdout, signatures } = pdfsig(bothSigned, ca.rootCertificatePem());
    console.log(stdout);
    expect(signatures).toHaveLength(2);
    for (const block of signatures) {
      expect(block).toContain('Signature is Valid.');
      expect(block).toContain('Certificate is Trusted.');
    }
    expect(signatures[0]).toContain('Signer Certificate Common Name: 杭州云签信息科技有限公司');
    expect(signatures[1]).toContain('Signer Certificate Common Name: 张三丰');
    expect(signatures[1]).toContain('Total document signed');
    const check = qpdfCheck(bothSigned);
    expect(check.output).toContain('No syntax or stream encoding errors found');
    expect(check.ok).toBe(true);
  });

  it('verifyPdf: both intact, the later signature and its two widgets count as allowed changes', async () => {
    const report = await verifyPdf(bothSigned, { trustedRootsPem: [ca.rootCertificatePem()] });
    expect(report).toMatchObject({ signatureCount: 2, intact: true, signedByPlatform: true, modifiedAfterSigning: false });
    expect(report.signatures.map((s) => [s.fieldName, s.changes])).toEqual([
      ['签署方2', []],
      ['签署方3', []],
    ]);
  });

  it('one signature field, seven widgets, the seal image stored once', () => {
    const update = Buffer.from(enterpriseSigned.subarray(base.length)).toString('latin1');
    expect(update.match(/\/Subtype \/Widget/g)).toHaveLength(3 + 5);
    expect(update.match(/\/FT \/Sig/g)).toHaveLength(1);
    // Two images (the enterprise seal for two marks and five strips, the date seal), each with its alpha mask.
    expect(update.match(/\/Subtype \/Image/g)).toHaveLength(4);
    expect(Buffer.from(enterpriseSigned).toString('latin1').match(/\/SubFilter \/ETSI\.CAdES\.detached/g)).toHaveLength(1);
  });

  it('骑缝章: a red strip of width seal/5 at the right edge of pages 1–5, at the same height, nothing left of it', () => {
    const strip = SEAL / 5;
    const counts: number[] = [];
    for (let page = 1; page <= 5; page++) {
      const r = renderPage(bothSigned, page);
      const atEdge = redPixels(r, A4[0] - strip, RIDING_Y, strip, SEAL);
      counts.push(atEdge);
      expect(atEdge, `page ${page}`).toBeGreaterThan(80);
      expect(redPixels(r, A4[0] - strip - 40, RIDING_Y, 38, SEAL), `left of the strip on page ${page}`).toBe(0);
      expect(redPixels(r, A4[0] - strip, RIDING_Y - 40, strip, 38), `above the strip on page ${page}`).toBe(0);
      expect(redPixels(r, A4[0] - strip, RIDING_Y + SEAL + 2, strip, 38), `below the strip on page ${page}`).toBe(0);
    }
    console.log(`red pixels per strip: ${counts.join(', ')}`);
    // The strips are different slices of the round seal: the outer ones carry less red than the middle one.
    expect(counts[2]!).toBeGreaterThan(counts[0]!);
    expect(counts[2]!).toBeGreaterThan(counts[4]!);
  });

  it('the other marks are drawn where asked', () => {
    const p1 = renderPage(bothSigned, 1);
    expect(redPixels(p1, 300, 560, SEAL, SEAL)).toBeGreaterThan(1000);
    expect(redPixels(p1, 300, 700, 120, 36)).toBeGreaterThan(200);
    expect(redPixels(renderPage(bothSigned, 3), 60, 600, 57, 57)).toBeGreaterThan(300);
    const p5 = renderPage(bothSigned, 5);
    expect(redPixels(p5, 60, 100, 57, 57)).toBeGreaterThan(300);
    expect(redPixels(p5, 60, 170, 120, 36)).toBeGreaterThan(200);
    expect(redPixels(renderPage(bothSigned, 2), 0, 0, A4[0] - SEAL / 5 - 1, A4[1])).toBe(0);
  });

  it('refuses a 骑缝章 range outside the document, an empty range and strips off the page', async () => {
    const code = (riding: NonNullable<SignPdfInput['riding']>[number]) =>
      signPdf({ pdf: base, signer: company, fieldName: 'x', signerName: 'x', riding: [riding] }).then(
        () => 'resolved',
        (e: unknown) => (e instanceof DocumentError ? e.code : String(e)),
      );
    const ok = { pageFrom: 1, pageTo: 5, y: 100, width: SEAL, height: SEAL, png: sealPng };
    expect(await code({ ...ok, pageTo: 6 })).toBe('PAGE_NOT_FOUND');
    expect(await code({ ...ok, pageFrom: 0 })).toBe('PAGE_NOT_FOUND');
    expect(await code({ ...ok, pageFrom: 4, pageTo: 2 })).toBe('PAGE_NOT_FOUND');
    expect(await code({ ...ok, y: A4[1] - SEAL + 5 })).toBe('POSITION_OUT_OF_PAGE');
    expect(await code({ ...ok, width: 0 })).toBe('POSITION_OUT_OF_PAGE');
    expect(await code({ ...ok, png: new Uint8Array([1, 2, 3]) })).toBe('INVALID_IMAGE');
    expect(await signPdf({ pdf: base, signer: company, fieldName: 'x', signerName: 'x' }).catch((e: unknown) => (e as DocumentError).code)).toBe('INVALID_IMAGE');
    // 骑缝规则: a range and rule that select no page.
    expect(await code({ ...ok, pageFrom: 3, pageTo: 3, rule: 'even' })).toBe('RIDING_NO_PAGES');
  });
});

/** 骑缝规则 奇数页: a 骑缝章 over pages 1–4 with the rule 'odd' has its strips on pages 1 and 3 only. */
describe('signPdf: a 骑缝章 on the odd pages of its range', () => {
  const SEAL = 113;
  const RIDING_Y = 300;
  let signed: Uint8Array;
  let base: Uint8Array;
  let ca: CertificateAuthority;

  beforeAll(async () => {
    ca = await makeCa('SealFlow');
    const company = await makeSigner(ca, '杭州云签信息科技有限公司');
    const spec = sealDrawingSpec(sealTypeOf('contract')!, { name: '杭州云签信息科技有限公司', legalRepresentative: '张伟' }, { securityCode: '3301060012345', departmentName: null });
    const sealPng = (await renderEnterpriseSeal({ ...spec, dpi: 200 })).png;
    base = await prepareForSigning(await makePdf({ pages: 4 }));
    signed = await signPdf({ pdf: base, signer: company, fieldName: '签署方1', signerName: '杭州云签信息科技有限公司', riding: [{ pageFrom: 1, pageTo: 4, rule: 'odd', y: RIDING_Y, width: SEAL, height: SEAL, png: sealPng }] });
  });

  it('two widgets, on pages 1 and 3, each half the seal wide at the right edge', async () => {
    const widgets = await signatureWidgets(signed);
    expect(widgets.map((w) => w.page)).toEqual([1, 3]);
    for (const w of widgets) {
      const [x1, y1, x2, y2] = w.rect as [number, number, number, number];
      expect(x2 - x1).toBeCloseTo(SEAL / 2, 1);
      expect(x2).toBeCloseTo(A4[0], 1);
      expect(y2).toBeCloseTo(A4[1] - RIDING_Y, 1);
      expect(y2 - y1).toBeCloseTo(SEAL, 1);
    }
    const update = Buffer.from(signed.subarray(base.length)).toString('latin1');
    expect(update.match(/\/Subtype \/Widget/g)).toHaveLength(2);
  });

  it('red strips at the right edge of pages 1 and 3, nothing on pages 2 and 4; the signature is valid', () => {
    const strip = SEAL / 2;
    const red = [1, 2, 3, 4].map((page) => redPixels(renderPage(signed, page), A4[0] - strip, RIDING_Y, strip, SEAL));
    console.log(`red pixels per page: ${red.join(', ')}`);
    expect(red[0]).toBeGreaterThan(200);
    expect(red[2]).toBeGreaterThan(200);
    expect(red[1]).toBe(0);
    expect(red[3]).toBe(0);
    const { signatures } = pdfsig(signed, ca.rootCertificatePem());
    expect(signatures).toHaveLength(1);
    expect(signatures[0]).toContain('Signature is Valid.');
  });
});
