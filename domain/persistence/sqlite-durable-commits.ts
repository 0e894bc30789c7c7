/**
 * Durable commits on the SQLite embedded default without blocking the event loop.
 *
 * libsql runs every statement synchronously on the calling thread. With `synchronous = FULL` each
 * COMMIT waits for an fsync of the WAL inside that call: 2–3 ms per commit during which the API's or
 * the worker's event loop serves nothing (bench/contract-flow.ts: a third of the main thread's SQLite
 * time). So the pool's connections run with `synchronous = NORMAL` — in WAL mode a commit is then
 * atomic and consistent but only written to the OS — and the durability is restored here: after a
 * statement that leaves a write committed (a COMMIT, or a write outside a transaction) the call
 * answers only once the WAL file has been flushed to disk (`fdatasync` on the libuv pool). Callers
 * (knex awaits the statement) see the commit succeed only when it would survive a power loss, as
 * with FULL. Commits that finish while a flush is running share the next one (group commit).
 *
 * What changes against FULL: another connection may read a commit in the few milliseconds before
 * its flush ends (SQLite publishes it when written). Nothing is acknowledged on such a read alone
 * that the writer's own caller has not yet been answered for, and after a power loss in that window
 * the writer's caller never got its answer (Temporal retries the activity; the API answered an error).
 * Checkpoints still sync the WAL and the database file themselves (SQLite does that under NORMAL).
 */
import fs from 'node:fs/promises';
import path from 'node:path';

/** What a flush does: makes the WAL's written pages durable (a missing WAL has nothing to flush). */
export type FlushWal = () => Promise<void>;

export interface WalSync {
  /** Resolves once every commit made before the call is durable. */
  sync(): Promise<void>;
}

/**
 * Group commit: at most one flush runs; a sync asked for while one runs waits for the NEXT flush
 * (the running one may have started before the caller's commit was written), and every caller
 * that asks meanwhile shares that next flush.
 *
 * A flush that fails leaves commits that SQLite already made visible with unknown durability — under
 * FULL the same failure would have rolled them back. Answering their callers with an error would be
 * wrong (they would undo work that the database kept: a contract's stored PDF deleted under a
 * committed row), and so would answering success. So `onFailure` is called first: the platform stops
 * the process there (orm.ts), as PostgreSQL does on a failed fsync; SQLite recovers the database from
 * the WAL at the next open, keeping exactly the commits that reached the disk. Callers are rejected
 * only if `onFailure` returns (tests).
 */
export function createWalSync(flush: FlushWal, onFailure: (err: unknown) => void): WalSync {
  let running: Promise<void> | null = null;
  let queued: Promise<void> | null = null;
  const start = () => {
    const p = flush()
      .catch((err: unknown) => {
        onFailure(err);
        throw err;
      })
      .finally(() => {
        if (running === p) running = null;
      });
    running = p;
    return p;
  };
  return {
    sync() {
      if (queued) return queued;
      if (!running) return start();
      queued = running
        .catch(() => undefined)
        .then(() => {
          queued = null;
          return start();
        });
      return queued;
    },
  };
}

/** A database file's WAL as this process flushes it: the flush, and the connections that keep it in place. */
export interface WalFile {
  /** Makes the WAL's written pages durable. */
  flush: FlushWal;
  /** Registers a pool connection to the database; its `close` is watched. */
  track(conn: { close(): unknown }): void;
}

/**
 * The WAL file (`<file>-wal`) of a database, flushed with ONE fdatasync on a handle kept open.
 *
 * SQLite removes the WAL only when the last connection to the database closes (after checkpointing it
 * into the database file, synced), and the next connection creates a new one. So while a connection of
 * this process is open the file stays the same inode and the handle stays valid; when the last one
 * closes, the handle is dropped (closed after the flush that may be using it) and the next flush opens
 * the file again — then also syncing its directory, so a newly created WAL's entry is durable. A WAL
 * that does not exist has nothing to flush.
 */
export function walFile(databaseFile: string): WalFile {
  const wal = `${databaseFile}-wal`;
  let handle: Promise<fs.FileHandle | null> | null = null;
  let connections = 0;
  let lastFlush: Promise<unknown> = Promise.resolve();
  const openHandle = async (): Promise<fs.FileHandle | null> => {
    let h: fs.FileHandle;
    try {
      h = await fs.open(wal, 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    await syncDirectory(path.dirname(wal));
    return h;
  };
  const drop = () => {
    const old = handle;
    handle = null;
    if (old) void lastFlush.then(() => old).then((h) => h?.close(), () => undefined).catch(() => undefined);
  };
  return {
    flush() {
      const flushing = (async () => {
        if (!handle) handle = openHandle();
        let h: fs.FileHandle | null;
        try {
          h = await handle;
        } catch (err) {
          handle = null;
          throw err;
        }
        if (!h) {
          handle = null;
          return;
        }
        await h.datasync();
      })();
      lastFlush = flushing.catch(() => undefined);
      return flushing;
    },
    track(conn) {
      connections++;
      const close = conn.close.bind(conn);
      conn.close = () => {
        const result = close();
        if (--connections === 0) drop();
        return result;
      };
    },
  };
}

async function syncDirectory(dir: string): Promise<void> {
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** The part of a libsql connection this module uses. */
export interface DurableConnection {
  prepare(sql: string): unknown;
  readonly inTransaction: boolean;
}

/** Statements that never leave a committed write behind when they run outside a transaction. */
const NEVER_COMMITS = /^\s*(select|pragma|explain|begin|rollback|savepoint|release)\b/i;

type Statement = Record<'run' | 'all' | 'get', (...args: unknown[]) => unknown>;

/**
 * Makes the connection's statements answer after `wal.sync()` when they leave a write committed: a
 * COMMIT, or a write run outside a transaction (its own implicit commit). Those calls then return a
 * promise (the knex dialect awaits every statement); reads and statements inside a transaction answer
 * as before. Apply before the statement cache (the cache keeps the wrapped statements).
 */
export function durableCommits(conn: DurableConnection, wal: WalSync): void {
  const prepare = conn.prepare.bind(conn);
  conn.prepare = (sql: string) => {
    const statement = prepare(sql) as Statement;
    if (NEVER_COMMITS.test(sql)) return statement;
    for (const method of ['run', 'all', 'get'] as const) {
      const call = statement[method].bind(statement);
      statement[method] = (...args: unknown[]) => {
        const result = call(...args);
        return conn.inTransaction ? result : wal.sync().then(() => result);
      };
    }
    return statement;
  };
}
