import { ApiError } from './apiFetch';

/** How long to wait before sending again: a 503 with Retry-After (the server did not do it and says when to ask again), else null. */
export function unavailableRetryDelayMs(err: unknown): number | null {
  return err instanceof ApiError && err.status === 503 && err.retryAfterSeconds ? err.retryAfterSeconds * 1000 : null;
}

export interface RetryOptions {
  /** Total time the retries may wait; a wait that would end later is not started (the last error is thrown). */
  budgetMs: number;
  /** Told before each wait (the UI shows 正在处理 meanwhile). */
  onWait?: (ms: number) => void;
  /** False once the caller is gone (dialog closed): no further attempt. */
  alive?: () => boolean;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Sends an IDEMPOTENT request again while the server answers 503 with Retry-After (a signature: the
 * same code attaches to the same signing request, so resending never signs twice), waiting as told,
 * within `budgetMs`. Any other answer, or the budget spent, ends it: the result or the last error.
 */
export async function retryWhileUnavailable<T>(send: () => Promise<T>, options: RetryOptions): Promise<T> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  let waited = 0;
  for (;;) {
    try {
      return await send();
    } catch (err) {
      const delay = unavailableRetryDelayMs(err);
      if (delay === null || waited + delay > options.budgetMs || options.alive?.() === false) throw err;
      options.onWait?.(delay);
      await sleep(delay);
      waited += delay;
      if (options.alive?.() === false) throw err;
    }
  }
}
