/**
 * AdminTransferWorkflow (workflow id `admin-transfer:<transferId>`), M6 转让管理员:
 * the administrator confirms with an SMS code, then the new administrator accepts with theirs;
 * then the roles change hands and the old administrator leaves the enterprise. The deadline, the
 * administrator's cancel, the removal of the target member or the replacement of the administrator
 * (an operator-approved application) end it without changes.
 *
 * Rules:
 * - Every handler (confirm, resendCode, cancel, targetRemoved, administratorReplaced) and the final step run one at a
 *   time through one lock and re-check the state after taking it: a cancel that races a
 *   confirmation either wins (the confirmation is then refused) or is refused because the
 *   transfer was already accepted — never lost.
 * - A malformed payload (sent from Temporal UI with none, or another one) never fails a workflow task: the Updates'
 *   validators reject it (INVALID_REQUEST), a malformed targetRemoved is ignored (logged), administratorReplaced reads none.
 * - Activities that send or check codes retry infrastructure failures a bounded number of times
 *   (business refusals are non-retryable). A first code that cannot be sent ends the transfer
 *   cleanly as failed (row ended, audit row), instead of failing the workflow.
 * - Completion re-checks (in the activity) that the old administrator is still administrator and
 *   the target still an active, real-name-verified member; otherwise the transfer ends as failed
 *   with the reason.
 * - A Cancel from Temporal UI ends the transfer before the workflow ends (CANCEL_ENDS_TRANSFER_PATCH): as cancelled
 *   (PROCESS_ENDED) unless it already had its ending, or completed if the completion it interrupted committed anyway.
 *   A Terminate runs no workflow code: the reconciler ends such a row.
 * - The workflow's step may be behind the row (an operator's Reset in Temporal UI that does not reapply
 *   the Updates after its point: the administrator confirmed, the new run never saw it). The new
 *   administrator's confirm or resend is then not refused from the workflow's view: the database judges
 *   it (STALE_STEP_PATCH).
 * - A run that finds its row already ended (a Reset of a transfer that had ended) ends at once with the row's outcome
 *   and reason, writing nothing (ADOPT_ENDED_ROW_PATCH).
 * - The administrator's 取消 is audited as theirs: the ending activity is told who cancelled (CANCEL_ACTOR_PATCH).
 * - Search attributes: the client sets EnterpriseId, InitiatorId (the administrator) and ProcessStatus
 *   (awaiting_admin_code) at start; the workflow upserts ProcessStatus to its step at every change
 *   (PROCESS_STATUS_PATCH), the ending included.
 * Codes never enter this workflow: the activities generate and check them, the Updates carry only
 * submission ids.
 */
import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  CancellationScope,
  condition,
  defineQuery,
  defineSignal,
  defineUpdate,
  isCancellation,
  log,
  patched,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import { permanentActivityFailure } from './activity-failure';
import type { AdminTransferActivities } from '../activities/admin-transfer-activities';
import type { AdminTransferStatus } from '../domain/enterprises/admin-change.entities';
import { fieldOf, ignoreMalformedSignal, requireId } from './handler-payloads';
import { SA_PROCESS_STATUS } from './search-attributes';

export interface AdminTransferInput {
  transferId: string;
  enterpriseId: string;
  adminUserId: string;
  targetUserId: string;
  /** ISO date-time after which the transfer ends as expired. */
  deadline: string;
  /** Retries of the code activities on infrastructure failures (tests pass short ones). */
  codeRetry?: { initialIntervalMs: number; maximumAttempts: number };
  /** How long past the deadline an acceptance still running at the deadline may finish (default ACCEPTANCE_GRACE_MS; tests pass short ones). */
  acceptanceGraceMs?: number;
}

/** An acceptance (the target's code check) running at the deadline may finish within this; after it, the deadline wins. */
export const ACCEPTANCE_GRACE_MS = 60_000;

/**
 * Versioned change: expiry wins over an acceptance that finished more than the grace after the deadline (its
 * code check retried across it): the transfer ends as expired instead of changing hands. Asked only on that
 * path, so other executions record no marker.
 */
export const ACCEPTANCE_AFTER_DEADLINE_PATCH = 'admin-transfer-acceptance-after-deadline-1';

/**
 * Versioned change: the new administrator's confirm or resend while the workflow still waits for the
 * administrator is judged by the database, as the workflow's step can be behind the row (an operator's Reset
 * that does not reapply the administrator's confirmation): it was refused NOT_YOUR_STEP until the deadline.
 * The validator lets it through (a refused Update is not recorded: no version needed there); the handler asks
 * the activity for the new administrator's step: the check of a code the API recorded for that step (only
 * recorded while the row awaits it; anything else is NOT_YOUR_STEP, with no side effect), or the resend
 * (nothing is sent, and the row's status answered, unless the row awaits it). A step the row confirms is
 * adopted. Asked only on that path, so other executions record no marker.
 */
export const STALE_STEP_PATCH = 'admin-transfer-stale-step-1';

/**
 * Versioned change: a workflow cancelled from Temporal UI before the transfer was settled ends the row itself, in a
 * non-cancellable scope, instead of failing at once and leaving the row running (its enterprise's live key held,
 * the administrator's 取消 answered PROCESS_NOT_RUNNING, a new transfer TRANSFER_RUNNING) until the reconciler
 * ended it as failed minutes later. A transfer still running, or accepted whose completion did not answer, ends as
 * cancelled (PROCESS_ENDED); one that already had its ending keeps it; a completion that committed anyway (the
 * abandoned activity may still run: the row's version lets only one of the two commit) is adopted, read from the
 * row. A cancelled first code or completion is no longer taken for SMS_FAILED / COMPLETION_FAILED. Asked only when
 * a cancellation is caught, so other executions record no marker.
 */
export const CANCEL_ENDS_TRANSFER_PATCH = 'admin-transfer-cancel-ends-transfer-1';

/**
 * Versioned change: the step is upserted as the ProcessStatus search attribute whenever it changes, so a transfer
 * can be found in Temporal UI by its state. Asked only when the step changed, so executions recorded before it
 * (no marker) replay without the upserts.
 */
export const PROCESS_STATUS_PATCH = 'admin-transfer-process-status-1';

/**
 * Versioned change: the administrator's 取消 passes who cancelled (`cancelledBy`) to the ending activity, so the
 * admin.transfer_cancelled row names the administrator instead of 系统 (the activity's input changes). Asked only
 * when an execution the administrator cancelled ends the row, so other executions record no marker.
 */
export const CANCEL_ACTOR_PATCH = 'admin-transfer-cancel-actor-1';

/**
 * Versioned change: a run that finds its row already ended (an operator's Reset, reapplying nothing, of a transfer that
 * had completed, been cancelled, expired or failed) ends at once with the row's outcome and reason, writing nothing,
 * instead of waiting for the deadline and then answering `expired` (ProcessStatus too) for whatever the row says. Asked
 * only when the first code's answer is an ended row, so other executions record no marker.
 */
export const ADOPT_ENDED_ROW_PATCH = 'admin-transfer-adopt-ended-row-1';

export type TransferStep = 'awaiting_admin_code' | 'awaiting_target_code' | 'accepted' | 'completed' | 'expired' | 'cancelled' | 'failed';
export type TransferEnd = Extract<TransferStep, 'completed' | 'expired' | 'cancelled' | 'failed'>;

/** How the workflow ended; `reason` is a code of TRANSFER_END_REASONS (domain) or null. */
export interface TransferOutcome {
  step: TransferEnd;
  reason: string | null;
}

export interface ConfirmTransferRequest {
  userId: string;
  submissionId: string;
}

export const confirmTransferUpdate = defineUpdate<{ step: TransferStep }, [ConfirmTransferRequest]>('confirm');
export const resendTransferCodeUpdate = defineUpdate<void, [{ userId: string }]>('resendCode');
export const cancelTransferUpdate = defineUpdate<void, [{ userId: string }]>('cancel');
/** The target left the enterprise (人员管理 remove): the transfer ends. Sent by the API after the removal. */
export const targetRemovedSignal = defineSignal<[{ userId: string }]>('targetRemoved');
/** The administrator who started it was replaced (an operator approved another member's application): the transfer ends. Sent by the API after the approval. */
export const administratorReplacedSignal = defineSignal('administratorReplaced');
export const transferStepQuery = defineQuery<TransferStep>('step');

const refuse = (code: string, message: string, messageEn: string) => ApplicationFailure.create({ type: code, message, details: [{ code, message, messageEn }], nonRetryable: true });
const finished = () => refuse('TRANSFER_FINISHED', '该转让已结束', 'This transfer has ended');

/** Re-throws a failure of an activity as the Update's own failure (business refusals keep their message). */
function asUpdateFailure(err: unknown): unknown {
  if (!(err instanceof ActivityFailure)) return err;
  const permanent = permanentActivityFailure(err);
  if (!permanent) return refuse('TEMPORARILY_UNAVAILABLE', '服务暂时不可用，请稍后重试', 'The service is temporarily unavailable; please retry');
  return ApplicationFailure.create({ type: permanent.type ?? 'FAILED', message: permanent.message, details: permanent.details as unknown[], nonRetryable: true });
}

export async function adminTransferWorkflow(input: AdminTransferInput): Promise<TransferOutcome> {
  const codes = proxyActivities<AdminTransferActivities>({
    startToCloseTimeout: '1 minute',
    retry: { initialInterval: input.codeRetry?.initialIntervalMs ?? 1000, backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: input.codeRetry?.maximumAttempts ?? 5 },
  });
  const finishing = proxyActivities<AdminTransferActivities>({
    startToCloseTimeout: '1 minute',
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 12 },
  });

  let step: TransferStep = 'awaiting_admin_code';
  let reason: string | null = null;
  /** The step last upserted as ProcessStatus (the client sets awaiting_admin_code at start). */
  let shownStep: TransferStep = step;
  /** Upserts ProcessStatus when the step changed since (PROCESS_STATUS_PATCH); synchronous, called after each change. */
  const showStep = () => {
    if (step === shownStep || !patched(PROCESS_STATUS_PATCH)) return;
    shownStep = step;
    upsertSearchAttributes([{ key: SA_PROCESS_STATUS, value: step }]);
  };
  /** The user whose 取消 cancelled the transfer (the administrator), or null. */
  let cancelledBy: string | null = null;
  /** What the ending activity is told of who cancelled (CANCEL_ACTOR_PATCH): only for the administrator's 取消. */
  const canceller = (): { cancelledBy?: string } => (step === 'cancelled' && cancelledBy !== null && patched(CANCEL_ACTOR_PATCH) ? { cancelledBy } : {});
  /** Workflow time at which the target's acceptance was recorded. */
  let acceptedAtMs = 0;
  const running = () => step === 'awaiting_admin_code' || step === 'awaiting_target_code';
  const party = () => (step === 'awaiting_admin_code' ? 'admin' : 'target') as 'admin' | 'target';
  const assertTurn = (userId: string) => {
    if (!running()) throw finished();
    if (userId !== (party() === 'admin' ? input.adminUserId : input.targetUserId)) throw notYourStep();
  };
  /** Not the caller's turn in the workflow's view, but possibly in the row's: the new administrator while the view waits for the administrator. */
  const mayBeBehind = (userId: string) => step === 'awaiting_admin_code' && userId === input.targetUserId && userId !== input.adminUserId;
  /** Validators: the turn, except where the view may be behind the row (the handler asks the database). */
  const validateTurn = (userId: string) => {
    if (!mayBeBehind(userId)) assertTurn(userId);
  };
  /** Under the lock: the database judges the new administrator's request (STALE_STEP_PATCH), or the view does. */
  const judgedByDatabase = (userId: string) => {
    if (mayBeBehind(userId) && patched(STALE_STEP_PATCH)) return true;
    assertTurn(userId);
    return false;
  };
  const notYourStep = () => refuse('NOT_YOUR_STEP', '当前不是您的确认步骤', 'This confirmation step is not yours');
  const assertMayCancel = (userId: string) => {
    if (userId !== input.adminUserId) throw refuse('NOT_ADMIN', '只有发起转让的管理员可以取消', 'Only the administrator who started it can cancel');
    if (!running()) throw finished();
  };

  // One lock for every handler and the final step: a promise chain runs them strictly one after another.
  let tail: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    const run = tail.then(work);
    tail = run.catch(() => undefined);
    return run;
  };

  // The first code takes the lock before any handler is registered: an Update delivered with the
  // start is handled after it. A code that cannot be sent (after bounded retries) ends the transfer.
  // The row may be past the first step already (an operator reset this run to its start after the
  // administrator confirmed): then nothing is sent and the run takes the row's step. A row that has ended (reset
  // after its transfer ended) is adopted as it is: the run ends at once with its outcome (ADOPT_ENDED_ROW_PATCH).
  /** The run took the row's ending: nothing is left to do, nor written. */
  let adoptedEnd = false;
  const adoptRow = (row: { status: AdminTransferStatus; endReason?: string | null } | undefined) => {
    if (step !== 'awaiting_admin_code' || !row) return;
    if (row.status === 'awaiting_target_code') step = 'awaiting_target_code';
    else if (row.status !== 'awaiting_admin_code' && patched(ADOPT_ENDED_ROW_PATCH)) {
      [step, reason, adoptedEnd] = [row.status, row.status === 'completed' ? null : (row.endReason ?? null), true];
    }
  };
  const firstCode = exclusive(async () => {
    try {
      // Histories recorded before the result was answered replay it as undefined.
      adoptRow(await codes.sendTransferCode({ transferId: input.transferId, party: 'admin', waitOutCooldown: true }));
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      // Cancelled while it ran: the cancellation ends the transfer (below), not as SMS_FAILED.
      if (isCancellation(err) && patched(CANCEL_ENDS_TRANSFER_PATCH)) throw err;
      step = 'failed';
      reason = 'SMS_FAILED';
    }
    showStep();
  });

  setHandler(transferStepQuery, () => step);
  setHandler(
    confirmTransferUpdate,
    ({ userId, submissionId }) =>
      exclusive(async () => {
        // Again: the state may have changed while this Update waited for the lock.
        const byDatabase = judgedByDatabase(userId);
        const current = byDatabase ? 'target' : party();
        try {
          const result = await codes.checkTransferCode({ transferId: input.transferId, party: current, submissionId });
          if (!result.ok) {
            // A code recorded for the new administrator's step (only NOT_YOUR_STEP says it was not): the row awaits it.
            if (byDatabase && result.code !== 'NOT_YOUR_STEP' && running()) step = 'awaiting_target_code';
            showStep();
            throw refuse(result.code, result.message, result.messageEn);
          }
        } catch (err) {
          throw asUpdateFailure(err);
        }
        if (current === 'target') {
          step = 'accepted';
          acceptedAtMs = Date.now();
          showStep();
          return { step };
        }
        step = 'awaiting_target_code';
        showStep();
        try {
          await codes.sendTransferCode({ transferId: input.transferId, party: 'target', waitOutCooldown: true });
        } catch (err) {
          // The administrator's confirmation stands; the new administrator can ask for the code again.
          log.warn('code to the new administrator not sent', { transferId: input.transferId, error: String(err) });
        }
        return { step };
      }),
    {
      validator: (request) => {
        const userId = requireId(request, 'userId', '操作人', 'the user');
        requireId(request, 'submissionId', '验证码提交', 'the code submission');
        validateTurn(userId);
      },
    },
  );
  setHandler(
    resendTransferCodeUpdate,
    ({ userId }) =>
      exclusive(async () => {
        const byDatabase = judgedByDatabase(userId);
        let sent: Awaited<ReturnType<typeof codes.sendTransferCode>>;
        try {
          sent = await codes.sendTransferCode({ transferId: input.transferId, party: byDatabase ? 'target' : party() });
        } catch (err) {
          throw asUpdateFailure(err);
        }
        if (byDatabase) {
          // Nothing was sent unless the row awaits the new administrator (the answer says where it is).
          if (sent?.status !== 'awaiting_target_code') throw notYourStep();
          if (running()) step = 'awaiting_target_code';
          showStep();
        }
      }),
    { validator: (request) => validateTurn(requireId(request, 'userId', '操作人', 'the user')) },
  );
  setHandler(
    cancelTransferUpdate,
    ({ userId }) =>
      exclusive(async () => {
        assertMayCancel(userId);
        step = 'cancelled';
        cancelledBy = userId;
        showStep();
      }),
    { validator: (request) => assertMayCancel(requireId(request, 'userId', '操作人', 'the user')) },
  );
  setHandler(targetRemovedSignal, (removed) => {
    // Sent from Temporal UI without a payload, or with another one: ignored (a throw here would fail every workflow task).
    const userId = fieldOf(removed, 'userId');
    if (typeof userId !== 'string') return ignoreMalformedSignal(targetRemovedSignal.name, removed, '{ userId: string }');
    return exclusive(async () => {
      if (!running() || userId !== input.targetUserId) return;
      step = 'cancelled';
      reason = 'TARGET_REMOVED';
      showStep();
    });
  });
  // Carries nothing: whatever an operator sends with it is not read.
  setHandler(administratorReplacedSignal, () =>
    exclusive(async () => {
      if (!running()) return;
      step = 'cancelled';
      reason = 'ADMIN_CHANGED';
      showStep();
    }),
  );

  /**
   * Cancelled (Temporal UI) before the transfer was settled: the transfer ends now, outside the cancelled scope
   * (CANCEL_ENDS_TRANSFER_PATCH). Answers the completion if it committed anyway; otherwise throws `cancellation`,
   * so the workflow ends cancelled. Should the ending itself fail (its retries used up), the reconciler ends the row.
   */
  const endCancelled = async (cancellation: unknown): Promise<TransferOutcome> => {
    const ending: { outcome: Exclude<TransferEnd, 'completed'>; reason: string | null } =
      step === 'expired' || step === 'cancelled' || step === 'failed' ? { outcome: step, reason } : { outcome: 'cancelled', reason: 'PROCESS_ENDED' };
    // Updates that arrive from now on are refused (TRANSFER_FINISHED); an accepted step waits for the row.
    if (running()) [step, reason] = [ending.outcome, ending.reason];
    try {
      const row = await CancellationScope.nonCancellable(async () => {
        await finishing.endTransfer({ transferId: input.transferId, ...ending, ...canceller() });
        return finishing.readTransferEnd({ transferId: input.transferId });
      });
      if (row.status === 'completed') {
        [step, reason] = ['completed', null];
        showStep();
        return { step, reason };
      }
      if (row.status === 'expired' || row.status === 'cancelled' || row.status === 'failed') [step, reason] = [row.status, row.endReason];
    } catch (err) {
      log.warn('cancelled transfer not ended; the reconciler ends it', { transferId: input.transferId, error: String(err) });
    }
    showStep();
    throw cancellation;
  };

  let outcome: TransferOutcome | undefined;
  try {
    await firstCode;
    if (adoptedEnd) {
      // The row's ending, adopted by the first code (its ProcessStatus upserted there): nothing to wait for or write.
      outcome = { step: step as TransferEnd, reason };
    } else {
      const remainingMs = Math.max(0, Date.parse(input.deadline) - Date.now());
      await condition(() => !running(), remainingMs);
      outcome = await exclusive(async (): Promise<TransferOutcome> => {
        if (running()) step = 'expired';
        // Expiry wins over an acceptance that only finished well after the deadline.
        if (step === 'accepted' && acceptedAtMs > Date.parse(input.deadline) + (input.acceptanceGraceMs ?? ACCEPTANCE_GRACE_MS) && patched(ACCEPTANCE_AFTER_DEADLINE_PATCH)) {
          [step, reason] = ['expired', 'ACCEPTED_AFTER_DEADLINE'];
        }
        if (step === 'accepted') {
          try {
            const done = await finishing.completeTransfer({ transferId: input.transferId });
            if (done.ok) step = 'completed';
            else [step, reason] = ['failed', done.reason];
          } catch (err) {
            if (!(err instanceof ActivityFailure)) throw err;
            // Cancelled while it ran: it may still commit; the cancellation's ending reads the row.
            if (isCancellation(err) && patched(CANCEL_ENDS_TRANSFER_PATCH)) throw err;
            [step, reason] = ['failed', 'COMPLETION_FAILED'];
            await finishing.endTransfer({ transferId: input.transferId, outcome: 'failed', reason });
          }
        } else {
          await finishing.endTransfer({ transferId: input.transferId, outcome: step as Exclude<TransferEnd, 'completed'>, reason, ...canceller() });
        }
        showStep();
        return { step: step as TransferEnd, reason };
      });
    }
  } catch (err) {
    // A cancellation once the outcome is settled (the wait for handlers below) needs nothing more: the row is ended.
    if (!isCancellation(err) || !patched(CANCEL_ENDS_TRANSFER_PATCH)) throw err;
    return endCancelled(err);
  }
  await condition(allHandlersFinished);
  return outcome;
}
