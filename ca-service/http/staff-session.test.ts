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

describe('staff sessions', () => {
  it('a changed staff password ends every session opened under the old one; the stored key is not the token', async () => {
    const fs = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const { openCaServiceOrm } = await import('../persistence/orm');
    const { CaStaffSessionSchema } = await import('../persistence/entities');
    const { closeStaffSession, openStaffSession, staffSession } = await import('./staff-session');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ca-staff-session-'));
    const orm = await openCaServiceOrm(path.join(dir, 'orders.sqlite'));
    try {
      const { token } = await openStaffSession(orm.em, 'old-staff-password');
      expect(await staffSession(orm.em, token, 'old-staff-password')).not.toBeNull();
      expect(await staffSession(orm.em, token, 'new-staff-password')).toBeNull();
      expect(await staffSession(orm.em, token, null)).toBeNull();
      const [row] = await orm.em.fork().find(CaStaffSessionSchema, {});
      expect(row!.tokenHash).not.toContain(token);
      await closeStaffSession(orm.em, token, 'old-staff-password');
      expect(await staffSession(orm.em, token, 'old-staff-password')).toBeNull();
    } finally {
      await orm.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
