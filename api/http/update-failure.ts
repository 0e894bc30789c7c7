import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { AppError } from '../../domain/errors';

/** A refused or failed workflow Update becomes the user-facing error carried in its details. */
export function updateFailureToAppError(err: unknown): unknown {
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    const detail = (err.cause.details?.[0] ?? {}) as { code?: string; message?: string; messageEn?: string };
    return new AppError('rejected', detail.code ?? err.cause.type ?? 'REJECTED', detail.message ?? err.cause.message, detail.messageEn ?? err.cause.message);
  }
  if (err instanceof WorkflowNotFoundError || (err instanceof Error && /workflow execution already completed|not found/i.test(err.message))) {
    return new AppError('conflict', 'PROCESS_NOT_RUNNING', '该流程已结束或不存在', 'This process has ended or does not exist');
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
