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

/** Contracts done so far (signed or failed) of how many. */
export const batchDoneQuery = defineQuery<{ done: number; total: number }>('batchDone');
