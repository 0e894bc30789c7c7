/**
 * ContractReconcileWorkflow with fake activities against the suite's Temporal dev server: one step that
 * fails does not stop the pass (every other step still runs), and the pass then fails naming it, so
 * Temporal UI shows which. Recorded as a replay fixture with RECORD_HISTORY=1
 * (workflows/fixtures/contract-reconcile.step-failed.history.json).
 */
import { randomUUID } from 'node:crypto';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import type { ReconcileActivities } from '../../activities/reconcile-activities';
import { contractReconcileWorkflow } from '../../workflows/contract-reconcile';
import { recordHistory, withWorkflowWorker } from '../harness/workflow-env';

function fakes(failing: keyof ReconcileActivities) {
  const called: string[] = [];
  const ok = <T>(name: keyof ReconcileActivities, report: T) => async () => {
    called.push(name);
    if (name === failing) throw ApplicationFailure.nonRetryable('database unreachable', 'DriverException');
    return report;
  };
  const activities: ReconcileActivities = {
    reconcileContracts: ok('reconcileContracts', { activated: [], restarted: [], messaged: [], removed: [], closed: [], failed: [] }),
    sweepContractStorage: ok('sweepContractStorage', { scanned: 0, removed: [] } as never),
    reconcileTransfers: ok('reconcileTransfers', {} as never),
    pruneExpiredRecords: ok('pruneExpiredRecords', {} as never),
    reconcileCertificateOrders: ok('reconcileCertificateOrders', {} as never),
    reconcileRecertifications: ok('reconcileRecertifications', {} as never),
    reconcileBatches: ok('reconcileBatches', {} as never),
  };
  return { activities, called };
}

describe('ContractReconcileWorkflow paths', () => {
  it('a failing step does not stop the pass: every other step runs, then the pass fails naming the step', async () => {
    const { activities, called } = fakes('reconcileContracts');
    await withWorkflowWorker({ activities }, async ({ client, taskQueue }) => {
      const handle = await client.workflow.start(contractReconcileWorkflow, { taskQueue, workflowId: `reconcile-${randomUUID()}`, args: [{}] });
      const err = await handle.result().then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(WorkflowFailedError);
      const cause = (err as WorkflowFailedError).cause as ApplicationFailure;
      expect([cause.type, cause.nonRetryable]).toEqual(['ReconcileStepsFailed', true]);
      expect(cause.message).toContain('contracts: database unreachable');
      expect(called).toEqual(['reconcileContracts', 'sweepContractStorage', 'reconcileTransfers', 'pruneExpiredRecords', 'reconcileCertificateOrders', 'reconcileRecertifications', 'reconcileBatches']);
      await recordHistory(handle, 'contract-reconcile.step-failed');
    });
  });
});
