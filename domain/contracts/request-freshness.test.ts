import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { assertRequestFresh, REQUEST_VALID_MS, type RequestTimes } from './request-freshness';

const codeOf = (times: RequestTimes, now: Date) => {
  try {
    assertRequestFresh(times, now);
    return 'ok';
  } catch (err) {
    return err instanceof AppError ? err.code : String(err);
  }
};

describe('assertRequestFresh', () => {
  const now = new Date('2026-12-06T09:00:00Z');
  const ago = (ms: number) => new Date(now.getTime() - ms).toISOString();

  it('carries out a request within its window, and one sent before requests carried a time', () => {
    expect(codeOf({ requestedAt: ago(0) }, now)).toBe('ok');
    expect(codeOf({ requestedAt: ago(REQUEST_VALID_MS - 1000) }, now)).toBe('ok');
    expect(codeOf({ requestedAt: ago(-30_000) }, now)).toBe('ok'); // the API's clock a little ahead
    expect(codeOf({}, now)).toBe('ok');
  });

  it('refuses one replayed past its window, dated in the future, or with no valid time (REQUEST_EXPIRED)', () => {
    expect(codeOf({ requestedAt: ago(REQUEST_VALID_MS + 1000) }, now)).toBe('REQUEST_EXPIRED');
    expect(codeOf({ requestedAt: ago(3 * 86_400_000) }, now)).toBe('REQUEST_EXPIRED');
    expect(codeOf({ requestedAt: ago(-3_600_000) }, now)).toBe('REQUEST_EXPIRED');
    expect(codeOf({ requestedAt: 'not a date' }, now)).toBe('REQUEST_EXPIRED');
  });

  it('measures from when the run received it: one received in time whose activity runs late is carried out; one received late (a Reset reapplying it) is not', () => {
    const requestedAt = ago(3_600_000);
    expect(codeOf({ requestedAt, receivedAt: ago(3_600_000 - 5000) }, now)).toBe('ok');
    expect(codeOf({ requestedAt, receivedAt: ago(0) }, now)).toBe('REQUEST_EXPIRED');
  });
});
