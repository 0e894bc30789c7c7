import { Context } from '@temporalio/activity';

/**
 * Runs `work` while heartbeating (every third of the heartbeat timeout), so a worker that dies
 * mid-activity is noticed within the heartbeat timeout and the attempt retried in seconds. The
 * signal is aborted when the workflow cancels the activity (cancellation arrives with heartbeats).
 * A local activity (the v2 signature since LOCAL_SIGNATURE_PATCH) has no heartbeat timeout: it gets
 * no heartbeats, and its signal is aborted by its own worker (workflow cancel, or its timeout, e.g.
 * expiry + grace). Outside an activity (direct calls in tests) it just runs `work`.
 */
export async function withHeartbeat<T>(work: (signal: AbortSignal | undefined) => Promise<T>): Promise<T> {
  let ctx: Context;
  try {
    ctx = Context.current();
  } catch {
    return work(undefined);
  }
  const timeout = ctx.info.heartbeatTimeoutMs;
  if (!timeout) return work(ctx.cancellationSignal);
  ctx.heartbeat();
  const timer = setInterval(() => ctx.heartbeat(), Math.max(100, Math.floor(timeout / 3)));
  try {
    return await work(ctx.cancellationSignal);
  } finally {
    clearInterval(timer);
  }
}
