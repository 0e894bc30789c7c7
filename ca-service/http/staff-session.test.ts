import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { MikroORM } from '@mikro-orm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCaServiceOrm } from '../persistence/orm';
import { createLoginThrottle } from './staff-session';

let dir: string;
let orm: MikroORM;
const file = () => path.join(dir, 'orders.sqlite');
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ca-svc-throttle-'));
  orm = await openCaServiceOrm(file());
});
afterAll(async () => {
  await orm?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});
/** A throttle over the service's database; each test uses its own networks and its own clock, far from the others'. */
const throttleOf = (db: MikroORM, max: number, windowMs: number, globalMax: number) => createLoginThrottle(() => db.em.fork(), max, windowMs, globalMax);

describe('staff login throttle (counted in the service’s database)', () => {
  it('counts an IPv6 /64 as one client: rotating addresses within it does not reset the count', async () => {
    const throttle = throttleOf(orm, 3, 60_000, 100);
    const now = 1_000_000;
    for (let i = 1; i <= 3; i++) await throttle.failed(`2001:db8:1:2::${i.toString(16)}`, now);
    expect(await throttle.blocked('2001:db8:1:2::ffff', now)).toBe(true);
    expect(await throttle.blocked('2001:db8:1:3::1', now)).toBe(false); // another subscriber
    expect(await throttle.blocked('2001:db8:1:2::1', now + 60_001)).toBe(false); // the window passed
  });

  it('stops every login once all networks together failed `globalMax` times in the window (a distributed guess)', async () => {
    const throttle = throttleOf(orm, 10, 60_000, 20);
    const now = 2_000_000_000;
    for (let i = 0; i < 20; i++) await throttle.failed(`198.51.100.${i}`, now);
    expect(await throttle.blocked('203.0.113.7', now)).toBe(true);
    expect(await throttle.blocked('203.0.113.7', now + 60_001)).toBe(false);
  });

  it('a successful login clears its network', async () => {
    const throttle = throttleOf(orm, 2, 60_000, 100);
    const now = 3_000_000_000;
    await throttle.failed('::ffff:192.0.2.1', now);
    await throttle.failed('192.0.2.1', now); // the IPv4-mapped form is the same client
    expect(await throttle.blocked('192.0.2.1', now)).toBe(true);
    await throttle.succeeded('192.0.2.1');
    expect(await throttle.blocked('192.0.2.1', now)).toBe(false);
  });

  it('parallel failures are each counted, and a restart of the service forgets none of them', async () => {
    const now = 4_000_000_000;
    const before = throttleOf(orm, 5, 60_000, 1000);
    await Promise.all(Array.from({ length: 5 }, () => before.failed('192.0.2.77', now)));
    expect(await before.blocked('192.0.2.77', now)).toBe(true);
    await orm.close();
    orm = await openCaServiceOrm(file()); // the service started again
    expect(await throttleOf(orm, 5, 60_000, 1000).blocked('192.0.2.77', now + 1)).toBe(true);
  });
});
