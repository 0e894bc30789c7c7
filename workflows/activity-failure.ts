/**
 * Why an activity failed, as the workflows read it: a non-retryable ApplicationFailure is a business
 * or document refusal (activities/activity-errors.ts) whose message answers the user; anything else
 * (retries exhausted, timeouts) is infrastructure. Pure, so the workflow sandbox imports it.
 */
import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';

/**
 * The activity's permanent failure, if that is why `err` was thrown. A regular activity's failure
 * arrives wrapped in an ActivityFailure; a local activity's own failure arrives unwrapped
 * (`localUnwrapped`: only its timeouts and cancellation are ActivityFailures).
 */
export function permanentActivityFailure(err: unknown, localUnwrapped = false): ApplicationFailure | undefined {
  const cause = err instanceof ActivityFailure ? err.cause : localUnwrapped ? err : undefined;
  return cause instanceof ApplicationFailure && cause.nonRetryable ? cause : undefined;
}
