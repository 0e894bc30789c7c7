/**
 * What callers see of the BatchSignWorkflow (批量签署, M30): its id, input and Query. One execution
 * per confirmed batch, `batch-sign:<batchId>`; the progress the portal shows is read from the
 * database (batch_signing_items), which the activities update as each contract is signed.
 */
import { defineQuery } from '@temporalio/workflow';

export const batchSignWorkflowId = (batchId: string) => `batch-sign:${batchId}`;

export interface BatchSignInput {
  batchId: string;
  /** How many contracts are signed at the same time (default 8). */
  concurrency?: number;
  /** Most contracts per chunk activity (default 10; fewer when the batch is small, so every lane has work). */
  chunkSize?: number;
  /** Bound of one contract's attempt (prepare + sign Update + answer); default 120 s. */
  itemTimeoutMs?: number;
  /** Attempts per contract when the infrastructure fails (default 3); a refusal is never retried. */
  itemAttempts?: number;
  /** First retry interval (default 2 s); tests pass short ones. */
  retryInitialMs?: number;
}

export interface BatchItemResult {
  contractId: string;
  state: 'signed' | 'failed';
  code?: string;
}

export interface BatchSignSummary {
  signed: number;
  failed: number;
}

export const DEFAULT_BATCH_CONCURRENCY = 8;
export const DEFAULT_BATCH_CHUNK = 10;

/** What a contract the batch gave up on shows (its attempts ran out or its chunk failed). */
export const SIGNING_TIMED_OUT = { code: 'SIGNING_TIMED_OUT', message: '签署超时或服务不可用，请稍后在合同页重试', messageEn: 'Signing timed out or the service was unavailable; retry on the contract page later' };

/** Splits the batch, in order, into chunks small enough that `concurrency` lanes all have work. */
export function batchChunks<T>(ids: readonly T[], concurrency: number, chunkSize = DEFAULT_BATCH_CHUNK): T[][] {
  const size = Math.max(1, Math.min(chunkSize, Math.ceil(ids.length / Math.max(1, concurrency))));
  const chunks: T[][] = [];
  for (let i = 0; i < ids.length; i += size) chunks.push(ids.slice(i, i + size));
  return chunks;
}

/** Contracts done so far (signed or failed) of how many. */
export const batchDoneQuery = defineQuery<{ done: number; total: number }>('batchDone');
