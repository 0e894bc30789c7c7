/**
 * BatchSignWorkflow (批量签署, M30): signs each contract of a confirmed batch through ITS OWN
 * contract workflow's `sign` Update, sent by an activity (`signBatchItem`), at most `concurrency`
 * at a time. A contract that fails (refused, not eligible any more, or the infrastructure failing
 * past its bounded retries) is recorded as failed and the others go on. Nothing waits forever: each
 * attempt has a start-to-close bound and a heartbeat, attempts are bounded, and the batch ends when
 * every contract has an outcome.
 */
import { ActivityFailure, proxyActivities, setHandler } from '@temporalio/workflow';
import type { BatchSignActivities } from '../activities/batch-sign-activities';
import { batchDoneQuery, DEFAULT_BATCH_CONCURRENCY, type BatchSignInput, type BatchSignSummary } from './batch-sign-api';

const SIGNING_TIMED_OUT = { code: 'SIGNING_TIMED_OUT', message: '签署超时或服务不可用，请稍后在合同页重试', messageEn: 'Signing timed out or the service was unavailable; retry on the contract page later' };

export async function batchSignWorkflow(input: BatchSignInput): Promise<BatchSignSummary> {
  const itemTimeoutMs = input.itemTimeoutMs ?? 120_000;
  const db = proxyActivities<BatchSignActivities>({ startToCloseTimeout: '30 seconds', retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 10 } });
  const signer = proxyActivities<BatchSignActivities>({
    startToCloseTimeout: itemTimeoutMs,
    heartbeatTimeout: Math.min(30_000, itemTimeoutMs),
    retry: { initialInterval: input.retryInitialMs ?? 2000, backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: input.itemAttempts ?? 3 },
  });

  const ids = await db.batchItemIds({ batchId: input.batchId });
  let next = 0;
  let done = 0;
  setHandler(batchDoneQuery, () => ({ done, total: ids.length }));

  async function lane(): Promise<void> {
    while (next < ids.length) {
      const contractId = ids[next++]!;
      try {
        await signer.signBatchItem({ batchId: input.batchId, contractId });
      } catch (err) {
        if (!(err instanceof ActivityFailure)) throw err;
        await db.failBatchItem({ batchId: input.batchId, contractId, ...SIGNING_TIMED_OUT });
      }
      done++;
    }
  }
  const lanes = Math.max(1, Math.min(input.concurrency ?? DEFAULT_BATCH_CONCURRENCY, ids.length));
  await Promise.all(Array.from({ length: lanes }, () => lane()));
  return db.finishBatch({ batchId: input.batchId });
}
