// The calls of 批量签署: check → one SMS code → submit → progress (server: api/routes/contract-batch-sign.ts). The answers'
// types are the server's own (domain/contracts/batch/), imported as types: erased from the UI build.
import type { requestBatchCode } from '../../../../domain/contracts/batch/batch-code';
import type { presentEligibility } from '../../../../domain/contracts/batch/batch-eligibility';
import type { batchProgress } from '../../../../domain/contracts/batch/batch-items';
import type { BatchItemState } from '../../../../domain/contracts/batch/batch-signing.entity';
import { apiFetch } from '../../../../ui-shared/src/api/apiFetch';

/** One contract as the check and the SMS code answer it (presentEligibility): eligible with its participant, or why not (AppError code, zh / en text). */
export type BatchCheckItem = ReturnType<typeof presentEligibility>;

/** POST /api/contracts/batch-sign/sms-code (requestBatchCode). */
export type BatchCodeSent = Awaited<ReturnType<typeof requestBatchCode>>;

export type { BatchItemState };

/**
 * GET /api/contracts/batch-sign/:batchId (batchProgress; POST /api/contracts/batch-sign adds the `poll` link):
 * `cursor` is the latest change, passed as `since` to get only the items changed after it; `complete` says
 * `items` is the whole batch (false: only the changed items).
 */
export type BatchProgress = Awaited<ReturnType<typeof batchProgress>>;

export const checkBatch = (ids: string[]) => apiFetch<{ items: BatchCheckItem[] }>('/api/contracts/batch-sign/check', { body: { ids } });
export const sendBatchCode = (ids: string[]) => apiFetch<BatchCodeSent>('/api/contracts/batch-sign/sms-code', { body: { ids } });
export const submitBatch = (batchId: string, code: string) => apiFetch<BatchProgress>('/api/contracts/batch-sign', { body: { batchId, code } });
export const fetchBatchProgress = (batchId: string, since: string | null, signal?: AbortSignal) =>
  apiFetch<BatchProgress>(`/api/contracts/batch-sign/${batchId}${since ? `?since=${encodeURIComponent(since)}` : ''}`, { signal });

/**
 * The progress after a poll: a complete answer replaces what we had, a partial one updates the items
 * it names. `stale` when the merged items disagree with the server's counts (a change stamped before
 * our cursor by a worker whose clock is behind): the next poll then asks for every item again.
 */
export function mergeBatchProgress(previous: BatchProgress | null, next: BatchProgress): { progress: BatchProgress; stale: boolean } {
  const changed = new Map(next.items.map((i) => [i.id, i]));
  const items = next.complete || !previous ? next.items : previous.items.map((i) => changed.get(i.id) ?? i);
  const progress = { ...next, complete: true, items };
  const tally: Record<BatchItemState, number> = { queued: 0, signing: 0, signed: 0, failed: 0 };
  for (const i of items) tally[i.state]++;
  const stale = (Object.keys(tally) as BatchItemState[]).some((k) => tally[k] !== next.counts[k]);
  return { progress, stale };
}

/** How often the dialog polls the progress while the batch runs. */
export const POLL_MS = 1000;
