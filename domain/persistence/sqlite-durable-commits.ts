/**
 * Durable commits on the SQLite embedded default without blocking the event loop.
 *
 * libsql runs every statement synchronously on the calling thread. With `synchronous = FULL` each
 * COMMIT waits for an fsync of the WAL inside that call: 2–3 ms per commit during which the API's or
 * the worker's event loop serves nothing (bench/contract-flow.ts: a third of the main thread's SQLite
 * time). So the pool's connections run with `synchronous = NORMAL` — in WAL mode a commit is then
 * atomic and consistent but only written to the OS — and the durability is restored here: after a
 * statement that leaves a write committed (the end of a transaction that wrote, or a write outside a
 * transaction) the call answers only once the WAL file has been flushed to disk (`fdatasync` on a
 * thread of its own: the libuv pool is shared with password hashing and file I/O, and the pool's
 * only connection waits for the flush). Callers (knex awaits the statement) see the commit succeed
 * only when it would survive a power loss, as with FULL. Commits that finish while a flush is running
 * share the next one (group commit).
 *
 * What changes against FULL: another connection may read a commit in the few milliseconds before its
 * flush ends (SQLite publishes it when written). After a power loss in that window the commit may be
 * gone, but its own caller was never answered (Temporal retries the activity; the API's client saw
 * no answer), so nothing that relied on the commit's answer is lost.
 * Checkpoints still sync the WAL and the database file themselves (SQLite does that under NORMAL);
 * they run on a thread of their own (sqlite-checkpointer.ts).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { RequestThread } from './request-thread';
import { checkpointPolicy } from './sqlite-checkpointer';

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

/** The flusher thread's code: fdatasync of the descriptors it is sent, one at a time. */
const FLUSHER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const fs = require('node:fs');
parentPort.on('message', ({ id, fd }) => {
  try {
    fs.fdatasyncSync(fd);
    parentPort.postMessage({ id });
  } catch (err) {
    parentPort.postMessage({ id, error: { message: String(err && err.message), code: err && err.code } });
  }
});
`;

const flusherThread = new RequestThread<{ fd: number }, void>('WAL flusher', FLUSHER_SOURCE, true);

/** fdatasync on this process's flusher thread, which keeps the process alive while a flush is pending (exported for tests). */
export const flusher = { datasync: (fd: number): Promise<void> => flusherThread.request({ fd }) };

/** A database file's WAL as this process flushes it: the flush, and the connections that keep it in place. */
export interface WalFile {
  /** Makes the WAL's written pages durable. */
  flush: FlushWal;
  /** Registers a pool connection to the database; its `close` is watched. */
  track(conn: { close(): unknown }): void;
}

/**
 * The WAL file (`<file>-wal`) of a database, flushed with ONE fdatasync (on the flusher thread) of a handle kept open.
 *
 * SQLite removes the WAL only when the last connection to the database closes (after checkpointing it
 * into the database file, synced), and the next connection creates a new one. So while a connection of
 * this process is open the file stays the same inode and the handle stays valid; when the last one
 * closes, the handle is dropped (closed after the flush that may be using it) and the next flush opens
 * the file again — then also syncing its directory, so a newly created WAL's entry is durable. A WAL
 * that does not exist has nothing to flush. `events` are told of each flush and of the last connection's close.
 */
export function walFile(databaseFile: string, events: { flushed?(): void; lastClosed?(): void } = {}): WalFile {
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
    // Closed after the flush that may be using it.
    if (old) void lastFlush.then(async () => (await old)?.close()).catch(() => undefined);
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
        await flusher.datasync(h.fd);
        events.flushed?.();
      })();
      lastFlush = flushing.catch(() => undefined);
      return flushing;
    },
    track(conn) {
      connections++;
      const close = conn.close.bind(conn);
      conn.close = () => {
        const result = close();
        if (--connections === 0) {
          drop();
          events.lastClosed?.();
        }
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

/** Transaction control: never a write of its own. */
const TRANSACTION_CONTROL = /^\s*(begin|commit|end|rollback|savepoint|release)\b/i;
/** A whole transaction abandoned (not `ROLLBACK TO` a savepoint): its writes were never committed. */
const FULL_ROLLBACK = /^\s*rollback(\s+transaction)?\s*;?\s*$/i;
/** A statement that returns rows and may still write (`… RETURNING`): counted as a write. */
const RETURNING = /\breturning\b/i;

type Statement = Record<'run' | 'all' | 'get', (...args: unknown[]) => unknown> & { readonly reader: boolean };

/**
 * Makes the connection's statements answer after `wal.sync()` when they leave a write committed:
 * the statement that ends a transaction in which a write ran (COMMIT, RELEASE of the outermost
 * savepoint), or a write run outside a transaction (its own implicit commit). A write is any
 * statement that returns no rows (libsql's `reader`), or one with RETURNING, other than transaction
 * control; reads, read-only transactions and rolled-back ones never wait. Those calls then return a
 * promise (the knex dialect awaits every statement). Apply before the statement cache (the cache
 * keeps the wrapped statements).
 */
export function durableCommits(conn: DurableConnection, wal: WalSync): void {
  let wrote = false;
  const prepare = conn.prepare.bind(conn);
  conn.prepare = (sql: string) => {
    const statement = prepare(sql) as Statement;
    const control = TRANSACTION_CONTROL.test(sql);
    const writes = !control && (!statement.reader || RETURNING.test(sql));
    const abandons = FULL_ROLLBACK.test(sql);
    for (const method of ['run', 'all', 'get'] as const) {
      const call = statement[method].bind(statement);
      statement[method] = (...args: unknown[]) => {
        const result = call(...args);
        if (writes) wrote = true;
        if (conn.inTransaction) return result;
        const committed = wrote && !abandons;
        wrote = false;
        return committed ? wal.sync().then(() => result) : result;
      };
    }
    return statement;
  };
}

/** A database file's durable commits in this process: its WAL, and one group commit over it. */
export interface DurableFile {
  /** Sets a new pool connection up: WAL mode (asserted), `synchronous = NORMAL`, its commits answered once durable, no checkpoints of its own. */
  attach(conn: DurableConnection & { exec(sql: string): unknown; close(): unknown }): void;
}

export function durableFile(databaseFile: string, onFailure: (err: unknown) => void): DurableFile {
  const wal = walFile(databaseFile, checkpointPolicy(databaseFile));
  const sync = createWalSync(wal.flush, onFailure);
  return {
    attach(conn) {
      // The durability relies on WAL mode: a file that cannot switch (a read-only or network volume) is refused.
      const mode = (conn.prepare('PRAGMA journal_mode = WAL') as { get(): { journal_mode?: string } | undefined }).get()?.journal_mode;
      if (mode !== 'wal') throw new Error(`SQLite database ${databaseFile} could not switch to WAL mode (journal_mode ${String(mode)})`);
      conn.exec('PRAGMA synchronous = NORMAL');
      // Checkpoints run on the checkpointer's thread, not inside a commit on this one (sqlite-checkpointer.ts).
      conn.exec('PRAGMA wal_autocheckpoint = 0');
      wal.track(conn);
      durableCommits(conn, sync);
    },
  };
}
