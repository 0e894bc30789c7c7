#!/usr/bin/env node
/* global process, console */
/**
 * The last lines of a test run (scripts/test.sh), printed also when a phase failed: tests per report, the
 * names of failed tests, and for a lane that failed without a failed test (its global set-up died, a worker
 * crashed) the tail of its log, so that whoever reads only the end of the output sees why.
 *
 *   node scripts/lib/test-summary.mjs <results dir> <logs dir> <seconds> [failed lane name ...]
 * Exits 1 when a test or a lane failed.
 */
import fs from 'node:fs';
import path from 'node:path';

const [resultsDir, logsDir, seconds, ...failedLanes] = process.argv.slice(2);
const LOG_TAIL_LINES = 40;

let passed = 0;
let failed = 0;
let skipped = 0;
const failures = [];
const reports = fs.existsSync(resultsDir) ? fs.readdirSync(resultsDir).filter((f) => f.endsWith('.json')).sort() : [];
for (const file of reports) {
  let report;
  try {
    report = JSON.parse(fs.readFileSync(path.join(resultsDir, file), 'utf8'));
  } catch (error) {
    console.log(`  ${file}: unreadable report (${error.message})`);
    failed += 1;
    continue;
  }
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + report.numTodoTests;
  console.log(`  ${file.replace('.json', '').padEnd(22)} ${report.numPassedTests} passed / ${report.numFailedTests} failed`);
  for (const suite of report.testResults ?? []) {
    const where = path.relative(process.cwd(), suite.name);
    const failedTests = (suite.assertionResults ?? []).filter((t) => t.status === 'failed');
    for (const test of failedTests) failures.push(`${where} > ${test.fullName}: ${firstLine(test.failureMessages?.[0])}`);
    if (suite.status === 'failed' && failedTests.length === 0) failures.push(`${where}: ${firstLine(suite.message) || 'the file failed'}`);
  }
}

if (failures.length) {
  console.log('\nFailed:');
  for (const f of failures) console.log(`  ${f}`);
}
for (const lane of failedLanes) {
  console.log(`\nLane failed: ${lane}; the last ${LOG_TAIL_LINES} lines of its log:`);
  const log = path.join(logsDir, `${lane}.log`);
  const lines = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n') : ['(no log)'];
  for (const line of lines.slice(-LOG_TAIL_LINES)) console.log(`  | ${line}`);
}
console.log(`took ${seconds} s`);
console.log(`\nTotal: ${passed} passed, ${failed} failed, ${skipped} skipped${failedLanes.length ? `; lanes failed: ${failedLanes.join(', ')}` : ''}`);
process.exit(failed || failedLanes.length ? 1 : 0);

function firstLine(text) {
  // eslint-disable-next-line no-control-regex
  return String(text ?? '').replace(/\u001b\[[0-9;]*m/g, '').split('\n').find((l) => l.trim())?.trim().slice(0, 300) ?? '';
}
