import { ActivityFailure, ApplicationFailure, RetryState, TimeoutFailure, TimeoutType } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { permanentActivityFailure } from './activity-failure';

const wrapped = (cause: Error, retryState: RetryState = RetryState.NON_RETRYABLE_FAILURE) => new ActivityFailure('failed', 'signForParticipant', '1', retryState, 'worker', cause);

describe('permanentActivityFailure', () => {
  const refusal = ApplicationFailure.nonRetryable('印章已停用', 'SEAL_DISABLED');
  const outage = ApplicationFailure.retryable('connection refused', 'DB_DOWN');
  const lostRace = ApplicationFailure.create({ type: 'CONCURRENT_CHANGE', message: '数据已被他人修改，请刷新后重试', nonRetryable: false });

  it('finds the business refusal an activity ended with', () => {
    expect(permanentActivityFailure(wrapped(refusal))).toBe(refusal);
  });

  it('finds a lost race (retryable) once its retries are used up: it answers the user like a refusal', () => {
    expect(permanentActivityFailure(wrapped(lostRace, RetryState.MAXIMUM_ATTEMPTS_REACHED))).toBe(lostRace);
    expect(permanentActivityFailure(lostRace, true)).toBe(lostRace);
  });

  it('treats exhausted retries and timeouts as infrastructure', () => {
    expect(permanentActivityFailure(wrapped(outage, RetryState.MAXIMUM_ATTEMPTS_REACHED))).toBeUndefined();
    expect(permanentActivityFailure(wrapped(new TimeoutFailure('timed out', undefined, TimeoutType.START_TO_CLOSE)))).toBeUndefined();
    expect(permanentActivityFailure(new Error('workflow bug'))).toBeUndefined();
  });

  it("reads a local activity's own failure unwrapped only when told so", () => {
    expect(permanentActivityFailure(refusal, true)).toBe(refusal);
    expect(permanentActivityFailure(refusal)).toBeUndefined();
    expect(permanentActivityFailure(outage, true)).toBeUndefined();
  });
});
