/**
 * EnterpriseRecertificationWorkflow (workflow id `recertification:<enterpriseId>:<seq>`, search
 * attributes `EnterpriseId` and `ProcessStatus`), issue 9 变更企业名称: one re-certification change from its start
 * (drafting, or awaiting_submission for 开始重新认证 after a lapse) to approved, abandoned or lapsed.
 * Deterministic only: every side effect is an activity (activities/recertification-activities.ts,
 * thin adapters over domain/enterprises/recertification/*), and the database is the truth — every
 * activity answers the change's status and deadline, which the workflow adopts.
 *
 * - Updates with validators: `submit` (提交重新认证, the point of no return: seals voided,
 *   authorisations removed, certificates revoked locally, in the activity's one transaction),
 *   `abandon` (放弃变更, drafting only), `review` (operator approve / reject with reason). Query `status`.
 *   ONE lock (a promise chain) serialises the handlers, the deadline and the cancellation; each
 *   re-checks the state once it holds the lock. The locked activities are not cancellable, so a
 *   cancellation waits for a change in flight instead of racing it.
 * - The workflow's view may be behind the database (an operator's Reset in Temporal UI that does not
 *   reapply the Updates after its point: a submission, rejection or approval the new run never saw).
 *   A request the view refuses only for its status passes the validator; the handler reloads the row
 *   under the lock, adopts it and judges again (the same refusal codes when the database agrees).
 *   Under review the row is reloaded daily, and a deadline expires only if the reloaded row is still
 *   past it (DATABASE_STATUS_PATCH).
 * - An operator's Reset with Temporal UI's default reapply delivers every Update the old run accepted to the new
 *   run again, judged on today's row: a submission carries its id from the API request and a decision names the
 *   submission it decides, so the domain answers a submission it already applied as it was and refuses a decision
 *   for a submission that is no longer the change's current one — a replayed Update changes nothing (submit.ts,
 *   review.ts). Updates recorded before these ids carry none and are judged as before.
 * - Deadlines: drafting, awaiting_submission and rejected wait for the administrator until the
 *   change's `deadlineAt` (`recertificationDraftDays` / `recertificationResubmitDays`, set by the
 *   domain; tests pass `timing`). Expiry wins: from the deadline on, submit / abandon are refused,
 *   and the timer ends the change (drafting → abandoned 'expired'; later → lapsed). Operator review has
 *   no timer (the platform's queue).
 * - After a submission the workflow pushes the revocations to the CA (`pushRevocations`, bounded
 *   retries; a failure is left to the periodic sweep). After an approval it draws the new seals'
 *   images (`drawRecertifiedSeals`; a seal not drawn here is drawn on first use).
 * - ProcessStatus follows the change's status: the client sets the row's status at start, the workflow
 *   upserts every status it adopts that differs from the last one it upserted (PROCESS_STATUS_PATCH), the
 *   first load included (a start by the reconciler may find the row moved on).
 * - Cancel from Temporal UI → `cancelChangeByPlatform` (drafting → abandoned, later → lapsed), then
 *   the workflow ends as cancelled. Terminate runs no code: the reconciler
 *   (domain/enterprises/recertification/reconcile-recertifications.ts) restarts an open change whose
 *   workflow is not running.
 */
import {
  ActivityFailure,
  allHandlersFinished,
  CancellationScope,
  condition,
  isCancellation,
  log,
  patched,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import { permanentActivityFailure } from './activity-failure';
import type { ChangeSnapshot, RecertificationActivities } from '../activities/recertification-activities';
import {
  abandonRecertificationUpdate,
  AWAITING_ADMIN_STATUSES,
  NAME_MAX_LENGTH,
  recertificationRefusal,
  recertificationStatusQuery,
  REJECT_REASON_MAX_LENGTH,
  reviewRecertificationUpdate,
  submitRecertificationUpdate,
  type EnterpriseRecertificationInput,
  type RecertificationAction,
  type RecertificationProgress,
} from './enterprise-recertification-api';
import { invalidRequest } from './handler-payloads';
import { SA_PROCESS_STATUS } from './search-attributes';
import { permanentDetail, updateFailure, type UpdateFailureDetail } from './update-failures';

export * from './enterprise-recertification-api';

/** The CA push of local revocations (helper X's activity, activities/revocation-activities.ts). */
interface RevocationPushActivities {
  pushRevocations(input: { certificateIds: string[] }): Promise<unknown>;
}

const DEADLINE_PASSED: UpdateFailureDetail = { code: 'RECERTIFICATION_DEADLINE_PASSED', message: '已超过提交期限', messageEn: 'The deadline for submission has passed' };
const UNAVAILABLE: UpdateFailureDetail = { code: 'RECERTIFICATION_UNAVAILABLE', message: '服务暂时不可用，请稍后重试', messageEn: 'Temporarily unavailable; retry shortly', retryable: true };

const badRequest = invalidRequest;

function checkText(value: unknown, max: number, what: string, whatEn: string) {
  if (typeof value !== 'string' || value.trim().length === 0) throw badRequest(`请填写${what}`, `${whatEn} is required`);
  if (value.length > max) throw badRequest(`${what}不能超过 ${max} 个字符`, `${whatEn} must be at most ${max} characters`);
}

function checkOptionalText(value: unknown, max: number, what: string, whatEn: string) {
  if (value === null) return;
  checkText(value, max, what, whatEn);
}

/** A failed locked activity as the Update's failure: business refusals keep their message; anything else is retryable. */
function asUpdateFailure(err: unknown): unknown {
  if (!(err instanceof ActivityFailure)) return err;
  const permanent = permanentActivityFailure(err);
  return updateFailure(permanent ? permanentDetail(permanent) : UNAVAILABLE);
}

/**
 * Versioned change: after a submission, review or abandonment fails, the workflow reloads the row
 * before it answers. Executions from before the patch answer without reloading.
 */
export const RELOAD_AFTER_FAILED_CHANGE_PATCH = 'recertification-reload-after-failed-change-1';

/**
 * Versioned change: the database's status is asked before the workflow's own view decides, as that view
 * can be behind the row (an operator's Reset without reapplying the Updates after its point). (1) A
 * submit / abandon / review that the view refuses only for its status (not an ended change, which the
 * database never reopens) is let through the validator (a refused Update is not recorded: no version
 * needed there); the handler reloads the row under the lock, adopts it and judges again. (2) While under
 * review the row is reloaded every `timing.reviewReloadMs` (default a day), so a change the database
 * already decided does not keep its workflow waiting for ever. (3) At a deadline the row is reloaded
 * first; the change expires only if it is still past its deadline. Executions from before the patch
 * keep judging on their view.
 */
export const DATABASE_STATUS_PATCH = 'recertification-database-status-1';

/**
 * Versioned change: the change's status is upserted as the ProcessStatus search attribute whenever an adopted
 * status differs from the last one upserted, so a change can be found in Temporal UI by its state. Asked only when
 * it differs, so executions recorded before it (no marker) replay without the upserts.
 */
export const PROCESS_STATUS_PATCH = 'recertification-process-status-1';

const REVIEW_RELOAD_MS = 86_400_000;

export async function enterpriseRecertificationWorkflow(input: EnterpriseRecertificationInput): Promise<RecertificationProgress> {
  const { changeId } = input;
  const retry = { initialInterval: input.retry?.initialIntervalMs ?? 1000, backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: input.retry?.maximumAttempts ?? 5 };
  /** Handlers answer a person waiting: few attempts, then "retry shortly". */
  const db = proxyActivities<RecertificationActivities>({ startToCloseTimeout: '30 seconds', retry });
  /** The workflow's own steps (load, deadline, cancellation) must get through: more attempts. */
  const steps = proxyActivities<RecertificationActivities>({ startToCloseTimeout: '1 minute', retry: { ...retry, maximumInterval: '1 minute', maximumAttempts: 20 } });
  /** Follow-ups whose failure is caught by a sweep / on first use. */
  const followUps = proxyActivities<RecertificationActivities & RevocationPushActivities>({ startToCloseTimeout: '2 minutes', retry: { ...retry, maximumInterval: '1 minute', maximumAttempts: input.retry?.maximumAttempts ?? 8 } });

  const progress: RecertificationProgress = { changeId, status: 'drafting', deadlineAt: null };
  let loaded = false;
  /** When the current wait for the administrator ends (epoch ms); Infinity while there is none. */
  let deadlineMs = Number.POSITIVE_INFINITY;
  /** Work after a change, done by the main loop outside the lock. */
  let toPush: string[] = [];
  let toDraw: string[] = [];

  const open = () => progress.status === 'drafting' || progress.status === 'awaiting_submission' || progress.status === 'under_review' || progress.status === 'rejected';
  const awaitingAdmin = () => AWAITING_ADMIN_STATUSES.includes(progress.status);
  const pastDeadline = () => awaitingAdmin() && Date.now() >= deadlineMs;

  /** The status last upserted as ProcessStatus by this run (the client's value at start is not known here). */
  let shownStatus: string | null = null;
  const showStatus = () => {
    if (progress.status === shownStatus || !patched(PROCESS_STATUS_PATCH)) return;
    shownStatus = progress.status;
    upsertSearchAttributes([{ key: SA_PROCESS_STATUS, value: progress.status }]);
  };

  /** Adopts the database's answer; the deadline comes from the row, or from the test timing when the wait starts. */
  const adopt = (s: ChangeSnapshot) => {
    const before = progress.status;
    progress.status = s.status;
    progress.deadlineAt = s.deadlineAt;
    showStatus();
    if (!AWAITING_ADMIN_STATUSES.includes(s.status)) {
      deadlineMs = Number.POSITIVE_INFINITY;
      return;
    }
    const testMs = s.status === 'drafting' ? input.timing?.draftMs : input.timing?.resubmitMs;
    if (testMs !== undefined) {
      if (before !== s.status || !loaded) {
        deadlineMs = Date.now() + testMs;
        progress.deadlineAt = new Date(deadlineMs).toISOString();
      }
    } else {
      deadlineMs = s.deadlineAt ? Date.parse(s.deadlineAt) : Number.POSITIVE_INFINITY;
    }
  };

  // ONE lock: a promise chain runs the handlers, the deadline and the cancellation one after another.
  let tail: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    const run = tail.then(work);
    tail = run.catch(() => undefined);
    return run;
  };
  // The load takes the lock before any handler is registered: an Update delivered with the start waits for it.
  const loading = exclusive(async () => {
    adopt(await steps.loadRecertification({ changeId }));
    loaded = true;
  });

  /**
   * Under the lock (DATABASE_STATUS_PATCH): when the view refuses `action` only for its status, the row is
   * reloaded and adopted before the judgement (unanswered: retry shortly). Synchronous (null) when nothing
   * is asked, so histories from before the patch keep the order of their commands.
   */
  const reloadIfRefused = (action: RecertificationAction): Promise<void> | null => {
    const refusal = recertificationRefusal(action, progress.status);
    if (!refusal || refusal.code === 'RECERTIFICATION_ENDED' || !patched(DATABASE_STATUS_PATCH)) return null;
    return CancellationScope.nonCancellable(() => db.loadRecertification({ changeId })).then(adopt, () => {
      throw updateFailure(UNAVAILABLE);
    });
  };

  /** A locked change: re-checks the state (on the database's status when the view refuses it), runs its activity uncancellably, answers the progress. */
  const change = (action: RecertificationAction, work: () => Promise<void>) =>
    exclusive(async () => {
      if (!loaded) throw updateFailure(UNAVAILABLE); // the load failed (cancelled): nothing to judge on
      const reloading = reloadIfRefused(action);
      if (reloading) await reloading;
      assertMay(action)();
      try {
        await CancellationScope.nonCancellable(work);
      } catch (err) {
        // The activity may have committed before its answer was lost (its retry then finds the row moved
        // on and refuses): the row says where the change is, so the workflow never waits on a state the
        // database has left (an approval it missed would keep it running for ever).
        if (patched(RELOAD_AFTER_FAILED_CHANGE_PATCH)) await CancellationScope.nonCancellable(() => steps.loadRecertification({ changeId })).then(adopt, () => undefined);
        throw asUpdateFailure(err);
      }
      return { ...progress };
    });

  /** The status rule (enterprise-recertification-api.ts), then expiry: from the deadline on, the administrator's requests are refused. */
  const assertMay = (action: RecertificationAction) => () => {
    const refusal = recertificationRefusal(action, progress.status);
    if (refusal) throw updateFailure(refusal);
    if (action !== 'review' && pastDeadline()) throw updateFailure(DEADLINE_PASSED);
  };
  /**
   * Validators judge only once the state is loaded; before that the handler checks after the load (it holds
   * the lock first). A refusal for a status other than ended is left to the handler, which asks the database
   * (DATABASE_STATUS_PATCH): the view may be behind it.
   */
  const validate = (action: RecertificationAction) => {
    if (!loaded) return;
    const refusal = recertificationRefusal(action, progress.status);
    if (refusal) {
      if (refusal.code === 'RECERTIFICATION_ENDED') throw updateFailure(refusal);
      return;
    }
    assertMay(action)();
  };

  setHandler(recertificationStatusQuery, () => ({ ...progress }));
  setHandler(
    submitRecertificationUpdate,
    (request) =>
      change('submit', async () => {
        // The request's submission id identifies it: an activity retry after a commit whose answer was lost, or this Update
        // delivered again to a new run by an operator's Reset (default reapply), is answered that commit and changes
        // nothing (submit.ts). Updates recorded before the id carry none: their time of the Update identifies them.
        // Only the activity's input differs: the same commands either way, so no patch marker.
        const { submittedAt, ...rest } = request;
        const result = await db.submitRecertification({ changeId, ...rest, submittedAt: submittedAt ?? new Date(Date.now()).toISOString() });
        adopt(result);
        toPush = [...toPush, ...result.certificateIds];
      }),
    {
      validator: (request) => {
        checkText(request?.actorUserId, 64, '操作人', 'The actor');
        checkText(request.name, NAME_MAX_LENGTH, '企业名称', 'The enterprise name');
        checkText(request.uscc, 18, '统一社会信用代码', 'The USCC');
        checkOptionalText(request.letterKey, 255, '授权书', 'The authorisation letter');
        checkOptionalText(request.letterType, 50, '授权书类型', 'The letter type');
        if (request.submissionId !== undefined) checkText(request.submissionId, 36, '提交编号', 'The submission id');
        if (request.previousSubmissionId !== undefined) checkOptionalText(request.previousSubmissionId, 36, '上次提交编号', 'The previous submission id');
        if (request.submittedAt !== undefined && (typeof request.submittedAt !== 'string' || Number.isNaN(Date.parse(request.submittedAt)))) throw badRequest('提交时间不正确', 'The submission time is invalid');
        validate('submit');
      },
    },
  );
  setHandler(
    abandonRecertificationUpdate,
    (request) =>
      change('abandon', async () => {
        adopt(await db.abandonRecertification({ changeId, actorUserId: request.actorUserId }));
      }),
    {
      validator: (request) => {
        checkText(request?.actorUserId, 64, '操作人', 'The actor');
        validate('abandon');
      },
    },
  );
  setHandler(
    reviewRecertificationUpdate,
    (request) =>
      change('review', async () => {
        // The decision names its submission (absent from Updates recorded before it): one delivered again after an
        // operator's Reset cannot decide a later submission (review.ts). Only the activity's input differs: no patch marker.
        const named = request.submissionId === undefined ? {} : { submissionId: request.submissionId };
        const result = await db.reviewRecertification({ changeId, operatorId: request.operatorId, approve: request.approve, reason: request.approve ? null : request.reason, ...named });
        adopt(result);
        toDraw = [...toDraw, ...result.createdSealIds];
      }),
    {
      validator: (request) => {
        checkText(request?.operatorId, 64, '审核人', 'The reviewer');
        if (typeof request.approve !== 'boolean') throw badRequest('缺少审核结论', 'The decision is missing');
        if (!request.approve) checkText(request.reason, REJECT_REASON_MAX_LENGTH, '驳回原因', 'A reason for the rejection');
        if (request.submissionId !== undefined) checkOptionalText(request.submissionId, 36, '提交编号', 'The submission id');
        validate('review');
      },
    },
  );

  /** Pushes revocations and draws seals; neither blocks the change (sweep / first use catch failures). */
  const runFollowUps = async () => {
    while (toPush.length > 0 || toDraw.length > 0) {
      if (toPush.length > 0) {
        const certificateIds = toPush;
        toPush = [];
        await followUps.pushRevocations({ certificateIds }).catch((err: unknown) => {
          if (isCancellation(err)) throw err;
          log.warn('revocations not pushed to the CA; left to the sweep', { changeId, error: String(err) });
        });
      }
      if (toDraw.length > 0) {
        const sealIds = toDraw;
        toDraw = [];
        await followUps.drawRecertifiedSeals({ sealIds }).catch((err: unknown) => {
          if (isCancellation(err)) throw err;
          log.warn('new seals not drawn; drawn on first use', { changeId, error: String(err) });
        });
      }
    }
  };

  try {
    await loading;
    for (;;) {
      await runFollowUps();
      if (!open()) break;
      const seen = { status: progress.status, deadlineMs };
      const moved = () => progress.status !== seen.status || deadlineMs !== seen.deadlineMs || toPush.length > 0 || toDraw.length > 0;
      if (awaitingAdmin()) {
        const remainingMs = deadlineMs - Date.now();
        const woke = remainingMs > 0 && (await condition(moved, remainingMs));
        if (!woke) {
          await exclusive(async () => {
            if (!pastDeadline()) return;
            // The row may have moved on without this run (DATABASE_STATUS_PATCH): expire only what is still past its deadline.
            if (patched(DATABASE_STATUS_PATCH)) {
              adopt(await steps.loadRecertification({ changeId }));
              if (!pastDeadline()) return;
            }
            adopt(await steps.expireRecertification({ changeId }));
          });
        }
      } else if (patched(DATABASE_STATUS_PATCH)) {
        // Under review: the operators' queue has no deadline, but the database may have decided without this run.
        const woke = await condition(moved, input.timing?.reviewReloadMs ?? REVIEW_RELOAD_MS);
        if (!woke) {
          await exclusive(async () => {
            if (progress.status !== 'under_review') return;
            // Only a shortcut (the review's Update adopts the row anyway): a database that cannot answer now is asked
            // again at the next interval, it does not fail the workflow.
            const snapshot = await steps.loadRecertification({ changeId }).catch((err: unknown) => {
              if (isCancellation(err)) throw err;
              log.warn('re-certification reload under review failed; asked again at the next interval', { changeId, error: String(err) });
              return null;
            });
            if (snapshot) adopt(snapshot);
          });
        }
      } else {
        await condition(moved);
      }
    }
  } catch (err) {
    if (!isCancellation(err)) throw err;
    // Cancelled from Temporal UI: after any change in flight, the platform ends the change.
    await CancellationScope.nonCancellable(async () => {
      await exclusive(async () => {
        if (!loaded) {
          adopt(await steps.loadRecertification({ changeId }));
          loaded = true;
        }
        if (open()) adopt(await steps.cancelRecertification({ changeId }));
      });
      await runFollowUps();
      await condition(allHandlersFinished);
    });
    throw err;
  }
  await condition(allHandlersFinished);
  return { ...progress };
}
