/**
 * Word → PDF benchmark (npm run bench; issue 11): the same filled .docx (the demo purchase contract, 2 pages of
 * Chinese text with a table) converted by
 *  - the warm converter (integrations/office/warm-office-converter.ts: one soffice listener kept running,
 *    driven by python3-uno), after one warm-up document, and
 *  - libreoffice-convert as shipped (the design card's package: a cold soffice with a fresh profile per document),
 * in one run, sequentially, median of each; goal: warm ≥ 5× faster. Also the warm throughput of 20 documents at
 * once on 2 processes. Appended to bench/results.jsonl.
 *
 *   npx tsx bench/word-to-pdf.ts                      # alone; BENCH_WORD_ROUNDS (warm, default 10), BENCH_WORD_SIMPLE_ROUNDS (default 3)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { closeDocumentWorkers, fillDocx } from '../documents';
import { createSimpleOfficeConverter, createWarmOfficeConverter, type OfficeConverter } from '../integrations/office';
import { benchRow, formatRow, type BenchRow } from './table';

export const WORD_RATIO_TARGET = 5;

export interface WordToPdfResult {
  docxBytes: number;
  warmRounds: number;
  simpleRounds: number;
  warmMedianMs: number;
  simpleMedianMs: number;
  ratio: number;
  /** 20 documents at once on 2 warm processes. */
  parallelDocs: number;
  parallelSeconds: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function timeEach(converter: OfficeConverter, docx: Uint8Array, rounds: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t = performance.now();
    await converter.toPdf(docx);
    times.push(performance.now() - t);
  }
  return times;
}

export async function runWordToPdfBench(): Promise<WordToPdfResult> {
  const warmRounds = Number(process.env.BENCH_WORD_ROUNDS ?? 10);
  const simpleRounds = Number(process.env.BENCH_WORD_SIMPLE_ROUNDS ?? 3);
  const template = new Uint8Array(fs.readFileSync(new URL('../templates/demo/purchase-contract.docx', import.meta.url)));
  const docx = await fillDocx(template, {
    合同编号: 'CG-BENCH-0001', 甲方名称: '北京示例科技有限公司', 乙方名称: '上海供货贸易有限公司', 签订日期: '2026年12月2日',
    交货地点: '北京市海淀区中关村大街1号', 货物名称: '服务器', 规格型号: 'X-2000', 数量: '10', 单价: '1,234.56', 总金额: '12,345.67', 总金额大写: '壹万贰仟叁佰肆拾伍元陆角柒分',
  });
  const profileRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'sealflow-bench-office-'));
  const warm = createWarmOfficeConverter({ processes: 2, maxQueue: 32, timeoutMs: 120_000, profileRoot });
  const simple = createSimpleOfficeConverter({ concurrency: 1, timeoutMs: 180_000 });
  try {
    await warm.warm();
    await warm.toPdf(docx); // warm-up: the first document loads the Writer import and PDF export code
    const warmTimes = await timeEach(warm, docx, warmRounds);
    const simpleTimes = await timeEach(simple, docx, simpleRounds);
    const t = performance.now();
    await Promise.all(Array.from({ length: 20 }, () => warm.toPdf(docx)));
    const parallelSeconds = (performance.now() - t) / 1000;
    const warmMedianMs = median(warmTimes);
    const simpleMedianMs = median(simpleTimes);
    return { docxBytes: docx.byteLength, warmRounds, simpleRounds, warmMedianMs, simpleMedianMs, ratio: simpleMedianMs / warmMedianMs, parallelDocs: 20, parallelSeconds };
  } finally {
    await Promise.all([warm.close(), simple.close()]);
    fs.rmSync(profileRoot, { recursive: true, force: true });
  }
}

/** The comparison as a bench row: warm converter time per document against libreoffice-convert's (goal: ≥ 5× faster). */
export function wordToPdfRow(r: WordToPdfResult): BenchRow {
  return benchRow({
    section: 'word-to-pdf',
    what: `Word → PDF, one ${(r.docxBytes / 1024).toFixed(0)} KB .docx, warm LibreOffice listener (median of ${r.warmRounds})`,
    today: r.warmMedianMs,
    unit: 'ms',
    anchor: { what: `libreoffice-convert (median of ${r.simpleRounds})`, value: r.simpleMedianMs },
    goal: { max: 1 / WORD_RATIO_TARGET },
    note: `${r.parallelDocs} docs at once on 2 warm processes: ${r.parallelSeconds.toFixed(1)} s`,
  });
}

export function recordWordToPdf(r: WordToPdfResult) {
  fs.appendFileSync(path.resolve('bench/results.jsonl'), `${JSON.stringify({ bench: 'word-to-pdf', at: new Date().toISOString(), ...r })}\n`);
}

/** Bench section (bench/run.ts). */
export async function run(): Promise<BenchRow[]> {
  const r = await runWordToPdfBench();
  recordWordToPdf(r);
  await closeDocumentWorkers(0);
  return [wordToPdfRow(r)];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [row] = await run();
  console.log(formatRow(row!));
  process.exit(row!.ok ? 0 : 1);
}
