/**
 * The batch reconciler (批量签署, M30): ends batches that no workflow will finish any more — a
 * BatchSignWorkflow terminated or reset from Temporal UI (no workflow code runs), or a batch
 * confirmed while Temporal was unreachable whose user never came back to start it. Without it such
 * a batch stays 签署中 forever with its contracts queued. Each unfinished item gets its real outcome:
 * `signed` when its participant did sign (the contract workflow's Update went through before the
 * batch stopped), else `failed` with BATCH_ABORTED so the user signs it on the contract page. Run by
 * the reconcile Schedule (workflows/contract-reconcile.ts); idempotent, bounded.
 *
 * Nothing waits forever: a batch whose workflow still runs `stuckAfterMs` after confirmation is stuck
 * (a 1,000-contract batch signs in minutes; a workflow whose every task fails stays "running" in
 * Temporal): it is terminated and ended the same way (cause `workflow_stuck`).
 *
 * One batch that cannot be repaired is reported in `failed` and does not stop the others (each-row.ts).
 */
import type { EntityManager } from '@mikro-orm/core';
import { recordAudit, SYSTEM_ACTOR } from '../../audit/record-audit';
import { updateWhere } from '../../persistence/concurrency';
import { eachRow } from '../../persistence/each-row';
import { advanceCursor, afterCursor, type PassCursor } from '../../persistence/pass-cursor';
import { ContractSignerSchema } from '../contract-signer.entity';
import type { WorkflowState } from '../reconcile-contracts';
import type { EligibilityReason } from './batch-eligibility';
import { BATCH_ABORTED_CODE, batchOutcome, finishBatch, recordBatchItemOutcome } from './batch-items';
import { BatchSigningItemSchema, BatchSigningSchema, type BatchSigning, type BatchSigningItem } from './batch-signing.entity';

/** What the reconciler needs from Temporal (implemented over the client in activities/). */
export interface BatchWorkflows {
  state(batchId: string): Promise<WorkflowState>;
  /** Starts the batch's workflow (a confirmed batch whose start was lost); false when one exists already. */
  start(batch: BatchSigning): Promise<boolean>;
  /** Ends a running workflow without running its code (one stuck). */
  terminate(batchId: string, reason: string): Promise<void>;
}

export interface BatchReconcileOptions {
  /** A batch confirmed or started more recently than this may still be starting its workflow. */
  startGraceMs: number;
  /** A batch whose workflow still runs this long after confirmation is stuck. */
  stuckAfterMs: number;
  limit: number;
}

export const DEFAULT_BATCH_RECONCILE_OPTIONS: BatchReconcileOptions = { startGraceMs: 2 * 60_000, stuckAfterMs: 24 * 3_600_000, limit: 200 };

export const BATCH_ABORTED: EligibilityReason = {
  code: BATCH_ABORTED_CODE,
  message: '批量签署已中止，该合同未签署，请在合同页单独签署',
  messageEn: 'The batch was stopped before this contract was signed; sign it on the contract page',
};

export interface BatchReconcileReport {
  started: string[];
  ended: { batchId: string; cause: BatchEndCause; signed: number; failed: number }[];
  /** Batches this pass could not repair (absent when none); a later pass tries them again. */
  failed?: { batchId: string; error: string }[];
}

/** `cursor`: where the previous pass stopped (kept by the caller between passes); each pass checks the next `limit` open batches. */
export async function reconcileBatches(em: EntityManager, workflows: BatchWorkflows, options: BatchReconcileOptions = DEFAULT_BATCH_RECONCILE_OPTIONS, now = new Date(), cursor?: PassCursor): Promise<BatchReconcileReport> {
  const report: BatchReconcileReport = { started: [], ended: [] };
  const batches = await em.fork().find(
    BatchSigningSchema,
    { status: { $in: ['confirmed', 'running'] }, confirmedAt: { $lt: new Date(now.getTime() - options.startGraceMs) }, ...afterCursor(cursor) },
    { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], limit: options.limit },
  );
  advanceCursor(cursor, batches, options.limit);
  for (const batch of batches) {
    await eachRow('batch', batch.id, async () => {
      const state = await workflows.state(batch.id);
      if (state === 'running') {
        if (batch.confirmedAt === null || batch.confirmedAt.getTime() > now.getTime() - options.stuckAfterMs) return;
        await workflows.terminate(batch.id, 'batch still running long after its confirmation (stuck): ended by the reconciler');
        report.ended.push({ batchId: batch.id, cause: 'workflow_stuck', ...(await endBatch(em.fork(), batch, now, 'workflow_stuck')) });
        return;
      }
      // Confirmed but never started (Temporal was down when the code was confirmed): start it now.
      if (state === 'missing' && batch.status === 'confirmed' && (await workflows.start(batch))) {
        report.started.push(batch.id);
        return;
      }
      const cause = state === 'missing' ? 'workflow_missing' : 'workflow_closed';
      report.ended.push({ batchId: batch.id, cause, ...(await endBatch(em.fork(), batch, now, cause)) });
    }, (error) => (report.failed ??= []).push({ batchId: batch.id, error }));
  }
  return report;
}

/** Why a batch was ended before its workflow finished it (in its audit row). */
export type BatchEndCause = 'workflow_closed' | 'workflow_missing' | 'workflow_stuck' | 'workflow_cancelled';

/**
 * Ends an open batch now (its workflow was cancelled from Temporal UI, or is gone or stuck): every unfinished item
 * gets its real outcome and the batch is closed with an audit row. Idempotent: a closed batch is left as it is.
 */
export async function abortBatch(em: EntityManager, batchId: string, cause: BatchEndCause, now = new Date()): Promise<{ signed: number; failed: number }> {
  const batch = await em.findOneOrFail(BatchSigningSchema, { id: batchId });
  // Closed already, or every item has its outcome (the cancel came while the batch was finishing): nothing was aborted.
  const open = await openItems(em, batchId);
  if ((batch.status !== 'confirmed' && batch.status !== 'running') || open.length === 0) return finishBatch(em, batchId, now);
  return endBatch(em, batch, now, cause, open);
}

const openItems = (em: EntityManager, batchId: string) => em.find(BatchSigningItemSchema, { batchId, state: { $in: ['queued', 'signing'] } }, { orderBy: { position: 'asc' } });

/** Gives every unfinished item (`open`, read by the caller, or now) its real outcome, then closes the batch with an audit row. */
async function endBatch(em: EntityManager, batch: BatchSigning, now: Date, cause: BatchEndCause, given?: BatchSigningItem[]): Promise<{ signed: number; failed: number }> {
  const open = given ?? (await openItems(em, batch.id));
  const signers = open.length ? await em.find(ContractSignerSchema, { id: { $in: open.map((i) => i.participantId) } }, { fields: ['id', 'status'] }) : [];
  const signedParticipants = new Set(signers.filter((s) => s.status === 'signed').map((s) => s.id));
  for (const item of open) {
    if (signedParticipants.has(item.participantId)) await recordBatchItemOutcome(em, batch.id, item.contractId, 'signed');
    else await recordBatchItemOutcome(em, batch.id, item.contractId, 'failed', BATCH_ABORTED);
  }
  // Only the reconciler that closes the batch writes the audit row (two passes at once: one row), in the closing's
  // transaction: committed alone, a failure before the audit row lost it for good (the next pass finds the batch done).
  await em.fork().transactional(async (tx) => {
    const closed = await updateWhere(tx, BatchSigningSchema, { id: batch.id, status: { $in: ['confirmed', 'running'] } }, { status: 'done', finishedAt: now });
    if (closed !== 1) return;
    recordAudit(tx, SYSTEM_ACTOR, {
      action: 'contract.batch_aborted',
      targetType: 'contract_batch',
      targetId: batch.id,
      detail: { userId: batch.userId, reconciled: open.length, cause, ...(await batchOutcome(tx, batch.id)) },
    });
  });
  return batchOutcome(em, batch.id);
}
