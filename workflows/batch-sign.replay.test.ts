/**
 * Replays the recorded BatchSignWorkflow histories (every chunk signed; a chunk that kept failing; cancelled;
 * ProcessStatus upserted at the end)
 * against the current workflow code: a change that breaks determinism for running batches fails
 * here. Re-record with RECORD_HISTORY=1 on test/workflows/batch-sign.paths.test.ts only after an
 * intentional, versioned change.
 */
import fs from 'node:fs';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';

const dir = new URL('./fixtures/', import.meta.url);
const fixtures = fs.readdirSync(dir).filter((f) => /^batch-sign-.+\.history\.json$/.test(f)).sort();

describe('BatchSignWorkflow replay', () => {
  it('has a fixture for every path', () => {
    expect(fixtures.map((f) => f.replace(/^batch-sign-|\.history\.json$/g, ''))).toEqual(['cancelled', 'chunk-failed', 'completed', 'process-status']);
  });

  it('replays every path deterministically', async () => {
    const histories = fixtures.map((file) => ({ workflowId: file, history: JSON.parse(fs.readFileSync(new URL(file, dir), 'utf8')) }));
    const failures: string[] = [];
    for await (const result of Worker.runReplayHistories({ workflowsPath: new URL('./index.ts', import.meta.url).pathname, replayName: 'batch-sign' }, histories)) {
      if (result.error) failures.push(`${result.workflowId}: ${String(result.error)}`);
    }
    expect(failures).toEqual([]);
  }, 60_000);
});
