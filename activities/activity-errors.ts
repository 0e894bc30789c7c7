/**
 * THE place where an activity failure is classified (every activity goes through `asActivityFailure`):
 * - business refusals (AppError, a CA's CaRefusal) and document errors (DocumentError) are permanent: a
 *   non-retryable ApplicationFailure of type `code`, carrying `{ code, message (zh-CN), messageEn }`
 *   in its details, which the workflow hands to the Update caller and the API shows;
 * - a lost race (CONCURRENT_CHANGE: optimistic lock, deadlock, lock wait, busy — concurrency.ts) is
 *   the same failure but retryable: a fresh attempt may win, so the activity's retry policy
 *   (maximumAttempts) runs it again; once the attempts are used up the workflow answers it like a
 *   refusal (workflows/activity-failure.ts `permanentActivityFailure`). Other AppErrors, kind
 *   'unavailable' included (SMS_SEND_FAILED: the sender has retried already, and a repeated send
 *   would meet the code's resend cooldown), stay permanent;
 * - a cancellation is passed through (the workflow gave up on this attempt);
 * - everything else is infrastructure (database, storage, crashes): thrown as is (a database error
 *   with its statement's values masked), so Temporal retries it under the workflow's bounded retry
 *   policy (maximumAttempts, backoff).
 */
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { DocumentError } from '../documents/errors';
import { signingDocumentErrorMessage } from '../domain/contracts/signing-document-errors';
import { AppError } from '../domain/errors';
import { isConcurrentChange } from '../domain/persistence/concurrency';
import { redactSqlValues } from '../domain/persistence/redact-sql-values';
import { isCaRefusal } from '../integrations/ca-orders/ca-order-gateway';

const TRANSIENT_DOCUMENT_ERRORS: ReadonlySet<string> = new Set(['PDF_ENGINE_BUSY', 'OFFICE_BUSY', 'OFFICE_UNAVAILABLE']);

export interface FailureDetail {
  code: string;
  message: string;
  messageEn: string;
}

export const permanentFailure = (detail: FailureDetail, cause?: Error) =>
  ApplicationFailure.create({ type: detail.code, message: detail.message, nonRetryable: true, details: [detail], cause });

/** The same answer, retried by Temporal under the activity's retry policy (a lost race). */
const retriedFailure = (detail: FailureDetail) => ApplicationFailure.create({ type: detail.code, message: detail.message, nonRetryable: false, details: [detail] });

/** The classification itself (exported for tests): what to throw from an activity for `err`. */
export function classifyActivityError(err: unknown): unknown {
  if (err instanceof ApplicationFailure || err instanceof CancelledFailure) return err;
  if (err instanceof AppError) {
    const detail = { code: err.code, message: err.message, messageEn: err.messageEn };
    return isConcurrentChange(err) ? retriedFailure(detail) : permanentFailure(detail);
  }
  if (isCaRefusal(err)) return permanentFailure({ code: err.code, message: err.messageZh, messageEn: err.messageEn });
  // A full PDF-worker queue is transient (load), not a property of the document: retry it.
  if (err instanceof DocumentError && TRANSIENT_DOCUMENT_ERRORS.has(err.code)) return err;
  if (err instanceof DocumentError) return permanentFailure({ code: err.code, ...signingDocumentErrorMessage(err.code) }, err);
  return withoutSqlValues(err);
}

/**
 * An infrastructure error whose message holds a failed statement with its values (a database
 * error): the same error, retryable, with the values masked — the message is kept in the workflow's
 * history and shown in Temporal UI.
 */
function withoutSqlValues(err: unknown): unknown {
  if (!(err instanceof Error)) return err;
  const message = redactSqlValues(err.message);
  if (message === err.message) return err;
  return ApplicationFailure.create({ type: err.name, message, nonRetryable: false });
}

export async function asActivityFailure<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw classifyActivityError(err);
  }
}
