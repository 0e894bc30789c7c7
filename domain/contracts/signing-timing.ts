/**
 * Time bounds of the signing workflow, as workflow input (tests pass short ones: there is no
 * time-skipping test server offline). Pure data: the workflow sandbox imports it.
 *
 * Worst cases with the defaults:
 * - a worker killed mid-signature: the attempt is declared lost after `heartbeatTimeoutMs` (5 s)
 *   and retried after `retryInitialMs`, instead of after a 2-minute start-to-close timeout;
 * - an infrastructure failure (database, storage): at most `maxSignAttempts` attempts with
 *   exponential backoff from `retryInitialMs` to `retryMaxMs`, then the sign Update answers
 *   "签署服务暂时不可用" and the signing lock is released;
 * - expiry during a running signature: the contract is settled at most `expiryGraceMs` after expiry
 *   (the running attempt is cancelled and can no longer commit).
 */
export interface SigningTiming {
  signAttemptTimeoutMs: number;
  heartbeatTimeoutMs: number;
  maxSignAttempts: number;
  retryInitialMs: number;
  retryMaxMs: number;
  expiryGraceMs: number;
}

export const DEFAULT_SIGNING_TIMING: SigningTiming = {
  signAttemptTimeoutMs: 60_000,
  heartbeatTimeoutMs: 5_000,
  maxSignAttempts: 5,
  retryInitialMs: 1_000,
  retryMaxMs: 10_000,
  expiryGraceMs: 30_000,
};
