/**
 * 拒签 / 撤销 / 催办 travel to the contract's workflow as Updates, which Temporal keeps in the run's history and
 * delivers again to a new run after an operator's Reset (its default reapplies them). Each carries when the API
 * accepted it (`requestedAt`), and the workflow adds when its run received it (`receivedAt`, workflow time): it is
 * carried out only if the run received it shortly after the API accepted it. A request replayed days later — one that
 * was answered as failed then, or an urge an hour past its rest — changes nothing; one received in time whose
 * activity runs late (a worker outage, retries through a database outage) is still carried out.
 */
import { rejected } from '../errors';

/** How long after the API accepted it a decision may still be carried out (the Update waits for the contract's lock, activation and retries well within this). */
export const REQUEST_VALID_MS = 10 * 60_000;
/** Clock difference tolerated between the API's and the worker's machines. */
const CLOCK_SKEW_MS = 60_000;

/** When a request was accepted by the API and received by its workflow run (ISO); both absent on Updates from before. */
export interface RequestTimes {
  requestedAt?: string;
  receivedAt?: string;
}

/** Throws REQUEST_EXPIRED when the run received the request (else: `now`) more than REQUEST_VALID_MS after the API accepted it. */
export function assertRequestFresh({ requestedAt, receivedAt }: RequestTimes, now: Date): void {
  if (requestedAt === undefined) return;
  const at = Date.parse(requestedAt);
  const received = receivedAt === undefined ? now.getTime() : Date.parse(receivedAt);
  const age = received - at;
  if (!Number.isFinite(at) || age > REQUEST_VALID_MS || age < -CLOCK_SKEW_MS) {
    throw rejected('REQUEST_EXPIRED', '该请求已过期，未执行；如仍需要，请重新操作', 'This request has expired and was not carried out; do it again if still needed');
  }
}
