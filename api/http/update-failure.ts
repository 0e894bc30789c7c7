import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { AppError } from '../../domain/errors';

/** A refused or failed workflow Update becomes the user-facing error carried in its details. */
export function updateFailureToAppError(err: unknown): unknown {
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    const detail = (err.cause.details?.[0] ?? {}) as { code?: string; message?: string; messageEn?: string };
    return new AppError('rejected', detail.code ?? err.cause.type ?? 'REJECTED', detail.message ?? err.cause.message, detail.messageEn ?? err.cause.message);
  }
  return err;
}

/** Runs an Update and translates its failure. */
export async function runUpdate<T>(send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (err) {
    throw updateFailureToAppError(err);
  }
}
