/**
 * BatchSignWorkflow paths with fake activities (no database, no contract workflows) against the
 * suite's Temporal dev server: every chunk signed; a chunk whose activity keeps failing has its
 * contracts recorded as failed while the others go on; cancelled from Temporal UI, the batch is settled first. Each finished path is recorded as a replay
 * fixture with RECORD_HISTORY=1 (workflows/fixtures/batch-sign-*.history.json).
 */
import { randomUUID } from 'node:crypto';
import { WorkflowFailedError } from '@temporalio/client';
import { CancelledFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import type { BatchSignActivities } from '../../activities/batch-sign-activities';
import { batchSignWorkflow } from '../../workflows/batch-sign';
import { batchSignWorkflowId, type BatchItemResult, type BatchSignInput } from '../../workflows/batch-sign-api';
import { startBatchSignWorkflow } from '../../workflows/clients/start-batch-sign-workflow';
import { SA_ENTERPRISE_ID, SA_INITIATOR_ID, SA_PROCESS_STATUS } from '../../workflows/search-attributes';
import { recordHistory, withWorkflowWorker } from '../harness/workflow-env';

const contracts = Array.from({ length: 12 }, (_, i) => `contract-${i + 1}`);

/** Fake activities over an in-memory batch: each contract's outcome, and the chunks the workflow sent. */
function fakes(failChunkWith?: string) {
  const outcomes = new Map<string, string>();
  const chunks: string[][] = [];
  let inFlight = 0;
  let mostInFlight = 0;
  let aborted = 0;
  const activities: BatchSignActivities = {
    batchItemIds: async () => contracts,
    signBatchItems: async ({ contractIds }) => {
      chunks.push(contractIds);
      if (failChunkWith && contractIds.includes(failChunkWith)) throw new Error('database unreachable');
      inFlight++;
      mostInFlight = Math.max(mostInFlight, inFlight);
      await new Promise((r) => setTimeout(r, 50));
      inFlight--;
      return contractIds.map((contractId): BatchItemResult => (outcomes.set(contractId, 'signed'), { contractId, state: 'signed' }));
    },
    failBatchItems: async ({ contractIds, code }) => {
      for (const id of contractIds) if (!outcomes.has(id)) outcomes.set(id, `failed:${code}`);
    },
    finishBatch: async () => summary(),
    abortBatch: async () => {
      aborted++;
      for (const id of contracts) if (!outcomes.has(id)) outcomes.set(id, 'failed:BATCH_ABORTED');
      return summary();
    },
  };
  function summary() {
    const all = [...outcomes.values()];
    return { signed: all.filter((o) => o === 'signed').length, failed: all.filter((o) => o.startsWith('failed')).length };
  }
  return { activities, outcomes, chunks, mostInFlight: () => mostInFlight, aborted: () => aborted };
}

function input(over: Partial<BatchSignInput> = {}): BatchSignInput {
  return { batchId: randomUUID(), concurrency: 3, chunkSize: 2, retryInitialMs: 100, ...over };
}

describe('BatchSignWorkflow paths', () => {
  it('signs every contract in chunks, at most `concurrency` chunks at a time, and finishes the batch', async () => {
    const f = fakes();
    await withWorkflowWorker({ activities: f.activities }, async ({ client, taskQueue }) => {
      const args = input();
      const handle = await client.workflow.start(batchSignWorkflow, { taskQueue, workflowId: batchSignWorkflowId(args.batchId), args: [args] });
      expect(await handle.result()).toEqual({ signed: 12, failed: 0 });
      expect(f.chunks.flat().sort()).toEqual([...contracts].sort());
      expect(f.chunks.every((c) => c.length === 2)).toBe(true);
      expect(f.mostInFlight()).toBeLessThanOrEqual(3);
      await recordHistory(handle, 'batch-sign-completed');
    });
  });

  it('a chunk that keeps failing: its contracts are recorded as failed (timed out), the others are signed', async () => {
    const f = fakes('contract-5');
    await withWorkflowWorker({ activities: f.activities }, async ({ client, taskQueue }) => {
      const args = input();
      const handle = await client.workflow.start(batchSignWorkflow, { taskQueue, workflowId: batchSignWorkflowId(args.batchId), args: [args] });
      expect(await handle.result()).toEqual({ signed: 10, failed: 2 });
      expect(f.outcomes.get('contract-5')).toBe('failed:SIGNING_TIMED_OUT');
      expect(f.outcomes.get('contract-6')).toBe('failed:SIGNING_TIMED_OUT');
      expect(f.chunks.filter((c) => c.includes('contract-5'))).toHaveLength(3); // the chunk's bounded attempts
      await recordHistory(handle, 'batch-sign-chunk-failed');
    });
  });

  it('cancelled from Temporal UI while signing: the batch is settled (abortBatch: unfinished contracts BATCH_ABORTED) before the workflow ends cancelled', async () => {
    const f = fakes();
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const slow = {
      ...f.activities,
      signBatchItems: async (...a: Parameters<BatchSignActivities['signBatchItems']>) => {
        if (a[0].contractIds.includes('contract-7')) await held; // still signing when the cancel comes
        return f.activities.signBatchItems(...a);
      },
    };
    await withWorkflowWorker({ activities: slow }, async ({ client, taskQueue }) => {
      try {
        const args = input({ concurrency: 1 });
        const handle = await client.workflow.start(batchSignWorkflow, { taskQueue, workflowId: batchSignWorkflowId(args.batchId), args: [args] });
        await expect.poll(() => f.chunks.some((c) => c.includes('contract-5')), { timeout: 10_000 }).toBe(true);
        await expect.poll(() => f.outcomes.get('contract-6'), { timeout: 10_000 }).toBe('signed');
        await handle.cancel();
        const err = await handle.result().then(() => null, (e: unknown) => e);
        expect(err).toBeInstanceOf(WorkflowFailedError);
        expect((err as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
        expect(f.aborted()).toBe(1);
        expect(f.outcomes.get('contract-1')).toBe('signed');
        expect(f.outcomes.get('contract-12')).toBe('failed:BATCH_ABORTED');
        await recordHistory(handle, 'batch-sign-cancelled');
      } finally {
        release(); // the worker's shutdown waits for the activity it could not cancel (no heartbeat in this fake)
      }
    });
  });

  it('search attributes: InitiatorId, EnterpriseId and ProcessStatus running from the start, done once finished', async () => {
    const f = fakes();
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const activities = { ...f.activities, batchItemIds: async () => (await held, contracts) };
    await withWorkflowWorker({ activities }, async ({ client, taskQueue }) => {
      const batch = { id: randomUUID(), userId: 'user-1', actingEnterpriseId: 'enterprise-1' };
      await startBatchSignWorkflow(client, taskQueue, batch, 10_000, { concurrency: 3, chunkSize: 2, retryInitialMs: 100 });
      const handle = client.workflow.getHandle<typeof batchSignWorkflow>(batchSignWorkflowId(batch.id));
      const attributes = async () => {
        const sa = (await handle.describe()).typedSearchAttributes;
        return [sa.get(SA_INITIATOR_ID), sa.get(SA_ENTERPRISE_ID), sa.get(SA_PROCESS_STATUS)];
      };
      expect(await attributes()).toEqual(['user-1', 'enterprise-1', 'running']);
      release();
      expect(await handle.result()).toEqual({ signed: 12, failed: 0 });
      expect(await attributes()).toEqual(['user-1', 'enterprise-1', 'done']);
      await recordHistory(handle, 'batch-sign-process-status');
    });
  });
});
