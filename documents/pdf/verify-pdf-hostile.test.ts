import { X509Certificate } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import * as asn1js from 'asn1js';
import * as L from 'pdf-lib';
import * as pkijs from 'pkijs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CertificateAuthority } from '../../integrations/ca/certificate-authority';
import { renderNameSeal } from '../seals/name-seal';
import { longFieldName, signaturesSharingOneRange, signedWith } from './hostile-pdfs';
import { prepareForSigning } from './normalize-pdf';
import { MAX_EXAMINED } from './revision-rules';
import { signPdf } from './sign-pdf';
import { makeCa, makePdf, makeSigner } from './test-helpers';
import { cmsChecksStarted, verifyPdf } from './verify-pdf';

/**
 * 文件验证 of hostile files: every file gets a report (or, unreadable, its DocumentError code), never an
 * exception — in the document threads an exception was a 500.
 */
describe('verifyPdf: hostile files get a report, never an exception', () => {
  let ca: CertificateAuthority;
  let roots: { trustedRootsPem: string[] };
  let signed: Buffer;

  beforeAll(async () => {
    ca = await makeCa('SealFlow');
    roots = { trustedRootsPem: [ca.rootCertificatePem()] };
    const png = await renderNameSeal('张三');
    const pdf = await prepareForSigning(await makePdf({ pages: 1 }));
    signed = Buffer.from(await signPdf({ pdf, signer: await makeSigner(ca, '张三'), signerName: '张三', fieldName: '签署方1', appearance: { page: 1, x: 60, y: 60, width: 57, height: 57, png } }));
  });

  it('a field name of 1,000,000 characters: unreadable, PDF_TOO_COMPLEX (pdf-lib overflowed its stack decoding it)', async () => {
    expect(await verifyPdf(longFieldName(), roots)).toMatchObject({ isPdf: true, readable: false, unreadableReason: 'PDF_TOO_COMPLEX' });
    // Through a reference, where only the role analysis of a signed file resolves it.
    const indirect = signedWith('null', '6 0 R', [`<${'61'.repeat(1_000_000)}>`]);
    expect(await verifyPdf(indirect, roots)).toMatchObject({ isPdf: true, readable: false, unreadableReason: 'PDF_TOO_COMPLEX' });
  });

  it('a signed file with a 300,000-element array: analysed and reported (the role walk spread it into push())', async () => {
    // Past the stack of this test process (150,000); the document threads' larger stack overflowed at 700,000.
    const report = await verifyPdf(signedWith(`[${'0 '.repeat(300_000)}]`), roots);
    expect(report).toMatchObject({ readable: true, signatureCount: 1, intact: false });
    expect(report.signatures[0]!.error).toBe('ByteRange gap is not the /Contents string');
  });

  it(`an update whose cross-reference stream points ${MAX_EXAMINED + 5000} entries nowhere: 'structure', and the entries past ${MAX_EXAMINED} are not classified one by one`, async () => {
    const text = signed.toString('latin1');
    const root = [...text.matchAll(/\/Root\s+(\d+ \d+ R)/g)].at(-1)![1];
    const prev = [...text.matchAll(/startxref\s+(\d+)/g)].at(-1)![1];
    const size = Number([...text.matchAll(/\/Size\s+(\d+)/g)].at(-1)![1]);
    const page = (await L.PDFDocument.load(signed)).getPages()[0]!.ref.objectNumber;
    // Rows /W [1 1 0]: type 1 at offset 0, where no object is: objects no role names, then the page, last.
    const nowhere = MAX_EXAMINED + 5000;
    const data = deflateSync(Buffer.alloc(2 * (nowhere + 1), Buffer.from([1, 0])));
    const offset = signed.length + 1;
    const update = Buffer.concat([
      Buffer.from(`\n${size} 0 obj\n<< /Type /XRef /Size ${1_000_000 + nowhere} /Index [1000000 ${nowhere} ${page} 1] /W [1 1 0] /Root ${root} /Prev ${prev} /Filter /FlateDecode /Length ${data.length} >>\nstream\n`, 'latin1'),
      data,
      Buffer.from(`\nendstream\nendobj\nstartxref\n${offset}\n%%EOF\n`, 'latin1'),
    ]);
    const report = await verifyPdf(Buffer.concat([signed, update]), roots);
    expect(report.signatures[0]).toMatchObject({ intact: true, modifiedAfterSigning: true });
    // The page's entry comes after the budget: before, each of the 25,000 entries was classified, the page removed too.
    expect(report.signatures[0]!.changes.map((c) => c.kind)).toEqual(['structure']);
  });

  it('a CMS carrying a certificate pkijs reads and node refuses: the signature is reported (intact, chained through the readable ones)', async () => {
    const m = /\/ByteRange\s*\[\s*0\s+(\d+)\s+(\d+)/.exec(signed.toString('latin1'))!;
    const [l1, s2] = [Number(m[1]), Number(m[2])];
    const gap = signed.toString('latin1', l1 + 1, s2 - 1);
    const cms = Buffer.from(gap, 'hex');
    const content = pkijs.ContentInfo.fromBER(cms.buffer.slice(cms.byteOffset, cms.byteOffset + cms.byteLength));
    const signedData = new pkijs.SignedData({ schema: content.content });
    const first = signedData.certificates![0] as pkijs.Certificate;
    // The signer's certificate with its subject's CN as an OCTET STRING: pkijs takes it, OpenSSL does not.
    const der = Buffer.from(first.toSchema().toBER(false));
    const cn = der.lastIndexOf(Buffer.from([0x06, 0x03, 0x55, 0x04, 0x03]));
    der[cn + 5] = 0x04;
    expect(() => new X509Certificate(der)).toThrow();
    signedData.certificates!.push(pkijs.Certificate.fromBER(der.buffer.slice(der.byteOffset, der.byteOffset + der.byteLength)));
    const carrying = Buffer.from(new pkijs.ContentInfo({ contentType: content.contentType, content: signedData.toSchema(true) }).toSchema().toBER(false));
    const hex = carrying.toString('hex');
    expect(hex.length).toBeLessThanOrEqual(gap.length);
    const tampered = Buffer.from(signed);
    tampered.write(hex.padEnd(gap.length, '0'), l1 + 1, 'latin1');
    expect(asn1js.fromBER(carrying.buffer.slice(carrying.byteOffset, carrying.byteOffset + carrying.byteLength)).offset).toBe(carrying.byteLength);

    const report = await verifyPdf(tampered, roots);
    expect(report).toMatchObject({ readable: true, signatureCount: 1 });
    expect(report.signatures[0]).toMatchObject({ fieldName: '签署方1', intact: true, chainedToPlatform: true, signerName: '张三' });
  });

  it('signature ranges that all name one 4 MB span of a content stream: refused before any CMS is decoded (the gap must be the dictionary’s own /Contents)', async () => {
    // Each decoded and read again: a 9.5 MB DER of `05 00` pairs took 2 s and 361 MB per signature.
    const der = Buffer.concat([Buffer.from([0x30, 0x84, 0x00, 0x20, 0x00, 0x00]), Buffer.alloc(2 * 1024 * 1024, Buffer.from([0x05, 0x00]))]);
    const pdf = signaturesSharingOneRange(5, '3000', der.toString('hex'));
    const before = cmsChecksStarted();
    const report = await verifyPdf(pdf, roots);
    expect(report).toMatchObject({ readable: true, signatureCount: 5, intact: false });
    expect(report.signatures.map((s) => s.error)).toEqual(Array(5).fill('ByteRange gap is not the /Contents string'));
    expect(cmsChecksStarted() - before).toBe(0);
  });

  it('20 signature dictionaries with one byte range (and the same /Contents): their CMS is decoded and checked once', async () => {
    const pdf = signaturesSharingOneRange(20, `3003${'0'.repeat(6)}`);
    const before = cmsChecksStarted();
    const report = await verifyPdf(pdf, roots);
    expect(report).toMatchObject({ readable: true, signatureCount: 20, intact: false });
    expect(new Set(report.signatures.map((s) => s.error))).toEqual(new Set(['signature contents are not valid DER']));
    expect(cmsChecksStarted() - before).toBe(1);
  });
});
