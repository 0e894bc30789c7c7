/**
 * Why an activity failed, as the workflows read it: a non-retryable ApplicationFailure is a business
 * or document refusal (activities/activity-errors.ts) whose message answers the user; so is a lost
 * race (CONCURRENT_CHANGE), which the activity retries under its retry policy (a fresh attempt may
 * win) and which, once the attempts ran out, answers the user as the 409 it is ("reload and retry");
 * anything else (an infrastructure error's retries exhausted, timeouts) is infrastructure. Pure, so
 * the workflow sandbox imports it.
 */
import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';

/** The type of a lost race (domain/persistence/concurrency.ts `concurrentChange`): retried, then answered. */
export const CONCURRENT_CHANGE = 'CONCURRENT_CHANGE';

/**
 * The activity's final answer for the user, if that is why `err` was thrown: a permanent refusal, or
 * a lost race whose retries are used up. A regular activity's failure arrives wrapped in an
 * ActivityFailure; a local activity's own failure arrives unwrapped (`localUnwrapped`: only its
 * timeouts and cancellation are ActivityFailures).
 */
export function permanentActivityFailure(err: unknown, localUnwrapped = false): ApplicationFailure | undefined {
  const cause = err instanceof ActivityFailure ? err.cause : localUnwrapped ? err : undefined;
  return cause instanceof ApplicationFailure && (cause.nonRetryable || cause.type === CONCURRENT_CHANGE) ? cause : undefined;
}
