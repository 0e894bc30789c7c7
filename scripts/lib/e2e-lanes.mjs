#!/usr/bin/env node
/* global process, console */
/**
 * Splits the browser test files into lanes of about the same length (longest first, each to the
 * lane with the least so far), using the seconds each file took in a recorded run.
 *
 *   node scripts/lib/e2e-lanes.mjs <lanes> <lane index>       prints that lane's files
 *   node scripts/lib/e2e-lanes.mjs --record <vitest json>...  rewrites test/e2e/durations.json
 *
 * A file missing from the record (new) counts as the median of the recorded ones.
 */
import fs from 'node:fs';
import path from 'node:path';

const DIR = 'test/e2e';
const RECORD = path.join(DIR, 'durations.json');

function record(reports) {
  const seconds = {};
  for (const report of reports) {
    for (const file of JSON.parse(fs.readFileSync(report, 'utf8')).testResults) {
      seconds[path.basename(file.name)] = Math.max(1, Math.round((file.endTime - file.startTime) / 1000));
    }
  }
  const sorted = Object.fromEntries(Object.entries(seconds).sort(([a], [b]) => a.localeCompare(b)));
  fs.writeFileSync(RECORD, `${JSON.stringify(sorted, null, 2)}\n`);
}

function lanes(count) {
  const recorded = fs.existsSync(RECORD) ? JSON.parse(fs.readFileSync(RECORD, 'utf8')) : {};
  const known = Object.values(recorded).sort((a, b) => a - b);
  const fallback = known.length ? known[Math.floor(known.length / 2)] : 1;
  const files = fs.readdirSync(DIR).filter((f) => f.endsWith('.test.ts')).sort();
  const weighted = files.map((f) => ({ file: path.join(DIR, f), seconds: recorded[f] ?? fallback })).sort((a, b) => b.seconds - a.seconds || a.file.localeCompare(b.file));
  const result = Array.from({ length: count }, () => ({ seconds: 0, files: [] }));
  for (const w of weighted) {
    const lane = result.reduce((min, l) => (l.seconds < min.seconds ? l : min));
    lane.seconds += w.seconds;
    lane.files.push(w.file);
  }
  return result;
}

const [first, ...rest] = process.argv.slice(2);
if (first === '--record') record(rest);
else {
  const count = Number(first);
  const index = Number(rest[0]);
  if (!Number.isInteger(count) || count < 1 || !Number.isInteger(index) || index < 0 || index >= count) {
    console.error('usage: e2e-lanes.mjs <lanes> <lane index> | --record <vitest json>...');
    process.exit(2);
  }
  console.log(lanes(count)[index].files.join(' '));
}
