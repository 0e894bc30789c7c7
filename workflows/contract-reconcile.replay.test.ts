/**
 * Replays the recorded ContractReconcileWorkflow histories (a pass that ended a terminated 批量签署
 * batch, every step up to the batch step; a pass whose first step failed while the others ran,
 * contract-reconcile.paths.test.ts) against the current workflow code: a change that breaks
 * determinism for a pass in flight fails here. Re-record with RECORD_HISTORY=contract-reconcile.batch-ended
 * on test/integration/batch-reconcile.test.ts only after an intentional, versioned (patched) change.
 */
import fs from 'node:fs';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';

const dir = new URL('./fixtures/', import.meta.url);
const fixtures = fs.readdirSync(dir).filter((f) => /^contract-reconcile\..+\.history\.json$/.test(f)).sort();

describe('ContractReconcileWorkflow replay', () => {
  it('has a fixture for the pass with every step, and for a pass whose step failed (the others ran)', () => {
    expect(fixtures).toEqual(['contract-reconcile.batch-ended.history.json', 'contract-reconcile.step-failed.history.json']);
  });

  it('replays deterministically', async () => {
    const histories = fixtures.map((file) => ({ workflowId: file, history: JSON.parse(fs.readFileSync(new URL(file, dir), 'utf8')) }));
    const failures: string[] = [];
    for await (const result of Worker.runReplayHistories({ workflowsPath: new URL('./index.ts', import.meta.url).pathname, replayName: 'contract-reconcile' }, histories)) {
      if (result.error) failures.push(`${result.workflowId}: ${String(result.error)}`);
    }
    expect(failures).toEqual([]);
  }, 60_000);
});
