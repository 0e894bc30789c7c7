/**
 * Checks of what a signal or an Update carries. The API always sends well-formed payloads, but anyone with Temporal
 * UI (or tctl) can send a signal or an Update by name with no payload or with any JSON. A handler must never throw on
 * that: a signal handler's TypeError fails the workflow task, every retry replays the same signal, and the workflow
 * is stuck for good (its Updates time out, its rows stay held until the reconciler acts). So:
 * - a signal handler reads its payload with these helpers and ignores (logs) a malformed one;
 * - an Update's validator rejects a malformed payload (INVALID_REQUEST) before the handler runs, so the handler
 *   only ever sees the shape the validator accepted (validators run only for new Updates, never on replay, and a
 *   rejected Update is not recorded in history).
 * Pure: the workflow sandbox imports it.
 */
import { log } from '@temporalio/workflow';
import { updateFailure } from './update-failures';

/** The longest id a payload may carry (uuids, user ids). */
export const MAX_ID_LENGTH = 64;

/** The payload's own field `key`, or undefined when the payload is not an object. */
export function fieldOf(payload: unknown, key: string): unknown {
  return typeof payload === 'object' && payload !== null && !Array.isArray(payload) ? (payload as Record<string, unknown>)[key] : undefined;
}

/** A non-empty id of at most MAX_ID_LENGTH characters. */
export const isId = (value: unknown): value is string => typeof value === 'string' && value.length > 0 && value.length <= MAX_ID_LENGTH;

/** An Update's refusal of a malformed payload. */
export const invalidRequest = (message: string, messageEn: string) => updateFailure({ code: 'INVALID_REQUEST', message, messageEn });

/** Validator part: the payload is an object whose `key` is an id; otherwise the Update is rejected (INVALID_REQUEST). */
export function requireId(payload: unknown, key: string, what: string, whatEn: string): string {
  const value = fieldOf(payload, key);
  if (!isId(value)) throw invalidRequest(`缺少${what}`, `Missing ${whatEn}`);
  return value;
}

/** A signal whose payload is malformed is ignored: logged (the payload's shape only, never its values) and nothing else. */
export function ignoreMalformedSignal(signal: string, payload: unknown, expected: string): void {
  const shape = payload === null ? 'null' : Array.isArray(payload) ? 'array' : typeof payload === 'object' ? `object with ${Object.keys(payload).slice(0, 10).join(', ') || 'no fields'}` : typeof payload;
  log.warn('malformed signal ignored', { signal, expected, received: shape });
}
