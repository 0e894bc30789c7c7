/**
 * Plain SQL on an EntityManager's connection (inside its transaction, if any), for the statements
 * every contract runs many times (the signature's commit, the trail, plain-rows.ts): MikroORM's query
 * builder and change tracking cost several times the statement itself on this path (issue 12). Only
 * simple statements with bound parameters; dates are bound as the dialect stores them.
 *
 * The parameters are bound by the driver, not written into the text by MikroORM's `execute` (which
 * escapes every value in JS and logs the formatted text). Errors are converted like the ORM's own
 * (UniqueConstraintViolationException, …). Prepared statements are not kept between calls: libsql
 * has no reset, and a kept statement that SQLite does not consider finished would hold its read
 * snapshot (see sqlite-connection.ts) — a stale read, then SQLITE_BUSY_SNAPSHOT on the next write.
 */
import type { EntityManager } from '@mikro-orm/core';
import { dbDate, sqlDialect } from './sql-dialect';

interface KnexRaw extends PromiseLike<unknown> {
  transacting(trx: unknown): KnexRaw;
}
interface SqlConnection {
  getKnex(): { raw(sql: string, bindings: readonly unknown[]): KnexRaw };
  transformRawResult<T>(res: unknown, method: 'all' | 'run'): T;
}

async function execute<T>(em: EntityManager, sql: string, params: readonly unknown[], method: 'all' | 'run'): Promise<T> {
  const connection = em.getConnection() as unknown as SqlConnection;
  const query = connection.getKnex().raw(sql, params);
  const trx = em.getTransactionContext();
  if (trx) query.transacting(trx);
  try {
    return connection.transformRawResult<T>(await query, method);
  } catch (err) {
    throw em.getDriver().convertException(err as Error);
  }
}

/** A write; answers the affected rows. */
export async function runSql(em: EntityManager, sql: string, params: readonly unknown[]): Promise<number> {
  return (await execute<{ affectedRows: number }>(em, sql, params, 'run')).affectedRows;
}

/** A read (or an `UPDATE … RETURNING` on SQLite); answers the rows as the driver gives them. */
export async function allSql(em: EntityManager, sql: string, params: readonly unknown[]): Promise<Record<string, unknown>[]> {
  return execute<Record<string, unknown>[]>(em, sql, params, 'all');
}

/** A Date bound as the EntityManager's dialect stores DATETIME columns. */
export const sqlDate = (em: EntityManager, d: Date) => dbDate(sqlDialect(em), d);

/** `?, ?, …` for an IN list of `n` values. */
export const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');
