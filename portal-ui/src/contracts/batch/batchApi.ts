// The calls of 批量签署: check → one SMS code → submit → progress (server: api/routes/contract-batch-sign.ts). The answers'
// types are the server's own (domain/contracts/batch/), imported as types: erased from the UI build.
import type { BatchCodeView } from '../../../../domain/contracts/batch/batch-code';
import type { presentEligibility } from '../../../../domain/contracts/batch/batch-eligibility';
import type { batchProgress } from '../../../../domain/contracts/batch/batch-items';
import type { BatchItemState } from '../../../../domain/contracts/batch/batch-signing.entity';
import { ApiError, apiFetch } from '../../../../ui-shared/src/api/apiFetch';

/** One contract as the check and the SMS code answer it (presentEligibility): eligible with its participant, or why not (AppError code, zh / en text). */
export type BatchCheckItem = ReturnType<typeof presentEligibility>;

/** POST /api/contracts/batch-sign/sms-code (requestBatchCode: presentBatchCode). */
export type BatchCodeSent = BatchCodeView;

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

/** The longest wait between two polls after failures in a row. */
export const MAX_POLL_BACKOFF_MS = 30_000;

/**
 * When to poll again after `failures` failed polls in a row (the last one `err`): as the server's Retry-After says
 * (503 while Temporal is unreachable, 429), else doubling from POLL_MS up to MAX_POLL_BACKOFF_MS. Polling goes on:
 * a poll is also what starts a confirmed batch whose start failed.
 */
export function pollDelayAfter(err: unknown, failures: number): number {
  if (err instanceof ApiError && err.retryAfterSeconds) return Math.min(err.retryAfterSeconds * 1000, MAX_POLL_BACKOFF_MS);
  return Math.min(POLL_MS * 2 ** Math.max(0, failures), MAX_POLL_BACKOFF_MS);
}

/**
 * The submission of the code failed after the code was spent and the batch confirmed: its start met Temporal
 * unavailable (503 TEMPORAL_UNAVAILABLE), or an earlier submission had already won (409 BATCH_ALREADY_SUBMITTED: a
 * retry, another tab). The batch is under way (or starts with the next poll): show its progress, not the code step.
 */
export const batchWasSubmitted = (err: unknown): err is ApiError =>
  err instanceof ApiError && ((err.status === 503 && err.code === 'TEMPORAL_UNAVAILABLE') || (err.status === 409 && err.code === 'BATCH_ALREADY_SUBMITTED'));
