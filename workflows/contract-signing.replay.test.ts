/**
 * Replays every recorded ContractSigningWorkflow history against the current workflow code: a
 * change that breaks determinism for running contracts fails here.
 * - contract-signing.history.json: recorded before the `contract-signing-hardened-1` patch (real
 *   activities); it must keep replaying through the legacy branch until that branch is removed;
 * - contract-signing.<path>.history.json: one per path of the fast workflow suite
 *   (test/workflows/contract-signing.paths.test.ts).
 * Re-record (RECORD_HISTORY=1) only after a versioned change (see ARCHITECTURE.md, "Changing a running workflow").
 */
import fs from 'node:fs';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';

const fixtures = new URL('./fixtures/', import.meta.url);
const files = fs.readdirSync(fixtures).filter((f) => /^contract-signing(\..+)?\.history\.json$/.test(f)).sort();

describe('ContractSigningWorkflow replay', () => {
  it('has the legacy history and one per workflow path', () => {
    expect(files).toContain('contract-signing.history.json');
    for (const path of ['completed', 'permanent-failure', 'infrastructure-failure', 'expiry-during-signature', 'cancelled', 'signers-racing', 'worker-lost']) {
      expect(files).toContain(`contract-signing.${path}.history.json`);
    }
  });

  it('replays every recorded history deterministically', async () => {
    const histories = files.map((f) => ({ workflowId: f.replace('.history.json', ''), history: JSON.parse(fs.readFileSync(new URL(f, fixtures), 'utf8')) }));
    for (const h of histories) expect(h.history.events.length, h.workflowId).toBeGreaterThan(5);
    const results = Worker.runReplayHistories({ workflowsPath: new URL('./index.ts', import.meta.url).pathname, replayName: 'contract-signing' }, histories);
    const failures: string[] = [];
    for await (const r of results) if (r.error) failures.push(`${r.workflowId}: ${String(r.error)}`);
    expect(failures).toEqual([]);
  }, 120_000);
});
