/**
 * Benchmarks (npm run bench): every figure next to the anchor it is judged against, measured in
 * the same run, with the ratio and the goal (bench/table.ts). Prints the rows, writes the table to
 * bench/RESULTS.md and appends the rows to bench/results.jsonl. Exits 1 when a goal is missed.
 * Targets are checked here, never in tests.
 *
 *   npm run bench                                   # every section
 *   BENCH_ONLY=signing,verification npm run bench   # some sections (names below)
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { formatRow, writeTable, type BenchRow } from './table';

type Section = () => Promise<BenchRow[]>;

/** In the order they run: in-process engine figures first, then lists, then the real platform. */
const SECTIONS: Record<string, () => Promise<{ run: Section }>> = {
  signing: () => import('./signing'),
  verification: () => import('./verify'),
  upload: () => import('./upload'),
  'engine-budgets': () => import('./engine-limits'),
  inbox: () => import('./inbox'),
  'word-to-pdf': () => import('./word-to-pdf'),
  'contract-flow': () => import('./contract-flow'),
  'batch-sign': () => import('./batch-sign'),
};

const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim()).filter(Boolean);
const unknown = only?.filter((name) => !(name in SECTIONS)) ?? [];
if (unknown.length) {
  console.error(`unknown bench section(s): ${unknown.join(', ')}; known: ${Object.keys(SECTIONS).join(', ')}`);
  process.exit(2);
}

const rows: BenchRow[] = [];
for (const [name, load] of Object.entries(SECTIONS)) {
  if (only && !only.includes(name)) continue;
  const started = Date.now();
  console.log(`— ${name}`);
  const sectionRows = await (await load()).run();
  for (const row of sectionRows) console.log(formatRow(row));
  console.log(`  (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  rows.push(...sectionRows);
}

const commit = (() => {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
})();
const at = new Date().toISOString();
const header = `# SealFlow benchmark results\n\n\`npm run bench\`${only ? ` (BENCH_ONLY=${only.join(',')})` : ''} at ${at}, commit ${commit}, Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}. Medians unless the row says p95; each anchor was measured in the same run.`;
const file = path.resolve(only ? 'bench/RESULTS.partial.md' : 'bench/RESULTS.md');
writeTable(rows, file, header);
fs.appendFileSync(path.resolve('bench/results.jsonl'), rows.map((r) => JSON.stringify({ bench: 'row', at, commit, ...r })).join('\n') + (rows.length ? '\n' : ''));
const missed = rows.filter((r) => !r.ok);
console.log(`\n${rows.length - missed.length}/${rows.length} goals met; table written to ${path.relative(process.cwd(), file)}`);
process.exit(missed.length ? 1 : 0);
