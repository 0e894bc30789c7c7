/**
 * Replays the recorded EnterpriseRecertificationWorkflow histories (one per path: approved, rejected
 * then resubmitted, draft expired, lapsed, change n+1 after a lapse approved, abandoned, cancelled,
 * cancelled during a submission, a review whose answer was lost, a review judged on the reloaded row
 * after an operator Reset, a change ended in the database found by the periodic reload under review, ProcessStatus
 * upserted at each status, the new run of an operator Reset with the default reapply: the old submissions and rejection
 * delivered again, refused as superseded or already applied) against the current workflow code: a change that breaks
 * determinism for running re-certifications fails here. Re-record with RECORD_HISTORY=1 on
 * test/workflows/enterprise-recertification.paths.test.ts only after an intentional, versioned
 * change (ARCHITECTURE.md, "Changing a running workflow").
 */
import fs from 'node:fs';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';

const dir = new URL('./fixtures/', import.meta.url);
const fixtures = fs.readdirSync(dir).filter((f) => /^enterprise-recertification-.+\.history\.json$/.test(f)).sort();

describe('EnterpriseRecertificationWorkflow replay', () => {
  it('has a fixture for every path', () => {
    expect(fixtures.map((f) => f.replace(/^enterprise-recertification-|\.history\.json$/g, ''))).toEqual([
      'abandoned',
      'approved',
      'cancelled-during-submit',
      'cancelled',
      'draft-expired',
      'lapsed',
      'process-status',
      'rejected-resubmitted',
      'reset-reapplied',
      'restarted-approved',
      'review-answer-lost',
      'stale-status-review',
      'under-review-reloaded',
    ]);
  });

  it('replays every path deterministically (one bundle for all)', async () => {
    const histories = fixtures.map((file) => ({ workflowId: file, history: JSON.parse(fs.readFileSync(new URL(file, dir), 'utf8')) }));
    const failures: string[] = [];
    for await (const result of Worker.runReplayHistories({ workflowsPath: new URL('./index.ts', import.meta.url).pathname, replayName: 'enterprise-recertification' }, histories)) {
      if (result.error) failures.push(`${result.workflowId}: ${String(result.error)}`);
    }
    expect(failures).toEqual([]);
  }, 60_000);
});
