import { describe, expect, it } from 'vitest';
import { DEFAULT_SIGNING_TIMING, localSignatureTimeouts } from './signing-timing';

describe('localSignatureTimeouts', () => {
  const timing = { ...DEFAULT_SIGNING_TIMING, signAttemptTimeoutMs: 60_000 };

  it('far from expiry: each attempt bounded by signAttemptTimeoutMs, the series by expiry + grace', () => {
    expect(localSignatureTimeouts(timing, 3_600_000)).toEqual({ startToCloseTimeout: 60_000, scheduleToCloseTimeout: 3_600_000 });
    expect(localSignatureTimeouts(timing, 60_001)).toEqual({ startToCloseTimeout: 60_000, scheduleToCloseTimeout: 60_001 });
  });

  it('near expiry: the series bound alone, never a start-to-close the worker would clamp onto it (the two timers race)', () => {
    expect(localSignatureTimeouts(timing, 60_000)).toEqual({ scheduleToCloseTimeout: 60_000 });
    expect(localSignatureTimeouts(timing, 1_778)).toEqual({ scheduleToCloseTimeout: 1_778 });
    expect(localSignatureTimeouts(timing, 0.4)).toEqual({ scheduleToCloseTimeout: 1 });
  });

  it('past expiry + grace: 1 ms (the attempt times out at once; Temporal refuses a zero timeout)', () => {
    expect(localSignatureTimeouts(timing, -5_000)).toEqual({ scheduleToCloseTimeout: 1 });
  });
});
