/**
 * Replays every recorded ContractLifecycleWorkflow history (one per path of the fast workflow suite,
 * test/workflows/contract-lifecycle.paths.test.ts) against the current workflow code: a change that
 * breaks determinism for running v2 contracts fails here. Re-record (RECORD_HISTORY=1) only after a
 * versioned change (see ARCHITECTURE.md, "Changing a running workflow").
 */
import fs from 'node:fs';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';

const fixtures = new URL('./fixtures/', import.meta.url);
const files = fs.readdirSync(fixtures).filter((f) => /^contract-lifecycle-.+\.history\.json$/.test(f)).sort();
const LIFECYCLE_PATHS = ['completed', 'closed-by-last-signature', 'refused', 'revoked', 'expired', 'urged', 'cancelled', 'expiry-during-signature', 'validators', 'rounds', 'fewer-activities', 'local-signature', 'local-signature-expiry', 'local-signature-cancelled', 'local-signature-failures', 'current-version', 'routed-start', 'routed-start-abandoned', 'routed-start-gateway', 'routed-start-gateway-confirmed', 'routed-start-gateway-abandoned', 'stale-routing', 'refusal-during-signature-outbox', 'handler-refusal-after-round'];

describe('ContractLifecycleWorkflow replay', () => {
  it('has one history per workflow path', () => {
    for (const path of LIFECYCLE_PATHS) expect(files).toContain(`contract-lifecycle-${path}.history.json`);
  });

  it('replays every recorded history deterministically', async () => {
    const histories = files.map((f) => ({ workflowId: f.replace('.history.json', ''), history: JSON.parse(fs.readFileSync(new URL(f, fixtures), 'utf8')) }));
    for (const h of histories) expect(h.history.events.length, h.workflowId).toBeGreaterThan(5);
    const results = Worker.runReplayHistories({ workflowsPath: new URL('./index.ts', import.meta.url).pathname, replayName: 'contract-lifecycle' }, histories);
    const failures: string[] = [];
    for await (const r of results) if (r.error) failures.push(`${r.workflowId}: ${String(r.error)}`);
    expect(failures).toEqual([]);
  }, 120_000);
});
