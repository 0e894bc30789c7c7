import { Buffer } from 'node:buffer';
import { PDFDict, PDFDocument as IncrementalDocument, PDFHexString, PDFName, PDFRef } from 'pdf-lib-incremental-save';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CertificateAuthority } from '../../integrations/ca/certificate-authority';
import { renderNameSeal } from '../seals/name-seal';
import { prepareForSigning } from './normalize-pdf';
import { signPdf, type SignPdfInput } from './sign-pdf';
import { makeCa, makePdf, makeSigner, pdfsig } from './test-helpers';
import { verifyPdf } from './verify-pdf';

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
        signatureCount: 0,
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
