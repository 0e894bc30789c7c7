/**
 * Plain SQL on an EntityManager's connection (inside its transaction, if any), for the statements
 * every contract runs many times (the signature's commit, the trail, plain-rows.ts): MikroORM's query
 * builder and change tracking cost several times the statement itself on this path (issue 12). Only
 * simple statements with bound parameters; dates are bound as the dialect stores them.
 *
 * The parameters are bound by the driver, not written into the text by MikroORM's `execute` (which
 * escapes every value in JS and logs the formatted text). Errors are converted like the ORM's own
 * (UniqueConstraintViolationException, …).
 *
 * On SQLite the statement runs on the libsql connection itself (the transaction's, or one taken from
 * the pool for the call), as the knex dialect would run it but without its query runner: ≈ 20 µs of
 * CPU per statement instead of ≈ 55 µs (bench/contract-flow runs ~80 per contract). The connection's
 * own `prepare` is used, so the statement cache, the busy guard and the durable commits of orm.ts
 * apply unchanged. The knex `query` event is still emitted when someone listens (statement counts in
 * tests and the bench).
 */
import type { EntityManager } from '@mikro-orm/core';
import { dbDate, lockingRead, sqlDialect } from './sql-dialect';

type KnexRaw = PromiseLike<unknown>;
interface KnexClient {
  acquireConnection(): Promise<unknown>;
  releaseConnection(connection: unknown): Promise<unknown>;
}
interface Knex {
  raw(sql: string, bindings: readonly unknown[]): KnexRaw;
  client: KnexClient;
  listenerCount(event: string): number;
  emit(event: string, ...args: unknown[]): boolean;
}
interface KnexTransaction extends Knex {
  isCompleted(): boolean;
}
interface SqlConnection {
  getKnex(): Knex;
  transformRawResult<T>(res: unknown, method: 'all' | 'run'): T;
}
/** The part of a libsql connection (as orm.ts sets it up) a statement needs. */
interface SqliteConnection {
  prepare(sql: string): { readonly reader: boolean; all(bindings: unknown[]): unknown; run(bindings: unknown[]): unknown };
}

/** As the knex SQLite dialects bind values: a Date as epoch ms, a boolean as 0/1. */
const sqliteBinding = (v: unknown) => (v instanceof Date ? v.valueOf() : typeof v === 'boolean' ? Number(v) : v);

async function onSqlite(knex: Knex, trx: KnexTransaction | undefined, sql: string, params: readonly unknown[]): Promise<unknown> {
  if (trx?.isCompleted()) throw new Error('Transaction query already complete');
  const client = trx ? trx.client : knex.client;
  const conn = (await client.acquireConnection()) as SqliteConnection;
  try {
    if (knex.listenerCount('query') > 0) knex.emit('query', { sql, bindings: params });
    const statement = conn.prepare(sql);
    const bindings = params.map(sqliteBinding);
    return await (statement.reader ? statement.all(bindings) : statement.run(bindings));
  } finally {
    if (!trx) await client.releaseConnection(conn);
  }
}

async function execute<T>(em: EntityManager, sql: string, params: readonly unknown[], method: 'all' | 'run'): Promise<T> {
  const connection = em.getConnection() as unknown as SqlConnection;
  const trx = em.getTransactionContext<KnexTransaction>();
  try {
    const knex = connection.getKnex();
    const res = sqlDialect(em) === 'sqlite' ? await onSqlite(knex, trx, sql, params) : await (trx ?? knex).raw(sql, params);
    return connection.transformRawResult<T>(res, method);
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

/**
 * Inside a transaction: locks rows of `table` by id, in id order, for update (MariaDB; on SQLite the process's
 * single connection serialises transactions). The first statement of a check-then-insert without a unique
 * key: MariaDB's repeatable read then takes its snapshot at the check, after the locks (ARCHITECTURE.md).
 */
export async function lockRows(tx: EntityManager, table: 'users' | 'enterprises' | 'contracts', ids: readonly string[]): Promise<void> {
  const sorted = [...new Set(ids)].sort();
  if (sorted.length) await allSql(tx, `select id from ${table} where id in (${placeholders(sorted.length)}) order by id${lockingRead(tx, 'update')}`, sorted);
}
