/**
 * Benchmarks (npm run bench) of the document engine: the per-signature cost on a 10-page contract,
 * through the worker-thread pool the API and the Temporal worker use, and how fast hostile files
 * are refused; then the contract inbox (bench/inbox.ts), Word → PDF (bench/word-to-pdf.ts) and batch signing. Targets are checked here, not in tests;
 * a miss prints FAIL and exits 1.
 */
import { performance } from 'node:perf_hooks';
import { closeDocumentWorkers, inspectPdf, prepareForSigning, renderNameSeal, signPdf, verifyPdf, warmDocumentWorkers } from '../documents';
import { byteRangeComments, flateBomb, pageTreeBomb } from '../documents/pdf/hostile-pdfs';
import { makeCa, makePdf, makeSigner } from '../documents/pdf/test-helpers';
import { formatBatchSign, recordBatchSign, runBatchSignBench } from './batch-sign';
import { formatInbox, INBOX_RATIO_TARGET, runInboxBench } from './inbox';
import { formatWordToPdf, recordWordToPdf, runWordToPdfBench, WORD_RATIO_TARGET } from './word-to-pdf';

const ROUNDS = 10;

/** Median milliseconds per run, with a target. */
const TARGETS_MS: Record<string, number> = {
  'inspect 10 pages': 50,
  'prepare for signing': 100,
  'sign #1 (seal + PAdES)': 400,
  'sign #2 (incremental)': 400,
  'verify 2 signatures': 400,
  'seal render (cached)': 5,
  'refuse page-tree bomb': 100,
  'refuse flate bomb 1 MB→1 GB': 500,
  'verify /ByteRange bomb': 500,
};

async function measure(name: string, run: () => Promise<unknown>): Promise<number> {
  await run(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const t = performance.now();
    await run();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

const refused = (p: Promise<unknown>) => p.then(() => Promise.reject(new Error('hostile file accepted')), () => undefined);

await warmDocumentWorkers();
const ca = await makeCa('Bench CA');
const [a, b] = [await makeSigner(ca, '张三'), await makeSigner(ca, '李四')];
const pdf = await prepareForSigning(await makePdf({ pages: 10 }));
const seal = await renderNameSeal('张三');
const appearance = (x: number) => ({ page: 10, x, y: 600, width: 57, height: 57, png: seal });
const once = await signPdf({ pdf, signer: a, signerName: '张三', fieldName: '签署方1', appearance: appearance(100) });
const twice = await signPdf({ pdf: once, signer: b, signerName: '李四', fieldName: '签署方2', appearance: appearance(350) });

const [treeBomb, zipBomb, commentBomb] = [pageTreeBomb(24), flateBomb(), byteRangeComments(twice, 5000)];

const results: [string, number][] = [
  ['inspect 10 pages', await measure('inspect', () => inspectPdf(pdf, { maxBytes: 20e6, maxPages: 500 }))],
  ['prepare for signing', await measure('prepare', () => prepareForSigning(pdf))],
  ['sign #1 (seal + PAdES)', await measure('sign1', () => signPdf({ pdf, signer: a, signerName: '张三', fieldName: '签署方1', appearance: appearance(100) }))],
  ['sign #2 (incremental)', await measure('sign2', () => signPdf({ pdf: once, signer: b, signerName: '李四', fieldName: '签署方2', appearance: appearance(350) }))],
  ['verify 2 signatures', await measure('verify', () => verifyPdf(twice, { trustedRootsPem: [ca.rootCertificatePem()] }))],
  ['seal render (cached)', await measure('seal', () => renderNameSeal('张三'))],
  ['refuse page-tree bomb', await measure('page-tree', () => refused(inspectPdf(treeBomb, { maxBytes: 20e6, maxPages: 500 })))],
  ['refuse flate bomb 1 MB→1 GB', await measure('flate', () => refused(inspectPdf(zipBomb, { maxBytes: 20e6, maxPages: 500 })))],
  ['verify /ByteRange bomb', await measure('byterange', () => verifyPdf(commentBomb, { trustedRootsPem: [ca.rootCertificatePem()] }))],
];

let failed = 0;
for (const [name, ms] of results) {
  const target = TARGETS_MS[name]!;
  const ok = ms <= target;
  if (!ok) failed++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name.padEnd(26)} median ${ms.toFixed(1).padStart(7)} ms   target ≤ ${target} ms`);
}
console.log(`signed 10-page contract: ${(twice.byteLength / 1024).toFixed(0)} KB (from ${(pdf.byteLength / 1024).toFixed(0)} KB)`);
await closeDocumentWorkers(0);
// Contract lists: page 1 of 待我签署 at 10 k and 1 M list rows (SQLite, MariaDB), p95 and ratio.
for (const r of await runInboxBench()) {
  if (r.ratio > INBOX_RATIO_TARGET) failed++;
  console.log(formatInbox(r));
}
// Word → PDF (issue 11): warm LibreOffice listener vs libreoffice-convert on the same .docx (goal ≥ 5×); appended to bench/results.jsonl.
const word = await runWordToPdfBench();
recordWordToPdf(word);
if (word.ratio < WORD_RATIO_TARGET) failed++;
console.log(formatWordToPdf(word));
await closeDocumentWorkers(0);
// Batch signing (M30): N preset contracts in one batch vs one by one over the API (goal ≥ 2×); appended to bench/results.jsonl.
const batch = await runBatchSignBench();
recordBatchSign(batch);
if (!formatBatchSign(batch).startsWith('ok')) failed++;
console.log(formatBatchSign(batch));
process.exit(failed ? 1 : 0);
