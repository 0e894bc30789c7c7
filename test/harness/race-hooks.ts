/** Forcing an interleaving of two changes deterministically, for tests of what a change holds at its write. */
import type { EntityManager, EntitySchema } from '@mikro-orm/core';
import { AppError } from '../../domain/errors';
import type { User } from '../../domain/identity/user.entity';

/**
 * A fork of `base` for the change under test that runs `racing` once, to completion, at the first `hook` event of
 * the fork (for `onLoad`, of an entity of `entities`): the racing change commits in that gap, as a request that
 * finished in between would have. Only this fork (and forks of it) sees the hook: it has its own event manager.
 */
export function forkRacedAt(
  base: EntityManager,
  hook: 'beforeTransactionStart' | 'afterTransactionCommit' | 'onLoad',
  racing: () => Promise<unknown>,
  entities?: EntitySchema<any>[],
): EntityManager {
  const em = base.fork({ cloneEventManager: true });
  let ran = false;
  em.getEventManager().registerSubscriber({
    ...(entities ? { getSubscribedEntities: () => entities } : {}),
    async [hook]() {
      if (ran) return;
      ran = true;
      await racing();
    },
  });
  return em;
}

/** `forkRacedAt` just before the change opens its first transaction: after it has read what it reads, before it writes. */
export const forkRacedBeforeWrite = (base: EntityManager, racing: () => Promise<unknown>) => forkRacedAt(base, 'beforeTransactionStart', racing);

/** How a change ended, as race tests compare it: 'ok', '<kind> <code>' for an AppError, else 'ERROR <message>'. */
export const outcomeOf = (p: Promise<unknown>): Promise<string> => p.then(() => 'ok', (err: unknown) => (err instanceof AppError ? `${err.kind} ${err.code}` : `ERROR ${String(err)}`));

/** The audit actor of a change made by `u` (no address). */
export const actorOf = (u: Pick<User, 'id' | 'name'>) => ({ id: u.id, name: u.name, ip: null });
