/**
 * Tools for rules that must hold when requests run at the same time (on SQLite and MariaDB):
 * - `updateWhere`: a conditional UPDATE whose affected-row count says whether this request won
 *   (`UPDATE … SET n = n + 1 WHERE id = ? AND n < max`, `… SET used_at = ? WHERE used_at IS NULL`);
 * - `retryOnDeadlock`: re-runs a short, retry-safe unit of work when the database chose it as a
 *   deadlock victim (MariaDB 1213) or its lock wait timed out (1205, SQLite busy);
 * - `flushOrConflict` / `conflictOnDuplicate` / `changeAtomically`: a unique-constraint violation,
 *   a lost optimistic lock (`version`) or a deadlock between two writers of the same rows becomes a
 *   clear 409 AppError instead of a 500.
 */
import {
  DeadlockException,
  type EventSubscriber,
  type FlushEventArgs,
  FlushMode,
  LockWaitTimeoutException,
  OptimisticLockError,
  UniqueConstraintViolationException,
  type EntityManager,
  type EntityName,
  type FilterQuery,
} from '@mikro-orm/core';
import { AppError } from '../errors';

type UpdateData<T> = Parameters<EntityManager['nativeUpdate']>[2] & Partial<Record<keyof T, unknown>>;

/** Runs `UPDATE … SET data WHERE where` now (outside the unit of work) and returns the number of rows it changed. */
export async function updateWhere<T extends object>(em: EntityManager, entity: EntityName<T>, where: FilterQuery<T>, data: UpdateData<T>): Promise<number> {
  return em.nativeUpdate(entity, where, data as never);
}

const DEADLOCK_CODES = new Set(['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT', 'SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT']);
const DEADLOCK_ERRNOS = new Set([1213, 1205]);

/** True for errors after which running the same work again may succeed (deadlock victim, lock wait timeout, busy). */
export function isTransientLockError(err: unknown): boolean {
  if (err instanceof DeadlockException || err instanceof LockWaitTimeoutException) return true;
  const e = err as { code?: unknown; errno?: unknown; cause?: unknown } | null;
  if (!e || typeof e !== 'object') return false;
  if (typeof e.code === 'string' && DEADLOCK_CODES.has(e.code)) return true;
  if (typeof e.errno === 'number' && DEADLOCK_ERRNOS.has(e.errno)) return true;
  return e.cause !== undefined && e.cause !== err && isTransientLockError(e.cause);
}

/**
 * Runs `work` and runs it again (at most `attempts` times in all, with a short random back-off)
 * when the database reports a deadlock or lock timeout (or, with `retryable`, another error that a fresh
 * attempt may not meet). `work` must be safe to repeat: a single statement, or a transaction that starts
 * afresh each time.
 */
export async function retryOnDeadlock<T>(work: () => Promise<T>, attempts = 4, retryable: (err: unknown) => boolean = isTransientLockError): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      if (attempt >= attempts || !retryable(err)) throw err;
      await new Promise((r) => setTimeout(r, 10 * attempt + Math.floor(Math.random() * 40)));
    }
  }
}

export function isUniqueViolation(err: unknown): boolean {
  return err instanceof UniqueConstraintViolationException;
}

/** Another request changed the same row first (optimistic lock on `version`). */
/** The 409 of a lost race (`concurrentChange`): read again, a fresh attempt may win. */
export const isConcurrentChange = (err: unknown) => err instanceof AppError && err.code === 'CONCURRENT_CHANGE';

export const concurrentChange = () => new AppError('conflict', 'CONCURRENT_CHANGE', '数据已被他人修改，请刷新后重试', 'Someone else changed this at the same time; reload and retry');

/**
 * Flushes the unit of work. A unique-constraint violation becomes `onDuplicate()` (a 409 that
 * names the rule) and a lost optimistic lock becomes CONCURRENT_CHANGE; nothing of the flush is
 * written in either case (one transaction).
 */
export async function flushOrConflict(em: EntityManager, onDuplicate: () => AppError = concurrentChange): Promise<void> {
  // Statements registered with `writeNativelyAtFlush` run in the flush's transaction: a hold-less flushHoldingVersions.
  if (nativeWritesAtFlush.has(em)) return flushHoldingVersions(em, [], onDuplicate);
  try {
    await em.flush();
  } catch (err) {
    throw asConflict(err, onDuplicate);
  }
}

const nativeWritesAtFlush = new WeakMap<EntityManager, (() => Promise<void>)[]>();

/**
 * Registers a statement the unit of work cannot express with an answer it cannot give (a DELETE whose count says
 * whether this change removed the row, and audits only then) to run in the transaction of `em`'s next
 * `flushOrConflict` or `flushHoldingVersions`, before the unit of work is written; an error it throws rolls the
 * whole change back, and a flush that fails drops it. Only for changes flushed by those two: any other flush of `em`
 * while a write is registered (a plain `em.flush()`, an auto-flush before a query) is refused by
 * `NativeWritesFlushGuard` instead of writing the change without its statements.
 */
export function writeNativelyAtFlush(em: EntityManager, write: () => Promise<void>): void {
  const writes = nativeWritesAtFlush.get(em) ?? [];
  writes.push(write);
  nativeWritesAtFlush.set(em, writes);
}

/**
 * Registered with the ORM (orm.ts): refuses a flush of an EntityManager that still has statements registered by
 * `writeNativelyAtFlush` (they run only inside `flushOrConflict` / `flushHoldingVersions`, which take them first).
 * Without it, such a flush would commit the change (its audit rows included) and silently leave its deletes undone.
 */
export class NativeWritesFlushGuard implements EventSubscriber {
  beforeFlush(args: FlushEventArgs): void {
    if (nativeWritesAtFlush.has(args.em)) {
      throw new Error('This change registered statements with writeNativelyAtFlush; flush it with flushOrConflict or flushHoldingVersions');
    }
  }
}

async function runNativeWritesAtFlush(em: EntityManager): Promise<void> {
  const writes = nativeWritesAtFlush.get(em) ?? [];
  nativeWritesAtFlush.delete(em);
  for (const write of writes) await write();
}

/** Runs `work`, translating a unique violation or a lost optimistic lock like `flushOrConflict`. */
export async function conflictOnDuplicate<T>(work: () => Promise<T>, onDuplicate: () => AppError = concurrentChange): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw asConflict(err, onDuplicate);
  }
}

/** A row a change depends on without writing it, as the change read it (and, with `still`, only while those columns hold). */
export interface VersionHold<T extends { id: string; version: number } = { id: string; version: number }> {
  entity: EntityName<T>;
  row: T;
  still?: FilterQuery<T>;
}

export const hold = <T extends { id: string; version: number }>(entity: EntityName<T>, row: Pick<T, 'id' | 'version'>, still?: FilterQuery<T>): VersionHold => ({ entity, row, still }) as unknown as VersionHold;

/**
 * Flushes the unit of work in one transaction that first bumps the version of each held row as it
 * was read: a change that depends on rows without writing them — a grant on a membership and a
 * seal, a seal drawn from the enterprise's name, a certificate stored for a seal — then conflicts
 * with a writer of those rows that read them before: whichever commits second fails on the version
 * (409), and nothing of the flush is written. Only for rows the unit of work does not write itself
 * (their own versioned update would then conflict with the bump). `writeNatively` runs statements
 * the unit of work cannot express (an upsert) in the same transaction, after the holds; so do the ones registered
 * with `writeNativelyAtFlush`.
 */
export async function flushHoldingVersions(
  em: EntityManager,
  holds: readonly VersionHold[],
  onDuplicate: () => AppError = concurrentChange,
  writeNatively?: () => Promise<void>,
): Promise<void> {
  await conflictOnDuplicate(async () => {
    await em.begin();
    try {
      for (const { entity, row, still } of holds) {
        const where = { ...(still as object), id: row.id, version: row.version };
        if ((await em.nativeUpdate(entity, where, { version: row.version + 1 })) !== 1) throw concurrentChange();
      }
      await writeNatively?.();
      await runNativeWritesAtFlush(em);
      await em.commit(); // flushes the unit of work inside the transaction
    } catch (err) {
      nativeWritesAtFlush.delete(em); // abandoned with the change's transaction
      await em.rollback();
      throw err;
    }
  }, onDuplicate);
}

/**
 * Runs a use case whose changes must be written together: no auto-flush midway (a query before
 * the final flush would otherwise write part of the change in its own transaction), so the final
 * `flush` is one transaction; a unique violation or a lost optimistic lock becomes a 409 as in
 * `flushOrConflict`.
 */
export async function changeAtomically<T>(em: EntityManager, work: () => Promise<T>, onDuplicate: () => AppError = concurrentChange): Promise<T> {
  const previous = (em.getContext(false) as unknown as { flushMode?: FlushMode }).flushMode;
  em.setFlushMode(FlushMode.COMMIT);
  try {
    return await work();
  } catch (err) {
    throw asConflict(err, onDuplicate);
  } finally {
    em.setFlushMode(previous);
  }
}

function asConflict(err: unknown, onDuplicate: () => AppError): unknown {
  if (isUniqueViolation(err)) return onDuplicate();
  // A lost optimistic lock, or the deadlock victim of two writers of the same rows (MariaDB's
  // foreign-key checks take shared locks on parent rows): the other request won, nothing was written.
  if (err instanceof OptimisticLockError || isTransientLockError(err)) return concurrentChange();
  return err;
}
