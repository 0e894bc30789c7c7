// The calls of 批量签署: check → one SMS code → submit → progress (server: api/routes/contract-batch-sign.ts).
import { apiFetch } from '../../../../ui-shared/src/api/apiFetch';

export interface BatchCheckItem {
  id: string;
  title: string | null;
  eligible: boolean;
  participantId?: string;
  /** Why not (AppError code) with zh / en text. */
  reason?: string;
  message?: string;
  messageEn?: string;
}

export interface BatchCodeSent {
  batchId: string;
  items: BatchCheckItem[];
  sentTo: string;
  expiresAt: string;
  resendAfterSeconds: number;
}

export type BatchItemState = 'queued' | 'signing' | 'signed' | 'failed';

export interface BatchProgress {
  batchId: string;
  status: 'awaiting_code' | 'confirmed' | 'running' | 'done';
  counts: Record<BatchItemState, number>;
  /** The latest change; pass it as `since` to get only the items changed after it. */
  cursor: string | null;
  /** `items` is the whole batch (false: only the changed items). */
  complete: boolean;
  items: { id: string; title: string; state: BatchItemState; code?: string; message?: string; messageEn?: string }[];
}

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
