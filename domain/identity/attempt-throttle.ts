/**
 * Counting attempts before they are evaluated ("count, then check"): each attempt takes a ticket
 * with one atomic upsert (`failures = failures + 1`; the first creates the row); only the first `max`
 * tickets of a window are evaluated, the rest are refused unevaluated. 50 parallel wrong passwords therefore evaluate
 * at most `max` of them and lock the account, on SQLite and MariaDB alike.
 */
import type { EntityManager } from '@mikro-orm/core';
import { dbDate, fromDbDate, lockingRead, sqlDialect } from '../persistence/sql-dialect';
import { retryOnDeadlock } from '../persistence/concurrency';
import { allSql, runSql } from '../persistence/plain-sql';
import { AppError } from '../errors';
import { AttemptCounterSchema } from './attempt-counter.entity';

export interface ThrottleRule {
  /** Attempts evaluated per window; the one that fails at this count locks the key. */
  max: number;
  windowMs: number;
  lockMs: number;
}

/** Whole seconds until `until` (at least 1): a Retry-After. */
export const secondsUntil = (until: Date, now: Date) => Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));

/** `newlyLocked` (refused): this attempt, counted past the window's `max`, set the lock (its caller audits it, in the same transaction). */
export type AttemptTicket = { allowed: true; key: string; count: number } | { allowed: false; key: string; lockedUntil: Date; newlyLocked?: boolean };

/** Not locked at `now` (a lock that has run out counts as none). */
const UNLOCKED = '(locked_until is null or locked_until <= ?)';

/**
 * Counts one attempt in ONE statement, creating the key's row if it has none, and answers the new
 * count, or the key's lock (then nothing was counted). A finished lock or an old window starts
 * afresh at 1. An upsert rather than an update then an insert: on MariaDB an update that finds no row takes a
 * gap lock, and two parallel first attempts then deadlock on their inserts. The CASEs read the row as
 * it was: SQLite evaluates every SET expression on the old row; MySQL/MariaDB left to right, so
 * `locked_until` is set last. MariaDB has no RETURNING here: the row, which this transaction now
 * holds, is read back (in a transaction of its own when the caller has none: with autocommit, parallel
 * attempts' increments landed between the upsert and the read, and all of them read the total).
 */
async function countAttempt(em: EntityManager, key: string, now: Date, windowStart: Date, amount: number): Promise<{ count: number } | { lockedUntil: Date }> {
  const dialect = sqlDialect(em);
  const [at, since] = [dbDate(dialect, now), dbDate(dialect, windowStart)];
  const afresh = '(locked_until is not null or window_started_at < ?)';
  const insert = 'insert into attempt_counters (id, failures, window_started_at, locked_until) values (?, ?, ?, null)';
  if (dialect === 'sqlite') {
    const rows = await allSql(
      em,
      `${insert} on conflict (id) do update set failures = case when ${afresh} then ? else failures + ? end, ` +
        `window_started_at = case when ${afresh} then ? else window_started_at end, locked_until = null where ${UNLOCKED} returning failures`,
      [key, amount, at, since, amount, amount, since, at, at],
    );
    return rows.length ? { count: Number(rows[0]!.failures) } : { lockedUntil: (await readLock(em, key)) ?? now };
  }
  // The read-back must see this statement's count, not parallel ones: upsert and read in one transaction (the row's lock is held to its end).
  if (!em.isInTransaction()) return retryOnDeadlock(() => em.fork().transactional((tx) => countAttempt(tx, key, now, windowStart, amount)));
  const locked = 'locked_until > ?';
  await runSql(
    em,
    `${insert} on duplicate key update failures = case when ${locked} then failures when ${afresh} then ? else failures + ? end, ` +
      `window_started_at = case when ${locked} then window_started_at when ${afresh} then ? else window_started_at end, ` +
      `locked_until = case when ${locked} then locked_until else null end`,
    [key, amount, at, at, since, amount, amount, at, since, at, at],
  );
  const row = (await readCounter(em, key))!;
  return row.lockedUntil && row.lockedUntil > now ? { lockedUntil: row.lockedUntil } : { count: row.failures };
}

/** The key's row read as committed (a locking read inside a MariaDB transaction), or null. */
async function readCounter(em: EntityManager, key: string): Promise<{ failures: number; lockedUntil: Date | null } | null> {
  const [row] = await allSql(em, `select failures, locked_until from attempt_counters where id = ?${lockingRead(em, 'share')}`, [key]);
  if (!row) return null;
  return { failures: Number(row.failures), lockedUntil: row.locked_until === null || row.locked_until === undefined ? null : fromDbDate(row.locked_until) };
}

/** The key's lock, if any. */
const readLock = async (em: EntityManager, key: string) => (await readCounter(em, key))?.lockedUntil ?? null;

/**
 * Takes a ticket for one attempt: counted now, refused if the key is locked or its window is used up.
 * `amount` (a whole number, default 1) is what this attempt uses of the window's `max` (a quota of
 * kibibytes counts an upload's size).
 */
export async function takeAttempt(em: EntityManager, key: string, rule: ThrottleRule, now = new Date(), amount = 1): Promise<AttemptTicket> {
  const counted = await countAttempt(em, key, now, new Date(now.getTime() - rule.windowMs), amount);
  if ('lockedUntil' in counted) return { allowed: false, key, lockedUntil: counted.lockedUntil };
  const { count } = counted;
  if (count > rule.max) return { allowed: false, key, ...(await lock(em, key, rule, now)) };
  return { allowed: true, key, count };
}

/**
 * The evaluated attempt failed. If it was the last one the window allows, the key is locked;
 * `newlyLocked` is true for the one request that set the lock (it writes the audit row, in the
 * transaction `em` runs: the lock and its row commit together or not at all).
 */
export async function attemptFailed(em: EntityManager, ticket: AttemptTicket & { allowed: true }, rule: ThrottleRule, now = new Date()): Promise<{ lockedUntil: Date; newlyLocked: boolean } | null> {
  if (ticket.count < rule.max) return null;
  return lock(em, ticket.key, rule, now);
}

async function lock(em: EntityManager, key: string, rule: ThrottleRule, now: Date) {
  const dialect = sqlDialect(em);
  const until = new Date(now.getTime() + rule.lockMs);
  const newlyLocked = (await runSql(em, `update attempt_counters set locked_until = ? where id = ? and ${UNLOCKED}`, [dbDate(dialect, until), key, dbDate(dialect, now)])) === 1;
  return { lockedUntil: (await readLock(em, key)) ?? until, newlyLocked };
}

/**
 * Success: the key starts afresh (an account after the right password or an SMS login). Answers whether
 * this lifted a lock still active at `now` (a conditional UPDATE whose affected rows say so: the caller
 * audits it, in the transaction `em` runs); a lock set after that statement stays.
 */
export async function clearAttempts(em: EntityManager, key: string, now = new Date()): Promise<boolean> {
  const at = dbDate(sqlDialect(em), now);
  const lifted = (await runSql(em, 'update attempt_counters set failures = 0, locked_until = null where id = ? and locked_until > ?', [key, at])) === 1;
  if (!lifted) await runSql(em, `update attempt_counters set failures = 0, locked_until = null where id = ? and ${UNLOCKED}`, [key, at]);
  return lifted;
}

/** Success: this attempt does not count against the key (an IP address: only failures add up). */
export async function forgiveAttempt(em: EntityManager, key: string): Promise<void> {
  await runSql(em, 'update attempt_counters set failures = failures - 1 where id = ? and failures > 0', [key]);
}

/** Why a throttled request is refused: its code and message (zh-CN, English). */
export interface ThrottleRefusal {
  code: string;
  message: string;
  messageEn: string;
}

/** Takes a ticket (see takeAttempt) or refuses the request: 429 `refusal` with Retry-After until the key's lock ends. */
export async function takeAttemptOrRefuse(em: EntityManager, key: string, rule: ThrottleRule, refusal: ThrottleRefusal, now = new Date(), amount = 1): Promise<void> {
  const ticket = await takeAttempt(em, key, rule, now, amount);
  if (!ticket.allowed) throw new AppError('rate_limited', refusal.code, refusal.message, refusal.messageEn, { retryAfterSeconds: secondsUntil(ticket.lockedUntil, now) });
}

/** Keys among `keys` that are locked now (for operator lists). */
export async function lockedKeys(em: EntityManager, keys: string[], now = new Date()): Promise<Set<string>> {
  if (!keys.length) return new Set();
  const rows = await em.find(AttemptCounterSchema, { id: { $in: keys }, lockedUntil: { $gt: now } });
  return new Set(rows.map((r) => r.id));
}
