/**
 * Document engine budgets (npm run bench): everyday operations and hostile files through the
 * worker-thread pool the API and the Temporal worker use, each against the budget it must stay
 * within (the anchor is the budget, so the ratio is the share of it used; goal ≤ 1×).
 */
import { closeDocumentWorkers, inspectPdf, prepareForSigning, renderNameSeal, signPdf, verifyPdf, warmDocumentWorkers } from '../documents';
import { byteRangeComments, flateBomb, pageTreeBomb } from '../documents/pdf/hostile-pdfs';
import { makeCa, makePdf, makeSigner } from '../documents/pdf/test-helpers';
import { medianMs } from './measure';
import { benchRow, type BenchRow } from './table';

const refused = (p: Promise<unknown>) => p.then(() => Promise.reject(new Error('hostile file accepted')), () => undefined);
const LIMITS = { maxBytes: 20e6, maxPages: 500 };

export async function run(): Promise<BenchRow[]> {
  await warmDocumentWorkers();
  try {
    const ca = await makeCa('Bench CA');
    const [a, b] = [await makeSigner(ca, '张三'), await makeSigner(ca, '李四')];
    const pdf = await prepareForSigning(await makePdf({ pages: 10 }));
    const seal = await renderNameSeal('张三');
    const appearance = (x: number) => ({ page: 10, x, y: 600, width: 57, height: 57, png: seal });
    const once = await signPdf({ pdf, signer: a, signerName: '张三', fieldName: '签署方1', appearance: appearance(100) });
    const twice = await signPdf({ pdf: once, signer: b, signerName: '李四', fieldName: '签署方2', appearance: appearance(350) });
    const roots = { trustedRootsPem: [ca.rootCertificatePem()] };
    const [treeBomb, zipBomb, commentBomb] = [pageTreeBomb(24), flateBomb(), byteRangeComments(twice, 5000)];
    const budgets: [string, number, () => Promise<unknown>][] = [
      ['inspect a 10-page upload (pool)', 50, () => inspectPdf(pdf, LIMITS)],
      ['prepare for signing, 10 pages (pool)', 100, () => prepareForSigning(pdf)],
      ['sign #2 incremental (pool, incl. transfer)', 400, () => signPdf({ pdf: once, signer: b, signerName: '李四', fieldName: '签署方2', appearance: appearance(350) })],
      ['verify 2 signatures (pool, incl. transfer)', 400, () => verifyPdf(twice, roots)],
      ['人名章 render (cached)', 5, () => renderNameSeal('张三')],
      ['refuse a page-tree bomb', 100, () => refused(inspectPdf(treeBomb, LIMITS))],
      ['refuse a flate bomb 1 MB → 1 GB', 500, () => refused(inspectPdf(zipBomb, LIMITS))],
      ['verify a /ByteRange comment bomb', 500, () => verifyPdf(commentBomb, roots)],
    ];
    const rows: BenchRow[] = [];
    for (const [what, budget, op] of budgets) {
      rows.push(benchRow({ section: 'engine budgets', what: `${what} (median)`, today: await medianMs(op, 10, 1), unit: 'ms', anchor: { what: 'budget', value: budget }, goal: { max: 1 } }));
    }
    return rows;
  } finally {
    await closeDocumentWorkers(0);
  }
}
