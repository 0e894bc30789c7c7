// @sqlite-too: an atomic counter (conditional update) under parallel attempts.
/**
 * The attempt counter (domain/identity/attempt-throttle.ts) on the run's database (SQLite or
 * MariaDB): counting, the lock at the window's maximum, a running lock refusing without counting, a
 * finished lock and an old window starting afresh, forgiving and clearing, a fresh key raced by
 * parallel attempts (its row created once, counted until the lock), with and without a caller's
 * transaction, and attempts that use more than 1 (a quota).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attemptFailed, clearAttempts, forgiveAttempt, takeAttempt, type ThrottleRule } from '../../domain/identity/attempt-throttle';
import { AttemptCounterSchema } from '../../domain/identity/attempt-counter.entity';
import { startTestPlatform, type TestPlatform } from '../harness/platform';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform();
});
afterAll(async () => platform?.stop());

const em = () => platform.services.orm.em.fork();
const RULE: ThrottleRule = { max: 3, windowMs: 60_000, lockMs: 300_000 };
const T0 = new Date('2026-12-04T08:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const key = () => `throttle-test:${randomUUID()}`;
const take = (k: string, now: Date, rule = RULE) => em().transactional((tx) => takeAttempt(tx, k, rule, now));
const row = (k: string) => em().findOneOrFail(AttemptCounterSchema, { id: k });

describe('attempt throttle', () => {
  it('counts up to the maximum, locks on the next attempt, refuses without counting while locked, and starts afresh after the lock', async () => {
    const k = key();
    expect(await take(k, at(0))).toEqual({ allowed: true, key: k, count: 1 });
    expect(await take(k, at(1))).toEqual({ allowed: true, key: k, count: 2 });
    expect(await take(k, at(2))).toEqual({ allowed: true, key: k, count: 3 });
    const locked = await take(k, at(3));
    expect(locked).toEqual({ allowed: false, key: k, lockedUntil: at(3 + RULE.lockMs), newlyLocked: true }); // this attempt set the lock
    expect(await take(k, at(10_000))).toEqual({ allowed: false, key: k, lockedUntil: at(3 + RULE.lockMs) });
    expect((await row(k)).failures).toBe(4);
    // The lock has run out: a new window, counted from 1.
    expect(await take(k, at(3 + RULE.lockMs))).toEqual({ allowed: true, key: k, count: 1 });
    expect(await row(k)).toMatchObject({ failures: 1, lockedUntil: null, windowStartedAt: at(3 + RULE.lockMs) });
  });

  it('an old window starts afresh; a window still open keeps counting', async () => {
    const k = key();
    await take(k, at(0));
    expect(await take(k, at(RULE.windowMs - 1))).toMatchObject({ allowed: true, count: 2 });
    expect(await take(k, at(RULE.windowMs + 1))).toMatchObject({ allowed: true, count: 1 });
    expect((await row(k)).windowStartedAt).toEqual(at(RULE.windowMs + 1));
  });

  it('a failed evaluated attempt at the maximum locks the key once; forgiving and clearing lower the count', async () => {
    const k = key();
    await take(k, at(0));
    expect(await em().transactional((tx) => forgiveAttempt(tx, k))).toBeUndefined();
    expect((await row(k)).failures).toBe(0);
    await em().transactional((tx) => forgiveAttempt(tx, k));
    expect((await row(k)).failures).toBe(0);
    const tickets = [await take(k, at(1)), await take(k, at(2)), await take(k, at(3))];
    expect(tickets.map((t) => t.allowed && t.count)).toEqual([1, 2, 3]);
    const last = tickets[2] as Extract<typeof tickets[number], { allowed: true }>;
    expect(await em().transactional((tx) => attemptFailed(tx, last, RULE, at(4)))).toEqual({ lockedUntil: at(4 + RULE.lockMs), newlyLocked: true });
    expect(await em().transactional((tx) => attemptFailed(tx, last, RULE, at(5)))).toEqual({ lockedUntil: at(4 + RULE.lockMs), newlyLocked: false });
    await em().transactional((tx) => clearAttempts(tx, k));
    expect(await row(k)).toMatchObject({ failures: 0, lockedUntil: null });
    expect(await take(k, at(6))).toMatchObject({ allowed: true, count: 1 });
  });

  it('a fresh key raced by 24 parallel attempts: one row, counted until the lock, exactly the maximum allowed', async () => {
    const k = key();
    const rule = { ...RULE, max: 5 };
    const tickets = await Promise.all(Array.from({ length: 24 }, () => take(k, at(0), rule)));
    const allowed = tickets.filter((t) => t.allowed).map((t) => (t as { count: number }).count);
    expect(allowed.sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5]);
    expect(tickets.filter((t) => !t.allowed)).toHaveLength(19);
    // The attempt after the maximum counted and locked the key; later ones were refused uncounted.
    expect(await row(k)).toMatchObject({ failures: rule.max + 1, lockedUntil: at(rule.lockMs) });
  });

  it('without a caller transaction (autocommit) parallel attempts still each read their own count: exactly the maximum allowed', async () => {
    const k = key();
    const rule = { ...RULE, max: 5 };
    const tickets = await Promise.all(Array.from({ length: 12 }, () => takeAttempt(em(), k, rule, at(0))));
    expect(tickets.filter((t) => t.allowed).map((t) => (t as { count: number }).count).sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5]);
  });

  it('an attempt may use more than 1 of the window (a quota of kibibytes): refused once the sum passes the maximum', async () => {
    const k = key();
    const rule = { ...RULE, max: 1000 };
    expect(await takeAttempt(em(), k, rule, at(0), 600)).toMatchObject({ allowed: true, count: 600 });
    expect(await takeAttempt(em(), k, rule, at(1), 400)).toMatchObject({ allowed: true, count: 1000 });
    expect(await takeAttempt(em(), k, rule, at(2), 1)).toMatchObject({ allowed: false, lockedUntil: at(2 + rule.lockMs) });
    // After the lock a new window starts at the attempt's own amount.
    expect(await takeAttempt(em(), k, rule, at(2 + rule.lockMs), 250)).toMatchObject({ allowed: true, count: 250 });
  });
});
