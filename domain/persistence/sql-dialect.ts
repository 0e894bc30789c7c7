import { raw, type EntityManager, type FilterQuery } from '@mikro-orm/core';

export type SqlDialect = 'sqlite' | 'mysql';

/** Which database the EntityManager talks to (MySQL/MariaDB or SQLite through libsql). */
export function sqlDialect(em: EntityManager): SqlDialect {
  return /MySql|MariaDb/.test(em.getPlatform().constructor.name) ? 'mysql' : 'sqlite';
}

/** `%text%` for LIKE: the text's own `%`, `_` and `\` escaped with `\`, so that they match themselves. */
export const likeContainsPattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * `column like ?` with `\` as the escape character: MySQL/MariaDB's default (where `'\'` is not even a valid
 * literal); SQLite has no default escape character and needs the clause.
 */
export const likeClause = (dialect: SqlDialect, column: string) => (dialect === 'sqlite' ? `${column} like ? escape '\\'` : `${column} like ?`);

/**
 * An ORM condition: the column (its SQL name) contains `text` literally. MikroORM's `$like` writes no ESCAPE
 * clause, so on SQLite an escaped wildcard matched nothing (a search for "50%" did not find "50%科技").
 */
export function containsText<T extends object>(em: EntityManager, column: string, text: string): FilterQuery<T> {
  const dialect = sqlDialect(em);
  return { [raw((alias: string) => likeClause(dialect, `${alias}.${column}`), [likeContainsPattern(text)])]: [] } as FilterQuery<T>;
}

/**
 * The suffix of a locking read inside a transaction on MySQL/MariaDB, whose plain reads answer from
 * the transaction's snapshot (a row committed since would read as it was); '' on SQLite, whose write
 * transaction already excludes every other writer, and outside a transaction.
 */
export function lockingRead(em: EntityManager, mode: 'share' | 'update'): string {
  if (sqlDialect(em) !== 'mysql' || !em.isInTransaction()) return '';
  return mode === 'share' ? ' lock in share mode' : ' for update';
}

/**
 * A Date as raw SQL binds it: SQLite (libsql) keeps epoch milliseconds; MySQL/MariaDB a DATETIME
 * literal in UTC (the connection's time zone is +00:00).
 */
export function dbDate(dialect: SqlDialect, d: Date): number | string {
  return dialect === 'sqlite' ? d.getTime() : d.toISOString().slice(0, 23).replace('T', ' ');
}

/** A DATETIME read by raw SQL back into a Date: epoch ms (SQLite), `YYYY-MM-DD hh:mm:ss[.fff]` in UTC or a Date (MySQL). */
export function fromDbDate(value: unknown): Date {
  if (value instanceof Date) return value;
  if (typeof value === 'number') return new Date(value);
  const s = String(value);
  if (/^\d+$/.test(s)) return new Date(Number(s));
  return new Date(/^\d{4}-\d\d-\d\d \d/.test(s) ? `${s.replace(' ', 'T')}Z` : s);
}
