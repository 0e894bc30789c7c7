import { describe, expect, it } from 'vitest';
import { createLoginThrottle } from './staff-session';

describe('staff login throttle', () => {
  it('counts an IPv6 /64 as one client: rotating addresses within it does not reset the count', () => {
    const throttle = createLoginThrottle(3, 60_000, 100);
    const now = 1_000_000;
    for (let i = 1; i <= 3; i++) throttle.failed(`2001:db8:1:2::${i.toString(16)}`, now);
    expect(throttle.blocked('2001:db8:1:2::ffff', now)).toBe(true);
    expect(throttle.blocked('2001:db8:1:3::1', now)).toBe(false); // another subscriber
    expect(throttle.blocked('2001:db8:1:2::1', now + 60_001)).toBe(false); // the window passed
  });

  it('stops every login once all networks together failed `globalMax` times in the window (a distributed guess)', () => {
    const throttle = createLoginThrottle(10, 60_000, 20);
    const now = 2_000_000;
    for (let i = 0; i < 20; i++) throttle.failed(`198.51.100.${i}`, now);
    expect(throttle.blocked('203.0.113.7', now)).toBe(true);
    expect(throttle.blocked('203.0.113.7', now + 60_001)).toBe(false);
  });

  it('a successful login clears its network', () => {
    const throttle = createLoginThrottle(2, 60_000, 100);
    throttle.failed('::ffff:192.0.2.1', 0);
    throttle.failed('192.0.2.1', 0); // the IPv4-mapped form is the same client
    expect(throttle.blocked('192.0.2.1', 0)).toBe(true);
    throttle.succeeded('192.0.2.1');
    expect(throttle.blocked('192.0.2.1', 0)).toBe(false);
  });
});
