import type { EntityManager } from '@mikro-orm/core';
import { AppError } from '../../errors';
import { findOpenChange, recertificationOpen } from './change-rules';

/**
 * Two requests opening a change at once: the loser's flush fails on the live key, the change
 * number or the enterprise's version (whichever the database checks first). When an open change
 * exists afterwards, the loser's answer is RECERTIFICATION_OPEN, whatever constraint it hit.
 */
export async function raceLostAsOpen<T>(em: EntityManager, enterpriseId: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof AppError && err.code === 'CONCURRENT_CHANGE' && (await findOpenChange(em.fork(), enterpriseId))) throw recertificationOpen();
    throw err;
  }
}
