import { ActivityFailure, ApplicationFailure, RetryState, TimeoutFailure, TimeoutType } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { permanentActivityFailure } from './activity-failure';

const wrapped = (cause: Error) => new ActivityFailure('failed', 'signForParticipant', '1', RetryState.NON_RETRYABLE_FAILURE, 'worker', cause);

describe('permanentActivityFailure', () => {
  const refusal = ApplicationFailure.nonRetryable('印章已停用', 'SEAL_DISABLED');
  const outage = ApplicationFailure.retryable('connection refused', 'DB_DOWN');

  it('finds the business refusal an activity ended with', () => {
    expect(permanentActivityFailure(wrapped(refusal))).toBe(refusal);
  });

  it('treats exhausted retries and timeouts as infrastructure', () => {
    expect(permanentActivityFailure(wrapped(outage))).toBeUndefined();
    expect(permanentActivityFailure(wrapped(new TimeoutFailure('timed out', undefined, TimeoutType.START_TO_CLOSE)))).toBeUndefined();
    expect(permanentActivityFailure(new Error('workflow bug'))).toBeUndefined();
  });

  it("reads a local activity's own failure unwrapped only when told so", () => {
    expect(permanentActivityFailure(refusal, true)).toBe(refusal);
    expect(permanentActivityFailure(refusal)).toBeUndefined();
    expect(permanentActivityFailure(outage, true)).toBeUndefined();
  });
});
