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
  items: { id: string; title: string; state: BatchItemState; code?: string; message?: string; messageEn?: string }[];
}

export const checkBatch = (ids: string[]) => apiFetch<{ items: BatchCheckItem[] }>('/api/contracts/batch-sign/check', { body: { ids } });
export const sendBatchCode = (ids: string[]) => apiFetch<BatchCodeSent>('/api/contracts/batch-sign/sms-code', { body: { ids } });
export const submitBatch = (batchId: string, code: string) => apiFetch<BatchProgress>('/api/contracts/batch-sign', { body: { batchId, code } });
export const fetchBatchProgress = (batchId: string, signal?: AbortSignal) => apiFetch<BatchProgress>(`/api/contracts/batch-sign/${batchId}`, { signal });

/** How often the dialog polls the progress while the batch runs. */
export const POLL_MS = 1000;
