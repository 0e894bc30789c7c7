import { ServiceError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../domain/errors';
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
