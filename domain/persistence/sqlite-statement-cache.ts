/**
 * Prepared statements kept per libsql connection of the SQLite pool (orm.ts), by SQL text. The knex
 * libsql dialect prepares every query again; preparing is a third of the time SQLite spends on a
 * contract's statements (a CPU profile of bench/contract-flow: 3 ms of main-thread CPU per contract).
 *
 * Safe to reuse because the dialect only calls `run`, `all` and `get`, each synchronous and each
 * leaving the statement reset (libsql holds no read snapshot between calls: a cached statement reads
 * what another process committed since; sqlite-statement-cache.test.ts). A connection whose statement
 * failed as busy is retired with its cache (sqlite-connection.ts). Bounded: the least recently used
 * statement is dropped beyond MAX_CACHED_STATEMENTS.
 */
import type { SqliteConnection } from './sqlite-connection';

export const MAX_CACHED_STATEMENTS = 256;

export function cacheStatements(conn: SqliteConnection, max = MAX_CACHED_STATEMENTS): void {
  const prepare = conn.prepare.bind(conn);
  const cache = new Map<string, unknown>();
  conn.prepare = (sql: string) => {
    const cached = cache.get(sql);
    if (cached !== undefined) {
      // Most recently used last: Map keeps insertion order.
      cache.delete(sql);
      cache.set(sql, cached);
      return cached;
    }
    const statement = prepare(sql);
    cache.set(sql, statement);
    if (cache.size > max) cache.delete(cache.keys().next().value!);
    return statement;
  };
}
