/**
 * Housekeeping for identity tables that only grow otherwise: expired sessions (ignored at lookup,
 * but kept forever) and attempt counters whose window and lock are long over (removing one is
 * the same as the reset `takeAttempt` would do). Run by the reconcile Schedule.
 */
import type { EntityManager } from '@mikro-orm/core';
import { AttemptCounterSchema } from './attempt-counter.entity';
import { SessionSchema } from './session.entity';

/** Counters untouched for this long are stale (longer than any throttle window or lock). */
export const STALE_ATTEMPT_COUNTER_MS = 24 * 3600_000;

export interface PruneReport {
  sessions: number;
  attemptCounters: number;
}

export async function pruneExpiredIdentityRecords(em: EntityManager, now = new Date()): Promise<PruneReport> {
  const sessions = await em.nativeDelete(SessionSchema, { expiresAt: { $lt: now } });
  const attemptCounters = await em.nativeDelete(AttemptCounterSchema, {
    windowStartedAt: { $lt: new Date(now.getTime() - STALE_ATTEMPT_COUNTER_MS) },
    $or: [{ lockedUntil: null }, { lockedUntil: { $lt: now } }],
  });
  return { sessions, attemptCounters };
}
