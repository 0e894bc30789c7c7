import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { assertRequestFresh, REQUEST_VALID_MS } from './request-freshness';

const codeOf = (f: () => void) => {
  try {
    f();
    return 'ok';
  } catch (err) {
    return err instanceof AppError ? err.code : String(err);
  }
};

describe('assertRequestFresh', () => {
  const now = new Date('2026-12-06T09:00:00Z');
  const ago = (ms: number) => new Date(now.getTime() - ms).toISOString();

  it('carries out a request within its window, and one sent before requests carried a time', () => {
    expect(codeOf(() => assertRequestFresh(ago(0), now))).toBe('ok');
    expect(codeOf(() => assertRequestFresh(ago(REQUEST_VALID_MS - 1000), now))).toBe('ok');
    expect(codeOf(() => assertRequestFresh(ago(-30_000), now))).toBe('ok'); // the API's clock a little ahead
    expect(codeOf(() => assertRequestFresh(undefined, now))).toBe('ok');
  });

  it('refuses one replayed past its window, dated in the future, or with no valid time (REQUEST_EXPIRED)', () => {
    expect(codeOf(() => assertRequestFresh(ago(REQUEST_VALID_MS + 1000), now))).toBe('REQUEST_EXPIRED');
    expect(codeOf(() => assertRequestFresh(ago(3 * 86_400_000), now))).toBe('REQUEST_EXPIRED');
    expect(codeOf(() => assertRequestFresh(ago(-3_600_000), now))).toBe('REQUEST_EXPIRED');
    expect(codeOf(() => assertRequestFresh('not a date', now))).toBe('REQUEST_EXPIRED');
  });
});
