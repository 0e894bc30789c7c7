/**
 * Replays the recorded AdminTransferWorkflow histories (one per path: completed, cancel during
 * the administrator's confirmation, cancel refused during acceptance, first SMS failed, completion
 * re-check failed, expired, target removed, cancelled by the administrator (the ending told who cancelled), administrator replaced, the new administrator judged by the
 * database while the run's step was behind the row, a Cancel from Temporal UI while waiting and while the completion ran,
 * ProcessStatus upserted at each step, a run reset after its transfer ended adopting the row's ending, malformed signals
 * and Updates sent from Temporal UI)
 * against the current workflow code: a change that
 * breaks determinism for running transfers fails here. Re-record with RECORD_HISTORY=1 on
 * test/workflows/admin-transfer.test.ts only after an intentional, versioned change.
 */
import fs from 'node:fs';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';

const dir = new URL('./fixtures/', import.meta.url);
const fixtures = fs.readdirSync(dir).filter((f) => /^admin-transfer-.+\.history\.json$/.test(f)).sort();

describe('AdminTransferWorkflow replay', () => {
  it('has a fixture for every path', () => {
    expect(fixtures.map((f) => f.replace(/^admin-transfer-|\.history\.json$/g, ''))).toEqual([
      'accepted-after-deadline',
      'administrator-replaced',
      'adopted-end',
      'cancel-during-accept',
      'cancel-during-completion',
      'cancel-during-confirm',
      'cancelled-by-admin',
      'cancelled-waiting',
      'completed',
      'expired',
      'first-sms-failed',
      'malformed-messages',
      'process-status',
      'recheck-failed',
      'row-ahead',
      'stale-step',
      'target-removed',
    ]);
  });

  it('replays every path deterministically (one bundle for all)', async () => {
    const histories = fixtures.map((file) => ({ workflowId: file, history: JSON.parse(fs.readFileSync(new URL(file, dir), 'utf8')) }));
    const failures: string[] = [];
    for await (const result of Worker.runReplayHistories({ workflowsPath: new URL('./index.ts', import.meta.url).pathname, replayName: 'admin-transfer' }, histories)) {
      if (result.error) failures.push(`${result.workflowId}: ${String(result.error)}`);
    }
    expect(failures).toEqual([]);
  }, 60_000);
});
