import { afterAll, describe, expect, it } from 'vitest';
import { DocumentError } from '../errors';
import { flateBomb, pageTreeBomb, rawPdf } from '../pdf/hostile-pdfs';
import { RETIRE_AFTER_PARSED_VALUES } from '../pdf/interned-values';
import { inspectPdf as inspectInThread } from '../pdf/inspect-pdf';
import { makeCa, makePdf, makeSigner } from '../pdf/test-helpers';
import { renderNameSeal } from '../seals/name-seal';
import { closeDocumentWorkers, configureDocumentWorkers, documentWorkerStats, inspectPdf, prepareForSigning, signPdf, verifyPdf } from './pdf-tasks';

afterAll(() => closeDocumentWorkers(0));

describe('document functions in worker threads (same names and call shapes)', () => {
  it('inspect, prepare, sign and verify give the in-thread results; the caller keeps its bytes', async () => {
    const pdf = await makePdf({ pages: 3, useObjectStreams: true });
    const limits = { maxBytes: 5e6, maxPages: 50 };
    expect(await inspectPdf(pdf, limits)).toEqual(await inspectInThread(pdf, limits));
    expect(pdf.byteLength).toBeGreaterThan(0); // not transferred away from the caller
    const prepared = await prepareForSigning(pdf);
    expect(prepared).toBeInstanceOf(Uint8Array);
    const ca = await makeCa('Pool');
    const png = await renderNameSeal('张三');
    const signed = await signPdf({ pdf: prepared, signer: await makeSigner(ca, '张三'), signerName: '张三', fieldName: '签署方1', appearance: { page: 1, x: 50, y: 50, width: 57, height: 57, png } });
    expect(png.byteLength).toBeGreaterThan(0);
    const report = await verifyPdf(signed, { trustedRootsPem: [ca.rootCertificatePem()] });
    expect(report).toMatchObject({ readable: true, signatureCount: 1, intact: true, signedByPlatform: true, modifiedAfterSigning: false });
  });

  it('hostile files fail as DocumentErrors without blocking this thread', async () => {
    let lag = 0;
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      lag = Math.max(lag, now - last - 5);
      last = now;
    }, 5);
    const results = await Promise.all([inspectPdf(pageTreeBomb(24), { maxBytes: 5e6, maxPages: 500 }), inspectPdf(flateBomb(), { maxBytes: 5e6, maxPages: 500 })].map((p) => p.catch((e: unknown) => e)));
    clearInterval(timer);
    expect(results[0]).toBeInstanceOf(DocumentError);
    expect(results.map((e) => (e as DocumentError).code)).toEqual(['PDF_CORRUPT', 'PDF_TOO_COMPLEX']);
    expect(lag).toBeLessThan(100);
  });

  it('a thread that parsed more than RETIRE_AFTER_PARSED_VALUES values (pdf-lib interns names for good) is replaced, and serves on', async () => {
    await configureDocumentWorkers({ size: 1 });
    // Each upload has 20 % of the bound in distinct names, each counted twice (a value and a name): 40 % of the
    // bound. The thread keeps them all (≈ 130 bytes each).
    const names = (tag: string) => rawPdf([`<< /Type /Catalog /Pages 2 0 R /X [${Array.from({ length: RETIRE_AFTER_PARSED_VALUES * 0.2 }, (_, i) => `/${tag}${i}`).join(' ')}] >>`, '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>']);
    const limits = { maxBytes: 50e6, maxPages: 50 };
    for (const tag of ['a', 'b']) expect(await inspectPdf(names(tag), limits)).toMatchObject({ pageCount: 1 });
    expect(documentWorkerStats().retired).toBe(0);
    expect(await inspectPdf(names('c'), limits)).toMatchObject({ pageCount: 1 });
    expect(documentWorkerStats()).toMatchObject({ retired: 1, replaced: 0 });
    expect(await inspectPdf(await makePdf({ pages: 2 }), limits)).toMatchObject({ pageCount: 2 });
  }, 60_000);
});
