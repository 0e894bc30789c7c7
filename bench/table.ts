/**
 * One row of the benchmark table (npm run bench): a figure measured today next to the anchor it
 * is judged against (a lower bound, or the reference implementation) measured in the same run, the
 * ratio, and the goal. Every bench section returns rows; bench/run.ts prints them and writes the
 * table to bench/RESULTS.md.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface BenchRow {
  /** Section that produced the row (signing, verification, …). */
  section: string;
  /** What is measured, e.g. 'stamp + PAdES-sign one signer, 10-page PDF (median)'. */
  what: string;
  today: number;
  /** Unit of `today` and `anchor.value`: 'ms', 'KB', 'contracts/s', … */
  unit: string;
  anchor: { what: string; value: number };
  /** today / anchor. */
  ratio: number;
  /** The goal on the ratio: at most `max` (costs) or at least `min` (throughputs). */
  goal: { max: number } | { min: number };
  ok: boolean;
  /** A short note printed after the row (sizes, rounds, what dominated). */
  note?: string;
}

export function benchRow(r: Omit<BenchRow, 'ratio' | 'ok'>): BenchRow {
  const ratio = r.anchor.value > 0 ? r.today / r.anchor.value : Number.POSITIVE_INFINITY;
  const ok = 'max' in r.goal ? ratio <= r.goal.max : ratio >= r.goal.min;
  return { ...r, ratio, ok };
}

const fmt = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2));
const goalText = (g: BenchRow['goal']) => ('max' in g ? `≤ ${g.max}×` : `≥ ${g.min}×`);

export function formatRow(r: BenchRow): string {
  return `${r.ok ? 'ok  ' : 'FAIL'} [${r.section}] ${r.what}: ${fmt(r.today)} ${r.unit} vs ${r.anchor.what} ${fmt(r.anchor.value)} ${r.unit} = ${fmt(r.ratio)}× (goal ${goalText(r.goal)})${r.note ? ` — ${r.note}` : ''}`;
}

export function markdownTable(rows: BenchRow[], header: string): string {
  const lines = [
    header,
    '',
    '| section | what | today | anchor (same run) | ratio | goal | |',
    '|---|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.section} | ${r.what}${r.note ? ` (${r.note})` : ''} | ${fmt(r.today)} ${r.unit} | ${r.anchor.what}: ${fmt(r.anchor.value)} ${r.unit} | ${fmt(r.ratio)}× | ${goalText(r.goal)} | ${r.ok ? 'ok' : 'MISS'} |`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}

export function writeTable(rows: BenchRow[], file: string, header: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, markdownTable(rows, header));
}
