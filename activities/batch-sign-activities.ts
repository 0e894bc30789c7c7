/**
 * Activities of the BatchSignWorkflow (批量签署, M30): thin adapters over domain/contracts/batch/.
 * `signBatchItems` signs a chunk of the batch, one contract after the other. Per contract it
 * prepares it (re-check + its 意愿认证 confirmation) and sends the sign Update to that contract's own
 * workflow with the worker's Temporal client, with the same Update id the single-contract API uses
 * (`sign:<confirmationId>`): a retried attempt attaches to the same Update and never signs twice.
 * A refusal (the Update's failure) is the contract's outcome, not an error. An unreachable Temporal
 * or database is retried for that contract (bounded attempts, each bounded in time, back-off), then
 * the contract is recorded as failed and the chunk goes on; only a failure to record an outcome is
 * thrown (the workflow retries the chunk, which skips the contracts already done).
 */
import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { MikroORM } from '@mikro-orm/core';
import type { EligibilityReason } from '../domain/contracts/batch/batch-eligibility';
import { abortBatch } from '../domain/contracts/batch/reconcile-batches';
import { batchContractIds, finishBatch, prepareBatchItem, recordBatchItemFailure, recordBatchItemOutcome, settledItem, type PreparedItem } from '../domain/contracts/batch/batch-items';
import { SIGNING_TIMED_OUT, type BatchItemResult, type BatchSignSummary } from '../workflows/batch-sign-api';
import { lifecycleSignUpdate } from '../workflows/contract-lifecycle-api';
import { contractWorkflowId } from '../workflows/search-attributes';
import { asActivityFailure } from './activity-errors';
import { withHeartbeat } from './heartbeat';

export interface BatchSignActivityDeps {
  orm: MikroORM;
  /** The client that sends the Updates (default: the worker's, from the activity context). */
  client?: () => Client;
}

const PROCESS_NOT_RUNNING: EligibilityReason = { code: 'PROCESS_NOT_RUNNING', message: '该合同的签署流程已结束或不存在', messageEn: 'This contract’s process has ended or does not exist' };

/** The outcome of a sign Update that failed, as the item's reason; null if it is not a refusal (retry). */
function refusalOf(err: unknown): EligibilityReason | null {
  if (err instanceof WorkflowNotFoundError) return PROCESS_NOT_RUNNING;
  if (err instanceof WorkflowUpdateFailedError) {
    const cause = err.cause;
    if (!(cause instanceof ApplicationFailure)) return { code: 'SIGNING_FAILED', message: '签署失败', messageEn: 'Signing failed' };
    const d = (cause.details?.[0] ?? {}) as Partial<EligibilityReason>;
    return { code: d.code ?? cause.type ?? 'SIGNING_FAILED', message: d.message ?? cause.message, messageEn: d.messageEn ?? cause.message };
  }
  if (err instanceof Error && /workflow execution already completed/i.test(err.message)) return PROCESS_NOT_RUNNING;
  return null;
}

/** How long a stopped batch still waits for the answer of a sign Update in flight (one signature's commit takes well under a second). */
const LATE_ANSWER_MS = 10_000;

interface ItemTiming {
  /** Bound of one attempt at one contract (prepare + sign Update + answer). */
  itemTimeoutMs: number;
  itemAttempts: number;
  retryInitialMs: number;
}

/** `work`, or a rejection after `ms` (the work may go on: its Update is attached to again by id). */
function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`attempt timed out after ${ms} ms`)), ms);
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}

/** Waits `ms`, or rejects when the activity is cancelled. */
function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return Promise.race([new Promise<void>((resolve) => setTimeout(resolve, ms)), untilAborted(signal)]);
}

/** Rejects when the activity is cancelled (the NativeConnection client cannot be cancelled through a signal). */
function untilAborted(signal: AbortSignal | undefined): Promise<never> {
  return new Promise((_, reject) => {
    if (!signal) return;
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

export function createBatchSignActivities(deps: BatchSignActivityDeps) {
  const clientOf = deps.client ?? (() => Context.current().client);
  const em = () => deps.orm.em.fork();

  /**
   * The contract's sign Update. Stopped (the batch cancelled) while it is in flight, the Update may still commit: its
   * answer is awaited a little longer (LATE_ANSWER_MS), and a signature that went through is recorded signed (over the
   * BATCH_ABORTED the stop recorded) before the cancellation goes on.
   */
  async function sendSign(batchId: string, request: PreparedItem, signal: AbortSignal | undefined) {
    const handle = clientOf().workflow.getHandle(contractWorkflowId(request.contractId));
    const update = handle.executeUpdate(lifecycleSignUpdate, {
      args: [{ participantId: request.participantId, actorUserId: request.actorUserId, confirmationId: request.confirmationId }],
      updateId: `sign:${request.confirmationId}`,
    });
    try {
      return await Promise.race([update, untilAborted(signal)]);
    } catch (err) {
      if (!signal?.aborted) throw err;
      const late = await withTimeout(update, LATE_ANSWER_MS).then(() => true, () => false);
      if (late) await recordBatchItemOutcome(em(), batchId, request.contractId, 'signed');
      throw err;
    }
  }

  return {
    // Each classified (activity-errors.ts): a database error reaches the history with its statement's values masked.
    async batchItemIds(input: { batchId: string }): Promise<string[]> {
      return asActivityFailure(() => batchContractIds(em(), input.batchId));
    },

    async signBatchItems(input: { batchId: string; contractIds: string[] } & ItemTiming): Promise<BatchItemResult[]> {
      return asActivityFailure(() =>
        withHeartbeat(async (signal) => {
          const results: BatchItemResult[] = [];
          for (const contractId of input.contractIds) {
            if (signal?.aborted) throw signal.reason;
            results.push(await signWithAttempts(input.batchId, contractId, input, signal));
          }
          return results;
        }),
      );
    },

    /** The workflow gave up on a chunk: its contracts still without an outcome fail. */
    async failBatchItems(input: { batchId: string; contractIds: string[] } & EligibilityReason): Promise<void> {
      const { batchId, contractIds, ...reason } = input;
      await asActivityFailure(async () => {
        for (const contractId of contractIds) await recordBatchItemFailure(em(), batchId, contractId, reason);
      });
    },

    async finishBatch(input: { batchId: string }): Promise<BatchSignSummary> {
      return asActivityFailure(() => finishBatch(em(), input.batchId));
    },

    /** The workflow was cancelled (Temporal UI): each unfinished contract gets its real outcome, the batch is closed. */
    async abortBatch(input: { batchId: string }): Promise<BatchSignSummary> {
      return asActivityFailure(() => abortBatch(em(), input.batchId, 'workflow_cancelled'));
    },
  };

  /** One contract, with its own bounded attempts; gives up as SIGNING_TIMED_OUT. */
  async function signWithAttempts(batchId: string, contractId: string, timing: ItemTiming, signal: AbortSignal | undefined): Promise<BatchItemResult> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await withTimeout(signOne(batchId, contractId, signal), timing.itemTimeoutMs);
      } catch (err) {
        if (signal?.aborted) throw err;
        if (attempt >= timing.itemAttempts) break;
        await pause(Math.min(timing.retryInitialMs * 2 ** (attempt - 1), 30_000), signal);
      }
    }
    const outcome = await recordBatchItemFailure(em(), batchId, contractId, SIGNING_TIMED_OUT);
    return outcome === 'signed' ? { contractId, state: 'signed' } : { contractId, state: 'failed', code: SIGNING_TIMED_OUT.code };
  }

  async function signOne(batchId: string, contractId: string, signal: AbortSignal | undefined): Promise<BatchItemResult> {
    const prepared = await prepareBatchItem(em(), batchId, contractId);
    if (!prepared.ok) {
      if ('done' in prepared) return { contractId, state: prepared.done === 'signed' ? 'signed' : 'failed' };
      await recordBatchItemOutcome(em(), batchId, contractId, 'failed', prepared.reason);
      return { contractId, state: 'failed', code: prepared.reason.code };
    }
    if (!(await recordBatchItemOutcome(em(), batchId, contractId, 'signing'))) {
      // Not queued any more: a retry of this item (still 'signing'), or the batch was stopped meanwhile (its outcome
      // recorded): then no Update is sent.
      const settled = await settledItem(em(), batchId, contractId);
      if (settled) return { contractId, state: settled };
    }
    try {
      await sendSign(batchId, prepared.request, signal);
    } catch (err) {
      const refusal = refusalOf(err);
      if (!refusal) throw err;
      const outcome = await recordBatchItemFailure(em(), batchId, contractId, refusal);
      return outcome === 'signed' ? { contractId, state: 'signed' } : { contractId, state: 'failed', code: refusal.code };
    }
    await recordBatchItemOutcome(em(), batchId, contractId, 'signed');
    return { contractId, state: 'signed' };
  }
}

export type BatchSignActivities = ReturnType<typeof createBatchSignActivities>;
