/** Forcing an interleaving of two changes deterministically, for tests of what a change holds at its write. */
import type { EntityManager } from '@mikro-orm/core';
import { AppError } from '../../domain/errors';
import type { User } from '../../domain/identity/user.entity';

/**
 * A fork of `base` for the change under test that runs `racing` once, to completion, just before
 * it opens its first transaction: after the change has read what it reads, before it writes. The
 * racing change commits in that gap, as a request that finished in between would have. Only this
 * fork (and forks of it) sees the hook: it has its own event manager.
 */
export function forkRacedBeforeWrite(base: EntityManager, racing: () => Promise<unknown>): EntityManager {
  const em = base.fork({ cloneEventManager: true });
  let ran = false;
  em.getEventManager().registerSubscriber({
    async beforeTransactionStart() {
      if (ran) return;
      ran = true;
      await racing();
    },
  });
  return em;
}

/** How a change ended, as race tests compare it: 'ok', '<kind> <code>' for an AppError, else 'ERROR <message>'. */
export const outcomeOf = (p: Promise<unknown>): Promise<string> => p.then(() => 'ok', (err: unknown) => (err instanceof AppError ? `${err.kind} ${err.code}` : `ERROR ${String(err)}`));

/** The audit actor of a change made by `u` (no address). */
export const actorOf = (u: Pick<User, 'id' | 'name'>) => ({ id: u.id, name: u.name, ip: null });
