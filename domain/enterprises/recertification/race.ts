import type { EntityManager } from '@mikro-orm/core';
import { AppError } from '../../errors';
import { findOpenChange, recertificationOpen } from './change-rules';

/** How long the loser of a race waits for the winner's commit to become visible (MariaDB: the deadlock victim is told first). */
const WINNER_WAIT = { attempts: 20, delayMs: 25 } as const;

/**
 * Two requests opening a change at once: the loser's flush fails on the live key, the change
 * number, the enterprise's version or as a deadlock victim (MariaDB: both hold a shared lock on the
 * enterprise row through the foreign key, then both update it) — whichever the database reports.
 * When the winner's open change shows up, the loser's answer is RECERTIFICATION_OPEN.
 */
export async function raceLostAsOpen<T>(em: EntityManager, enterpriseId: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (!(err instanceof AppError && err.code === 'CONCURRENT_CHANGE')) throw err;
    for (let i = 0; i < WINNER_WAIT.attempts; i++) {
      if (await findOpenChange(em.fork(), enterpriseId)) throw recertificationOpen();
      await new Promise((resolve) => setTimeout(resolve, WINNER_WAIT.delayMs));
    }
    throw err;
  }
}
