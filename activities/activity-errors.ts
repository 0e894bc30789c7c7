import { ApplicationFailure } from '@temporalio/common';
import { AppError } from '../domain/errors';

/** Business refusals (AppError) must not be retried: they become non-retryable ApplicationFailures carrying the user message. */
export async function asActivityFailure<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof AppError) {
      throw ApplicationFailure.create({ type: err.code, message: err.message, nonRetryable: true, details: [{ code: err.code, message: err.message, messageEn: err.messageEn }] });
    }
    throw err;
  }
}
