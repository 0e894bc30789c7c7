import { ServiceError, WorkflowFailedError, WorkflowNotFoundError, WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError, isGrpcServiceError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure, type UpdateDefinition } from '@temporalio/common';
import type { AppConfig } from '../../config';
import { AppError, unavailable } from '../../domain/errors';
import { executeBoundedUpdate, executeRepeatableUpdate, RepeatableIdExhaustedError, UpdateStillRunningError, type UpdateBounds } from '../../workflows/clients/bounded-update';
import type { ApiDeps } from '../deps';

/** Seconds a client should wait before retrying when Temporal (or the signing service) is unavailable. */
export const RETRY_AFTER_SECONDS = 5;

const GRPC_UNAVAILABLE = 14;
const GRPC_DEADLINE_EXCEEDED = 4;
const GRPC_FAILED_PRECONDITION = 9;

/**
 * Temporal could not be reached in time (refused, down, or the call's deadline passed), or it
 * cannot take the request yet: an Update sent while the server retries a workflow task that failed
 * or timed out (its worker died) is refused as FAILED_PRECONDITION "Workflow Task in failed state";
 * the same request succeeds once another worker has taken the task.
 */
export function isTemporalUnreachable(err: unknown): boolean {
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return true;
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (isGrpcServiceError(e) && (e.code === GRPC_UNAVAILABLE || e.code === GRPC_DEADLINE_EXCEEDED || (e.code === GRPC_FAILED_PRECONDITION && /workflow task in failed state/i.test(e.details)))) return true;
    if (e instanceof ServiceError && /unavailable|deadline|connect/i.test(e.message)) return true;
  }
  return false;
}

export const temporalUnavailable = () =>
  unavailable('TEMPORAL_UNAVAILABLE', '服务暂时不可用，请稍后重试', 'The service is temporarily unavailable; retry shortly', RETRY_AFTER_SECONDS);

/** The same for a signature, whose SMS code is not used up by the failed attempt. */
export const signingTemporalUnavailable = () =>
  unavailable('TEMPORAL_UNAVAILABLE', '签署服务暂时不可用，请稍后重试（验证码仍然有效）', 'The signing service is temporarily unavailable; retry shortly (your code stays valid)', RETRY_AFTER_SECONDS);

/**
 * The same for a 批量签署 whose start failed: its code was spent and the batch is confirmed (a resubmission is 409
 * BATCH_ALREADY_SUBMITTED); polling its progress starts it once Temporal answers.
 */
export const batchTemporalUnavailable = () =>
  unavailable(
    'TEMPORAL_UNAVAILABLE',
    '批量签署已提交，签署服务暂时不可用，恢复后将自动开始签署，请稍候查看进度',
    'The batch was submitted; the signing service is temporarily unavailable and signing starts once it is back. Check the progress shortly',
    RETRY_AFTER_SECONDS,
  );

const updateStillRunning = () =>
  unavailable('UPDATE_STILL_RUNNING', '请求已受理，仍在处理中，请稍后刷新查看', 'Accepted and still being processed; refresh shortly', RETRY_AFTER_SECONDS);

/** How long a request waits for a workflow Update (signing has its own): TEMPORAL_CALL_TIMEOUT_SECONDS to be accepted, UPDATE_WAIT_SECONDS in all for its outcome. */
export const updateBounds = (config: AppConfig): UpdateBounds => ({ acceptTimeoutMs: config.contracts.callTimeoutMs, waitMs: config.contracts.updateWaitMs });

/**
 * Refusals of who acts, answered 403 as the API's own checks answer them: also when the workflow's activity finds the
 * actor's authority gone at its commit (an administrator replaced, a member removed after the request's check).
 */
const FORBIDDEN_UPDATE_CODES: ReadonlySet<string> = new Set(['NOT_A_SIGNER', 'NOT_A_PARTICIPANT', 'ADMIN_CHANGED', 'NOT_ENTERPRISE_MEMBER', 'NOT_THE_NAMED_OPERATOR', 'NOT_INITIATOR', 'NOT_ALLOWED_TO_URGE', 'SIGNING_AUTHORITY_CHANGED', 'REFUSAL_AUTHORITY_CHANGED']);

/** Codes of an Update refused for asking too soon (domain/sms/verification-codes.ts): answered 429. */
const RATE_LIMITED_UPDATE_CODES = new Set(['SMS_COOLDOWN', 'SMS_RATE_LIMITED']);
/** Retry-After for a rate-limited Update: the seconds its message names (请 N 秒后再试), when it names them. */
const retryAfterIn = (message: string) => {
  const seconds = /(\d+)\s*秒/.exec(message)?.[1];
  return seconds ? { retryAfterSeconds: Number(seconds) } : undefined;
};

type FailureDetail = { code?: string; message?: string; messageEn?: string; retryable?: boolean };
const failureDetail = (failure: ApplicationFailure) => (failure.details?.[0] ?? {}) as FailureDetail;

/** The Update failed with "try again later" (answered as 503), as opposed to an answer that stands. */
const failedRetryLater = (err: unknown) => err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure && failureDetail(err.cause).retryable === true;

/**
 * A refused or failed workflow Update becomes the user-facing error carried in its details
 * (`{ code, message, messageEn, retryable? }`, see workflows/contract-signing.ts); an unreachable
 * Temporal (or no worker accepting the Update in time) becomes 503 with Retry-After, as does an
 * accepted Update whose outcome did not arrive in time (UPDATE_STILL_RUNNING). A workflow whose result was awaited
 * and that was cancelled, terminated or failed meanwhile (WorkflowFailedError) has ended: 409 PROCESS_NOT_RUNNING,
 * as for an Update sent to an ended workflow (a route that can say more reads its row first).
 */
export function updateFailureToAppError(err: unknown, unreachable: () => AppError = temporalUnavailable): unknown {
  if (err instanceof UpdateStillRunningError) return updateStillRunning();
  if (err instanceof RepeatableIdExhaustedError) {
    return new AppError('conflict', 'IDEMPOTENCY_KEY_EXHAUSTED', '使用该 Idempotency-Key 的请求已多次因服务不可用未能完成，请换用新的 Key 重试', 'Requests with this Idempotency-Key have failed too often while the service was unavailable; retry with a new key');
  }
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    const detail = failureDetail(err.cause);
    const code = detail.code ?? err.cause.type ?? 'REJECTED';
    const message = detail.message ?? err.cause.message;
    const messageEn = detail.messageEn ?? err.cause.message;
    if (detail.retryable) return unavailable(code, message, messageEn, RETRY_AFTER_SECONDS);
    // A lost race (CONCURRENT_CHANGE, answered once the activity's retries ran out) is the 409 it is everywhere else,
    // and an SMS code asked for too soon (a workflow's resend) the 429 every other code form answers.
    if (RATE_LIMITED_UPDATE_CODES.has(code)) return new AppError('rate_limited', code, message, messageEn, retryAfterIn(message));
    const kind = FORBIDDEN_UPDATE_CODES.has(code) ? 'forbidden' : code === 'ENTERPRISE_RECERTIFYING' || code === 'CONCURRENT_CHANGE' ? 'conflict' : 'rejected';
    return new AppError(kind, code, message, messageEn);
  }
  if (err instanceof WorkflowNotFoundError || err instanceof WorkflowUpdateFailedError || err instanceof WorkflowFailedError || (err instanceof Error && /workflow execution already completed|not found/i.test(err.message))) {
    return new AppError('conflict', 'PROCESS_NOT_RUNNING', '该流程已结束或不存在', 'This process has ended or does not exist');
  }
  if (isTemporalUnreachable(err)) return unreachable();
  return err;
}

/** Runs a request's Temporal call (a bounded Update, a workflow's bounded result) and translates its failure. */
export async function runUpdate<T>(send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (err) {
    throw updateFailureToAppError(err);
  }
}

/** A route's Update: sent within the configured bounds (updateBounds), its failure translated. */
export function sendUpdate<Ret, Args extends unknown[]>(
  deps: Pick<ApiDeps, 'temporal' | 'services'>,
  handle: WorkflowHandle,
  update: UpdateDefinition<Ret, Args>,
  options: { args?: Args; updateId?: string } = {},
): Promise<Ret> {
  return runUpdate(() => executeBoundedUpdate(deps.temporal, handle, update, options, updateBounds(deps.services.config)));
}

/**
 * A route's Update whose id the client may send again (`sendDecisionUpdate`: the request's Idempotency-Key): a
 * retry after a 503 from the workflow is carried out anew instead of getting the kept 503 (executeRepeatableUpdate).
 */
export function sendRepeatableUpdate<Ret, Args extends unknown[]>(
  deps: Pick<ApiDeps, 'temporal' | 'services'>,
  handle: WorkflowHandle,
  update: UpdateDefinition<Ret, Args>,
  options: { args?: Args; updateId: string },
): Promise<Ret> {
  return runUpdate(() => executeRepeatableUpdate(deps.temporal, handle, update, options, updateBounds(deps.services.config), failedRetryLater));
}
