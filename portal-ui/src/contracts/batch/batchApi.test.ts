import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../../ui-shared/src/api/apiFetch';
import { batchWasSubmitted, MAX_POLL_BACKOFF_MS, mergeBatchProgress, POLL_MS, pollDelayAfter, type BatchProgress } from './batchApi';

const item = (id: string, state: BatchProgress['items'][number]['state']) => ({ id, title: `合同 ${id}`, state });
const progress = (items: BatchProgress['items'], counts: BatchProgress['counts'], complete: boolean): BatchProgress => ({
  batchId: 'b',
  status: 'running',
  counts,
  cursor: '2026-12-02T00:00:00.000Z',
  complete,
  items,
});

describe('mergeBatchProgress', () => {
  const first = progress([item('a', 'queued'), item('b', 'queued'), item('c', 'queued')], { queued: 3, signing: 0, signed: 0, failed: 0 }, true);

  it('a partial answer updates the items it names and keeps the order', () => {
    const next = progress([item('b', 'signed')], { queued: 2, signing: 0, signed: 1, failed: 0 }, false);
    const { progress: merged, stale } = mergeBatchProgress(first, next);
    expect(merged.items.map((i) => [i.id, i.state])).toEqual([['a', 'queued'], ['b', 'signed'], ['c', 'queued']]);
    expect(merged.complete).toBe(true);
    expect(stale).toBe(false);
  });

  it('a change the cursor missed shows as a disagreement with the counts (stale: ask for everything next time)', () => {
    const next = progress([item('b', 'signed')], { queued: 1, signing: 0, signed: 2, failed: 0 }, false);
    expect(mergeBatchProgress(first, next).stale).toBe(true);
  });

  it('a complete answer replaces what was there', () => {
    const next = progress([item('a', 'signed'), item('b', 'failed'), item('c', 'signed')], { queued: 0, signing: 0, signed: 2, failed: 1 }, true);
    const { progress: merged, stale } = mergeBatchProgress(first, next);
    expect(merged.items.map((i) => i.state)).toEqual(['signed', 'failed', 'signed']);
    expect(stale).toBe(false);
  });
});

describe('polling after a failed poll', () => {
  const apiError = (status: number, code?: string, retryAfterSeconds?: number) => new ApiError('…', status, code, null, retryAfterSeconds);

  it('waits as Retry-After says (503 while Temporal is unreachable, 429), capped', () => {
    expect(pollDelayAfter(apiError(503, 'TEMPORAL_UNAVAILABLE', 5), 1)).toBe(5000);
    expect(pollDelayAfter(apiError(429, 'RATE_LIMITED', 2), 3)).toBe(2000);
    expect(pollDelayAfter(apiError(503, 'TEMPORAL_UNAVAILABLE', 3600), 1)).toBe(MAX_POLL_BACKOFF_MS);
  });

  it('else backs off, doubling up to a bound (the network, a 500)', () => {
    expect(pollDelayAfter(apiError(0, 'NETWORK'), 1)).toBe(2 * POLL_MS);
    expect(pollDelayAfter(apiError(500), 2)).toBe(4 * POLL_MS);
    expect(pollDelayAfter(new Error('x'), 50)).toBe(MAX_POLL_BACKOFF_MS);
  });

  it('a submission refused after the code was spent (503 start failed, 409 already submitted) goes on to the progress', () => {
    expect(batchWasSubmitted(apiError(503, 'TEMPORAL_UNAVAILABLE', 5))).toBe(true);
    expect(batchWasSubmitted(apiError(409, 'BATCH_ALREADY_SUBMITTED'))).toBe(true);
    expect(batchWasSubmitted(apiError(400, 'SMS_CODE_WRONG'))).toBe(false);
    expect(batchWasSubmitted(apiError(503))).toBe(false);
  });
});
