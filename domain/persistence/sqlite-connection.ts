/**
 * A guard on the libsql connections of the SQLite pool (orm.ts). The API and the worker are two
 * processes on one SQLite file (the embedded default), and libsql does not reset a statement that
 * failed as busy: the connection then keeps the read snapshot that statement had taken, even after
 * a ROLLBACK — its reads miss rows committed since (a committed 意愿认证 read as missing, a started
 * contract as absent) and its writes keep failing — while SQLite reports no open transaction.
 *
 * A deferred transaction (knex's `BEGIN;`) that read and then writes after the other process
 * committed fails with SQLITE_BUSY_SNAPSHOT (a write waiting past busy_timeout, with SQLITE_BUSY):
 * the change fails once and is retried by its caller, and the connection it failed on is retired —
 * the knex libsql dialect replaces a connection whose `__created` is over 10 s old when the pool
 * hands it out next, so it is marked as created at 0. (The pool marks its file connections as created
 * in the far future, orm.ts: otherwise they would be replaced every 10 s.) (Transactions are not begun IMMEDIATE: a
 * read-only transaction would then block the other process's writers, whose busy wait in libsql
 * blocks their event loop.)
 */

/** The part of a libsql connection (libsql's Database, as the knex dialect creates it) the guard uses. */
export interface SqliteConnection {
  exec(sql: string): unknown;
  prepare(sql: string): unknown;
  close(): unknown;
  /** Whether a transaction is open on the connection (libsql asks SQLite). */
  readonly inTransaction: boolean;
  /** Creation time the knex libsql dialect validates connections by (older than 10 s: replaced). */
  __created?: number;
}

type Statement = Record<'run' | 'all' | 'get', (...args: unknown[]) => unknown>;

const isBusy = (err: unknown) => /^SQLITE_BUSY/.test(String((err as { code?: unknown } | null)?.code ?? ''));

export function guardSqliteConnection(conn: SqliteConnection): void {
  const prepare = conn.prepare.bind(conn);
  conn.prepare = (sql: string) => {
    const statement = prepare(sql) as Statement;
    for (const method of ['run', 'all', 'get'] as const) {
      const call = statement[method].bind(statement);
      statement[method] = (...args: unknown[]) => {
        try {
          return call(...args);
        } catch (err) {
          if (isBusy(err)) conn.__created = 0;
          throw err;
        }
      };
    }
    return statement;
  };
}
