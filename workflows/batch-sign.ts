/**
 * BatchSignWorkflow (批量签署, M30): signs each contract of a confirmed batch through ITS OWN
 * contract workflow's `sign` Update. The contracts are split into chunks, one activity per chunk
 * (`signBatchItems`), at most `concurrency` chunks at a time: per contract the batch adds no
 * activity round trip of its own, and a 1,000-contract batch keeps a short history. Inside a chunk
 * each contract has its own bounded attempts and outcome, so a contract that fails (refused, not
 * eligible any more, or the infrastructure failing past its attempts) is recorded as failed and the
 * others go on. Nothing waits forever: each contract attempt is bounded, the chunk heartbeats (a dead
 * worker is noticed in seconds and the chunk retried — contracts already done are skipped, one in
 * flight re-attaches to its Update), chunk attempts are bounded, and a chunk that still fails has
 * its unfinished contracts recorded as failed. Cancelled from Temporal UI, it settles the batch before it ends: each
 * unfinished contract gets its real outcome (signed if its participant did sign, else BATCH_ABORTED).
 * Search attributes: the client sets InitiatorId (the signer), EnterpriseId (the enterprise they acted for, if any) and
 * ProcessStatus `running` at start; the workflow upserts ProcessStatus `done` once the batch is finished, or
 * `aborted` once a cancelled batch is settled (PROCESS_STATUS_PATCH).
 */
import { ActivityFailure, CancellationScope, isCancellation, patched, proxyActivities, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import type { BatchSignActivities } from '../activities/batch-sign-activities';
import { batchChunks, batchDoneQuery, DEFAULT_BATCH_CONCURRENCY, SIGNING_TIMED_OUT, type BatchSignInput, type BatchSignSummary } from './batch-sign-api';
import { SA_PROCESS_STATUS } from './search-attributes';

/** Versioned change: a cancelled batch settles its rows itself (abortBatch) before it ends cancelled. */
export const CANCEL_SETTLES_BATCH_PATCH = 'batch-sign-cancel-settles-1';

/**
 * Versioned change: the batch's end is upserted as the ProcessStatus search attribute (`done`, or `aborted` for a
 * cancelled batch settled by abortBatch). Asked only at the end, so executions recorded before it replay without it.
 */
export const PROCESS_STATUS_PATCH = 'batch-sign-process-status-1';

const showStatus = (status: 'done' | 'aborted') => {
  if (patched(PROCESS_STATUS_PATCH)) upsertSearchAttributes([{ key: SA_PROCESS_STATUS, value: status }]);
};

export async function batchSignWorkflow(input: BatchSignInput): Promise<BatchSignSummary> {
  const timing = { itemTimeoutMs: input.itemTimeoutMs ?? 120_000, itemAttempts: input.itemAttempts ?? 3, retryInitialMs: input.retryInitialMs ?? 2000 };
  const db = proxyActivities<BatchSignActivities>({ startToCloseTimeout: '30 seconds', retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 10 } });

  try {
    return await signAll();
  } catch (err) {
    // Cancelled from Temporal UI: the batch is settled now (each unfinished contract's real outcome), not left
    // 签署中 until the reconciler finds the closed workflow.
    if (isCancellation(err) && patched(CANCEL_SETTLES_BATCH_PATCH)) {
      await CancellationScope.nonCancellable(() => db.abortBatch({ batchId: input.batchId }));
      showStatus('aborted');
    }
    throw err;
  }

  async function signAll(): Promise<BatchSignSummary> {
    const ids = await db.batchItemIds({ batchId: input.batchId });
    const concurrency = Math.max(1, input.concurrency ?? DEFAULT_BATCH_CONCURRENCY);
    const chunks = batchChunks(ids, concurrency, input.chunkSize);
    const longest = Math.max(1, ...chunks.map((c) => c.length));
    const signer = proxyActivities<BatchSignActivities>({
      // Every contract of the chunk may use all its attempts and back-offs; liveness is the heartbeat.
      startToCloseTimeout: longest * timing.itemAttempts * (timing.itemTimeoutMs + 30_000),
      heartbeatTimeout: Math.min(30_000, timing.itemTimeoutMs),
      retry: { initialInterval: timing.retryInitialMs, backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 3 },
    });

    let next = 0;
    let done = 0;
    setHandler(batchDoneQuery, () => ({ done, total: ids.length }));

    async function lane(): Promise<void> {
      while (next < chunks.length) {
        const contractIds = chunks[next++]!;
        try {
          await signer.signBatchItems({ batchId: input.batchId, contractIds, ...timing });
        } catch (err) {
          if (!(err instanceof ActivityFailure)) throw err;
          await db.failBatchItems({ batchId: input.batchId, contractIds, ...SIGNING_TIMED_OUT });
        }
        done += contractIds.length;
      }
    }
    await Promise.all(Array.from({ length: Math.min(concurrency, chunks.length) }, () => lane()));
    const summary = await db.finishBatch({ batchId: input.batchId });
    showStatus('done');
    return summary;
  }
}
