/**
 * Counting attempts before they are evaluated ("count, then check"): each attempt takes a ticket
 * with one atomic `UPDATE … SET failures = failures + 1`; only the first `max` tickets of a window
 * are evaluated, the rest are refused unevaluated. 50 parallel wrong passwords therefore evaluate
 * at most `max` of them and lock the account, on SQLite and MariaDB alike.
 */
import { LockMode, raw, type EntityManager } from '@mikro-orm/core';
import { sqlDialect } from '../persistence/sql-dialect';
import { isUniqueViolation, updateWhere } from '../persistence/concurrency';
import { AttemptCounterSchema } from './attempt-counter.entity';

export interface ThrottleRule {
  /** Attempts evaluated per window; the one that fails at this count locks the key. */
  max: number;
  windowMs: number;
  lockMs: number;
}

export type AttemptTicket = { allowed: true; key: string; count: number } | { allowed: false; key: string; lockedUntil: Date };

const unlocked = (now: Date) => ({ $or: [{ lockedUntil: null }, { lockedUntil: { $lte: now } }] });

async function ensureRow(em: EntityManager, key: string, now: Date) {
  if (await em.count(AttemptCounterSchema, { id: key })) return;
  try {
    await em.insert(AttemptCounterSchema, { id: key, failures: 0, windowStartedAt: now, lockedUntil: null });
  } catch (err) {
    if (!isUniqueViolation(err)) throw err; // a parallel attempt created it first
  }
}

/** Takes a ticket for one attempt: counted now, refused if the key is locked or its window is used up. */
export async function takeAttempt(em: EntityManager, key: string, rule: ThrottleRule, now = new Date()): Promise<AttemptTicket> {
  await ensureRow(em, key, now);
  // A finished lock or an old window starts afresh (the condition makes concurrent resets harmless).
  const windowStart = new Date(now.getTime() - rule.windowMs);
  await updateWhere(em, AttemptCounterSchema, { id: key, $or: [{ lockedUntil: { $lte: now } }, { lockedUntil: null, windowStartedAt: { $lt: windowStart } }] }, { failures: 0, windowStartedAt: now, lockedUntil: null });
  const counted = await updateWhere(em, AttemptCounterSchema, { id: key, ...unlocked(now) }, { failures: raw('failures + 1') });
  // Inside a MariaDB transaction a plain read answers from the transaction's snapshot: a row this one did
  // not update (it was locked meanwhile) would read as it was before — unlocked, with an old count. A
  // locking read sees it as committed (SQLite's write transaction already does).
  const locking = em.isInTransaction() && sqlDialect(em) === 'mysql' ? { lockMode: LockMode.PESSIMISTIC_READ } : {};
  const row = await em.findOneOrFail(AttemptCounterSchema, { id: key }, { refresh: true, ...locking });
  if (!counted && row.lockedUntil && row.lockedUntil > now) return { allowed: false, key, lockedUntil: row.lockedUntil };
  if (row.failures > rule.max) return { allowed: false, key, lockedUntil: (await lock(em, key, rule, now)).lockedUntil };
  return { allowed: true, key, count: row.failures };
}

/**
 * The evaluated attempt failed. If it was the last one the window allows, the key is locked;
 * `newlyLocked` is true for the one request that set the lock (it writes the audit row).
 */
export async function attemptFailed(em: EntityManager, ticket: AttemptTicket & { allowed: true }, rule: ThrottleRule, now = new Date()): Promise<{ lockedUntil: Date; newlyLocked: boolean } | null> {
  if (ticket.count < rule.max) return null;
  return lock(em, ticket.key, rule, now);
}

async function lock(em: EntityManager, key: string, rule: ThrottleRule, now: Date) {
  const until = new Date(now.getTime() + rule.lockMs);
  const newlyLocked = (await updateWhere(em, AttemptCounterSchema, { id: key, ...unlocked(now) }, { lockedUntil: until })) === 1;
  const row = await em.findOneOrFail(AttemptCounterSchema, { id: key }, { refresh: true });
  return { lockedUntil: row.lockedUntil ?? until, newlyLocked };
}

/** Success: the key starts afresh (an account after the right password or an SMS login). */
export async function clearAttempts(em: EntityManager, key: string): Promise<void> {
  await updateWhere(em, AttemptCounterSchema, { id: key }, { failures: 0, lockedUntil: null });
}

/** Success: this attempt does not count against the key (an IP address: only failures add up). */
export async function forgiveAttempt(em: EntityManager, key: string): Promise<void> {
  await updateWhere(em, AttemptCounterSchema, { id: key, failures: { $gt: 0 } }, { failures: raw('failures - 1') });
}

/** Keys among `keys` that are locked now (for operator lists). */
export async function lockedKeys(em: EntityManager, keys: string[], now = new Date()): Promise<Set<string>> {
  if (!keys.length) return new Set();
  const rows = await em.find(AttemptCounterSchema, { id: { $in: keys }, lockedUntil: { $gt: now } });
  return new Set(rows.map((r) => r.id));
}
