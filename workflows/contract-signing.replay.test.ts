/**
 * Replays a history recorded from a real run (two signers, idempotent Update, completion) against
 * the current workflow code: a change that breaks determinism for running contracts fails here.
 * Re-record with RECORD_HISTORY=1 on the integration suite after an intentional, versioned change.
 */
import fs from 'node:fs';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';

const historyFile = new URL('./fixtures/contract-signing.history.json', import.meta.url);

describe('ContractSigningWorkflow replay', () => {
  it('replays the recorded two-signer history deterministically', async () => {
    const history = JSON.parse(fs.readFileSync(historyFile, 'utf8'));
    expect(history.events.length).toBeGreaterThan(10);
    await Worker.runReplayHistory(
      { workflowsPath: new URL('./index.ts', import.meta.url).pathname, replayName: 'contract-signing' },
      history,
    );
  }, 60_000);
});
