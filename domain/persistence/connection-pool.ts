/**
 * The database connection pool's bounds, and what happens when a request cannot get a connection.
 *
 * On SQLite the pool has ONE connection (knex's default for the dialect): a transaction holds it
 * until it ends and every other statement of the process waits for it. A wait longer than a few
 * seconds is never load — statements take milliseconds — but a holder that awaits something slow,
 * or a statement issued outside a transaction while that transaction waits for it (a self-deadlock
 * only the timeout ends). So the wait is bounded well below the signing attempt's own timeout
 * (knex's default is 60 s), the error that ends it answers 503 DATABASE_BUSY (api/http/errors.ts)
 * and is retried in activities, and the warning it logs says how long the connection had been
 * held — with `DB_POOL_TRACE=true`, also where it was taken (a stack per acquisition: for tests
 * and for an operator chasing a stall, not for production throughput).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { MikroORM } from '@mikro-orm/core';

/** How long a statement waits for a pool connection before it fails (knex `acquireConnectionTimeout`). */
export const ACQUIRE_CONNECTION_TIMEOUT_MS = 15_000;

/** True for the error of a statement that gave up waiting for a pool connection (knex's KnexTimeoutError, possibly wrapped by MikroORM). */
export function isConnectionWaitTimeout(err: unknown): boolean {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { name, message } = e as { name?: unknown; message?: unknown };
    if (name === 'KnexTimeoutError' || (typeof message === 'string' && message.includes('Timeout acquiring a connection'))) return true;
  }
  return false;
}

interface PoolClient {
  acquireConnection(): Promise<unknown>;
  releaseConnection(connection: unknown): Promise<unknown>;
}

/** Who holds a connection: since when and (traced) where it was taken. */
interface Holder {
  since: number;
  taken?: Error;
}

/**
 * Where the caller is: captured as an Error whose stack is formatted only if a wait times out (formatting a
 * deep stack for every statement cost integration tests ~6 % of their main thread: source maps included).
 */
function takenHere(): Error {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 80;
  const taken = new Error('connection taken');
  Error.stackTraceLimit = limit;
  return taken;
}

/** The application's frames of a captured stack (knex and MikroORM frames left out). */
function applicationFrames(taken: Error): string {
  const frames = (taken.stack ?? '').split('\n').slice(1).filter((line) => !line.includes('node_modules') && !line.includes('connection-pool.ts') && !line.includes('(node:'));
  return frames.join('\n') || '    (no application frame)';
}

/** Statements and transactions begun outside a transaction carry their caller's stack (`callers`) to the pool. */
function traceCallers(orm: MikroORM, callers: AsyncLocalStorage<Error>): void {
  type Method = (...args: unknown[]) => Promise<unknown>;
  const connection = orm.em.getConnection() as unknown as { begin: Method; execute: Method };
  const traced = (original: Method, inTransaction: (args: unknown[]) => boolean): Method => (...args) =>
    inTransaction(args) || callers.getStore() !== undefined ? original(...args) : callers.run(takenHere(), () => original(...args));
  connection.begin = traced(connection.begin.bind(connection), (args) => Boolean((args[0] as { ctx?: unknown } | undefined)?.ctx));
  connection.execute = traced(connection.execute.bind(connection), (args) => args[3] !== undefined);
}

/**
 * Watches the ORM's pool: when a wait for a connection times out, logs how long the connections
 * had been held (and, with `traceHolders`, the stacks that took them).
 */
export function watchConnectionPool(orm: MikroORM, options: { traceHolders: boolean; warn?: (line: string) => void }): void {
  const warn = options.warn ?? ((line: string) => console.warn(line));
  const client = (orm.em as unknown as { getKnex(): { client: PoolClient } }).getKnex().client;
  const acquire = client.acquireConnection.bind(client);
  const release = client.releaseConnection.bind(client);
  const holders = new Map<unknown, Holder>();
  // Traced: the application's stack is taken where it calls the ORM (knex's own promise chains lose
  // it before the pool is asked) and carried to the acquisition.
  const callers = new AsyncLocalStorage<Error>();
  if (options.traceHolders) traceCallers(orm, callers);
  client.acquireConnection = async () => {
    const waitingSince = Date.now();
    const taken = callers.getStore();
    try {
      const connection = await acquire();
      holders.set(connection, { since: Date.now(), taken });
      return connection;
    } catch (err) {
      if (isConnectionWaitTimeout(err)) {
        const now = Date.now();
        const held = [...holders.values()].map((h) => `held for ${now - h.since} ms${h.taken ? `, taken at:\n${applicationFrames(h.taken)}` : ''}`);
        warn(`[db] gave up waiting for a pool connection after ${now - waitingSince} ms; ${held.length ? held.join('\n') : 'no connection is held'}${taken ? `\nwaiting at:\n${applicationFrames(taken)}` : ''}`);
      }
      throw err;
    }
  };
  client.releaseConnection = (connection: unknown) => {
    holders.delete(connection);
    return release(connection);
  };
}
