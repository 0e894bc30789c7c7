/**
 * Activities of the BatchSignWorkflow (批量签署, M30): thin adapters over domain/contracts/batch/.
 * `signBatchItem` prepares one contract (re-check + its 意愿认证 confirmation) and sends the sign
 * Update to that contract's own workflow with the worker's Temporal client, with the same Update id
 * the single-contract API uses (`sign:<confirmationId>`): a retried attempt attaches to the same
 * Update and never signs twice. A refusal (the Update's failure) is the item's outcome, not an
 * error; only an unreachable Temporal or database is thrown (retried by the workflow's policy).
 */
import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { MikroORM } from '@mikro-orm/core';
import type { EligibilityReason } from '../domain/contracts/batch/batch-eligibility';
import { batchContractIds, finishBatch, prepareBatchItem, recordBatchItemOutcome, type PreparedItem } from '../domain/contracts/batch/batch-items';
import type { BatchItemResult, BatchSignSummary } from '../workflows/batch-sign-api';
import { lifecycleSignUpdate } from '../workflows/contract-lifecycle-api';
import { contractWorkflowId } from '../workflows/search-attributes';
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

  async function sendSign(request: PreparedItem, signal: AbortSignal | undefined) {
    const handle = clientOf().workflow.getHandle(contractWorkflowId(request.contractId));
    const update = handle.executeUpdate(lifecycleSignUpdate, {
      args: [{ participantId: request.participantId, actorUserId: request.actorUserId, confirmationId: request.confirmationId }],
      updateId: `sign:${request.confirmationId}`,
    });
    return Promise.race([update, untilAborted(signal)]);
  }

  return {
    async batchItemIds(input: { batchId: string }): Promise<string[]> {
      return batchContractIds(em(), input.batchId);
    },

    async signBatchItem(input: { batchId: string; contractId: string }): Promise<BatchItemResult> {
      const { batchId, contractId } = input;
      const prepared = await prepareBatchItem(em(), batchId, contractId);
      if (!prepared.ok) {
        if ('done' in prepared) return { contractId, state: prepared.done === 'signed' ? 'signed' : 'failed' };
        await recordBatchItemOutcome(em(), batchId, contractId, 'failed', prepared.reason);
        return { contractId, state: 'failed', code: prepared.reason.code };
      }
      await recordBatchItemOutcome(em(), batchId, contractId, 'signing');
      try {
        await withHeartbeat((signal) => sendSign(prepared.request, signal));
      } catch (err) {
        const refusal = refusalOf(err);
        if (!refusal) throw err;
        await recordBatchItemOutcome(em(), batchId, contractId, 'failed', refusal);
        return { contractId, state: 'failed', code: refusal.code };
      }
      await recordBatchItemOutcome(em(), batchId, contractId, 'signed');
      return { contractId, state: 'signed' };
    },

    /** The workflow gave up on a contract (attempts exhausted, timed out). */
    async failBatchItem(input: { batchId: string; contractId: string } & EligibilityReason): Promise<void> {
      const { batchId, contractId, ...reason } = input;
      await recordBatchItemOutcome(em(), batchId, contractId, 'failed', reason);
    },

    async finishBatch(input: { batchId: string }): Promise<BatchSignSummary> {
      return finishBatch(em(), input.batchId);
    },
  };
}

export type BatchSignActivities = ReturnType<typeof createBatchSignActivities>;
