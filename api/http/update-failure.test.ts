import { ServiceError, WorkflowFailedError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure, CancelledFailure, RetryState, TerminatedFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../domain/errors';
import { RepeatableIdExhaustedError } from '../../workflows/clients/bounded-update';
import { isTemporalUnreachable, updateFailureToAppError } from './update-failure';

/** A gRPC error as @temporalio/client raises it (code, details, metadata), wrapped like a failed Update call. */
function grpcError(code: number, details: string): Error {
  const grpc = Object.assign(new Error(`${code} ${details}`), { code, details, metadata: {} });
  return new ServiceError('Update failed', { cause: grpc });
}

describe('updateFailureToAppError: Temporal errors that are worth a retry', () => {
  it('UNAVAILABLE, DEADLINE_EXCEEDED and an Update refused while a workflow task is being retried (FAILED_PRECONDITION) answer 503 with Retry-After', () => {
    for (const err of [grpcError(14, 'connection refused'), grpcError(4, 'deadline exceeded'), grpcError(9, 'Workflow Task in failed state.')]) {
      expect(isTemporalUnreachable(err)).toBe(true);
      const answer = updateFailureToAppError(err);
      expect(answer).toBeInstanceOf(AppError);
      expect(answer).toMatchObject({ code: 'TEMPORAL_UNAVAILABLE' });
    }
  });

  it('another FAILED_PRECONDITION is not taken for unavailability', () => {
    const err = grpcError(9, 'namespace is not active');
    expect(isTemporalUnreachable(err)).toBe(false);
    expect(updateFailureToAppError(err)).toBe(err);
  });
});

describe('updateFailureToAppError: the answer a workflow gave', () => {
  const failed = (code: string, message: string, messageEn: string, retryable?: boolean) =>
    new WorkflowUpdateFailedError('Workflow Update failed', ApplicationFailure.create({ type: code, message, nonRetryable: true, details: [{ code, message, messageEn, ...(retryable ? { retryable } : {}) }] }));

  it('a lost race whose retries ran out (CONCURRENT_CHANGE) is a 409 with its message; other refusals stay 422, retryable ones 503', () => {
    expect(updateFailureToAppError(failed('CONCURRENT_CHANGE', '数据已被他人修改，请刷新后重试', 'Someone else changed this at the same time; reload and retry'))).toMatchObject({
      kind: 'conflict',
      code: 'CONCURRENT_CHANGE',
      message: '数据已被他人修改，请刷新后重试',
      messageEn: 'Someone else changed this at the same time; reload and retry',
    });
    expect(updateFailureToAppError(failed('USCC_MISMATCH', '统一社会信用代码与企业不一致', 'The USCC does not match'))).toMatchObject({ kind: 'rejected', code: 'USCC_MISMATCH' });
    expect(updateFailureToAppError(failed('RECERTIFICATION_UNAVAILABLE', '服务暂时不可用，请稍后重试', 'Temporarily unavailable', true))).toMatchObject({ kind: 'unavailable', code: 'RECERTIFICATION_UNAVAILABLE' });
  });

  it('an actor whose authority was gone at the commit (administrator replaced, member removed, seal authorisation withdrawn) is a 403, as the API\'s own check answers', () => {
    for (const code of ['ADMIN_CHANGED', 'NOT_ENTERPRISE_MEMBER', 'NOT_THE_NAMED_OPERATOR', 'NOT_INITIATOR', 'NOT_ALLOWED_TO_URGE', 'SIGNING_AUTHORITY_CHANGED', 'REFUSAL_AUTHORITY_CHANGED']) {
      expect(updateFailureToAppError(failed(code, '无权操作', 'Not allowed'))).toMatchObject({ kind: 'forbidden', code, message: '无权操作', messageEn: 'Not allowed' });
    }
  });
});

describe('updateFailureToAppError: an SMS code asked for too soon through a workflow', () => {
  it('is the 429 every other code form answers (a 转让管理员 resend within the cooldown), with Retry-After when the message names the wait', () => {
    const failed = (code: string, message: string) => new WorkflowUpdateFailedError('Workflow Update failed', ApplicationFailure.create({ type: code, message, nonRetryable: true, details: [{ code, message, messageEn: 'Please wait' }] }));
    expect(updateFailureToAppError(failed('SMS_COOLDOWN', '验证码发送过于频繁，请 42 秒后再试'))).toMatchObject({ kind: 'rate_limited', code: 'SMS_COOLDOWN', details: { retryAfterSeconds: 42 } });
    expect(updateFailureToAppError(failed('SMS_RATE_LIMITED', '验证码请求过于频繁，请 1 小时后再试'))).toMatchObject({ kind: 'rate_limited', code: 'SMS_RATE_LIMITED' });
  });
});

describe('updateFailureToAppError: a workflow whose result was awaited ended without one', () => {
  it('cancelled, terminated or failed (WorkflowFailedError) is the 409 PROCESS_NOT_RUNNING, never passed on as a 500', () => {
    const causes = [new CancelledFailure('cancelled'), new TerminatedFailure('terminated'), ApplicationFailure.create({ message: 'boom' })];
    for (const cause of causes) {
      expect(updateFailureToAppError(new WorkflowFailedError('Workflow execution failed', cause, RetryState.NON_RETRYABLE_FAILURE))).toMatchObject({
        kind: 'conflict',
        code: 'PROCESS_NOT_RUNNING',
        message: '该流程已结束或不存在',
      });
    }
  });
});

describe('updateFailureToAppError: a repeatable id whose every Update said "try again later"', () => {
  it('is a 409 asking for a new key (not a 503 that a client following Retry-After would repeat for ever)', () => {
    expect(updateFailureToAppError(new RepeatableIdExhaustedError('refuse:p:u:key'))).toMatchObject({ kind: 'conflict', code: 'IDEMPOTENCY_KEY_EXHAUSTED', message: expect.stringContaining('新的 Key') });
  });
});
