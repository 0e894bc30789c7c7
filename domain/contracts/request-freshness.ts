/**
 * 拒签 / 撤销 / 催办 travel to the contract's workflow as Updates, which Temporal keeps in the run's history and
 * delivers again to a new run after an operator's Reset (its default reapplies them). Each carries when the API
 * accepted it (`requestedAt`), and is carried out only shortly after: a request replayed days later — one that was
 * answered as failed then, or an urge an hour past its rest — changes nothing.
 */
import { rejected } from '../errors';

/** How long after the API accepted it a decision may still be carried out (the Update waits for the contract's lock, activation and retries well within this). */
export const REQUEST_VALID_MS = 10 * 60_000;
/** Clock difference tolerated between the API's and the worker's machines. */
const CLOCK_SKEW_MS = 60_000;

/** `requestedAt` (ISO) is absent only on Updates sent before it existed. Throws REQUEST_EXPIRED past the window. */
export function assertRequestFresh(requestedAt: string | undefined, now: Date): void {
  if (requestedAt === undefined) return;
  const at = Date.parse(requestedAt);
  const age = now.getTime() - at;
  if (!Number.isFinite(at) || age > REQUEST_VALID_MS || age < -CLOCK_SKEW_MS) {
    throw rejected('REQUEST_EXPIRED', '该请求已过期，未执行；如仍需要，请重新操作', 'This request has expired and was not carried out; do it again if still needed');
  }
}
