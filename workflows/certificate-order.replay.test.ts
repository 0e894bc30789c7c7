/**
 * Replays the recorded CertificateOrderWorkflow histories (one per path: issued, cancel refused
 * when paid, cancel refused while audited, cancelled while unpaid, unpaid deadline, CA down, and a
 * CA cancel failing past the unpaid deadline — recorded with DEADLINE_INTERVAL_PATCH, and
 * `-unpatched` recorded by the code before it, which proves its old branch still replays; and an
 * order whose submit kept failing, ended at its submit deadline, with SUBMIT_DEADLINE_PATCH)
 * against the current workflow code: a change that breaks determinism for running orders fails
 * here. Re-record with RECORD_HISTORY=1 on test/workflows/certificate-order.paths.test.ts only
 * after an intentional, versioned change (ARCHITECTURE.md, "Changing a running workflow").
 */
import fs from 'node:fs';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';

const dir = new URL('./fixtures/', import.meta.url);
const fixtures = fs.readdirSync(dir).filter((f) => /^certificate-order-.+\.history\.json$/.test(f)).sort();

describe('CertificateOrderWorkflow replay', () => {
  it('has a fixture for every path', () => {
    expect(fixtures.map((f) => f.replace(/^certificate-order-|\.history\.json$/g, ''))).toEqual([
      'ca-down',
      'cancel-refused-auditing',
      'cancel-refused-paid',
      'cancelled',
      'deadline-cancel-failing-unpatched',
      'deadline-cancel-failing',
      'issued',
      'submit-deadline',
      'unpaid-deadline',
    ]);
  });

  it('replays every path deterministically (one bundle for all)', async () => {
    const histories = fixtures.map((file) => ({ workflowId: file, history: JSON.parse(fs.readFileSync(new URL(file, dir), 'utf8')) }));
    const failures: string[] = [];
    for await (const result of Worker.runReplayHistories({ workflowsPath: new URL('./index.ts', import.meta.url).pathname, replayName: 'certificate-order' }, histories)) {
      if (result.error) failures.push(`${result.workflowId}: ${String(result.error)}`);
    }
    expect(failures).toEqual([]);
  }, 60_000);
});
