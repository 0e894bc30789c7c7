#!/usr/bin/env node
/* global process, console */
/**
 * Splits the test files of one folder into lanes of about the same length (longest first, each to
 * the lane with the least so far), using the seconds each file took in a recorded run
 * (<folder>/durations.json).
 *
 *   node scripts/lib/test-lanes.mjs <folder> <lanes> <lane index>       prints that lane's files
 *   node scripts/lib/test-lanes.mjs --record <folder> <vitest json>...  rewrites <folder>/durations.json
 *
 * A file missing from the record (new) counts as the median of the recorded ones.
 */
import fs from 'node:fs';
import path from 'node:path';

const recordOf = (folder) => path.join(folder, 'durations.json');

function record(folder, reports) {
  const seconds = {};
  for (const report of reports) {
    for (const file of JSON.parse(fs.readFileSync(report, 'utf8')).testResults) {
      // Reports name files by absolute path, possibly of another checkout: match the folder by its tail.
      if (!path.dirname(file.name).endsWith(path.normalize(folder).replace(/\/$/, ''))) continue;
      seconds[path.basename(file.name)] = Math.max(1, Math.round((file.endTime - file.startTime) / 1000));
    }
  }
  const sorted = Object.fromEntries(Object.entries(seconds).sort(([a], [b]) => a.localeCompare(b)));
  fs.writeFileSync(recordOf(folder), `${JSON.stringify(sorted, null, 2)}\n`);
}

function lanes(folder, count) {
  const recorded = fs.existsSync(recordOf(folder)) ? JSON.parse(fs.readFileSync(recordOf(folder), 'utf8')) : {};
  const known = Object.values(recorded).sort((a, b) => a - b);
  const fallback = known.length ? known[Math.floor(known.length / 2)] : 1;
  const files = fs.readdirSync(folder).filter((f) => f.endsWith('.test.ts')).sort();
  const weighted = files.map((f) => ({ file: path.join(folder, f), seconds: recorded[f] ?? fallback })).sort((a, b) => b.seconds - a.seconds || a.file.localeCompare(b.file));
  const result = Array.from({ length: count }, () => ({ seconds: 0, files: [] }));
  for (const w of weighted) {
    const lane = result.reduce((min, l) => (l.seconds < min.seconds ? l : min));
    lane.seconds += w.seconds;
    lane.files.push(w.file);
  }
  return result;
}

const args = process.argv.slice(2);
if (args[0] === '--record' && args.length >= 3) record(args[1], args.slice(2));
else {
  const [folder, count, index] = [args[0], Number(args[1]), Number(args[2])];
  if (!folder || !fs.existsSync(folder) || !Number.isInteger(count) || count < 1 || !Number.isInteger(index) || index < 0 || index >= count) {
    console.error('usage: test-lanes.mjs <folder> <lanes> <lane index> | --record <folder> <vitest json>...');
    process.exit(2);
  }
  console.log(lanes(folder, count)[index].files.join(' '));
}
