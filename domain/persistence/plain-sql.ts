/**
 * Plain SQL on an EntityManager's connection (inside its transaction, if any), for the statements
 * every contract runs many times (the signature's commit, the trail): MikroORM's query builder and
 * change tracking cost several times the statement itself on this path (issue 12). Only simple
 * statements with bound parameters; dates are bound as the dialect stores them.
 */
import type { EntityManager } from '@mikro-orm/core';
import { dbDate, sqlDialect } from '../contracts/lists/sql-dialect';

/** A write; answers the affected rows. */
export async function runSql(em: EntityManager, sql: string, params: readonly unknown[]): Promise<number> {
  const res = (await em.getConnection().execute(sql, [...params], 'run', em.getTransactionContext())) as { affectedRows: number };
  return res.affectedRows;
}

/** A read (or an `UPDATE … RETURNING` on SQLite); answers the rows as the driver gives them. */
export async function allSql(em: EntityManager, sql: string, params: readonly unknown[]): Promise<Record<string, unknown>[]> {
  return (await em.getConnection().execute(sql, [...params], 'all', em.getTransactionContext())) as Record<string, unknown>[];
}

/** A Date bound as the EntityManager's dialect stores DATETIME columns. */
export const sqlDate = (em: EntityManager, d: Date) => dbDate(sqlDialect(em), d);

/** `?, ?, …` for an IN list of `n` values. */
export const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');
