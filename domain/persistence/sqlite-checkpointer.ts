/**
 * WAL checkpoints of the SQLite embedded default, off the event loop.
 *
 * By default SQLite checkpoints inside the COMMIT that grows the WAL past 1000 pages: that call, on
 * the API's or the worker's main thread (libsql is synchronous), copies the WAL back into the
 * database file and syncs it — with checkpoints off, bench/contract-flow's main thread spent 22
 * instead of 26 ms of CPU per contract. The pool's connections therefore run with `wal_autocheckpoint = 0`
 * (sqlite-durable-commits.ts) and the same kind of checkpoint (PASSIVE: it never waits for or blocks
 * a reader or writer) runs on a thread of its own, on a connection it keeps per database file while
 * the pool has one, every CHECKPOINT_EVERY_FLUSHES flushes of the WAL.
 *
 * Unlike SQLite's own, such a checkpoint runs while commits go on, so it may not find the WAL wholly
 * copied — and only then does the next writer start the WAL over: under steady writes it would grow
 * without end. When a PASSIVE checkpoint reports RESTART_WAL_FRAMES frames or more, the next one is a
 * RESTART: it takes the writer lock only if it is free, copies what is left, and gives up at once if a
 * reader still uses the WAL (it never waits: writers on an event loop wait in their busy handler while
 * it holds the lock, so that time is only the copy); the next writer then starts the WAL over.
 *
 * A checkpoint that fails or cannot finish (a long reader) leaves the WAL as SQLite's own would, and
 * the next one tries again. A crash during a checkpoint is safe (SQLite's checkpoint is).
 */
import { createRequire } from 'node:module';
import { RequestThread } from './request-thread';

/** Flushes of a WAL between two checkpoints: about SQLite's 1000 pages at the platform's commit sizes. */
export const CHECKPOINT_EVERY_FLUSHES = 64;
/** A WAL this long after a PASSIVE checkpoint could not start over: the next checkpoint is a RESTART. */
export const RESTART_WAL_FRAMES = 2000;

/** PASSIVE never waits or blocks; RESTART holds writers back while it copies the rest, and never waits for a lock or a reader. */
export type CheckpointMode = 'passive' | 'restart';

/** `PRAGMA wal_checkpoint` answers: 1 if it could not run, frames in the WAL, frames copied into the database. */
export interface CheckpointResult {
  busy: number;
  log: number;
  checkpointed: number;
}

const require = createRequire(import.meta.url);
/** libsql as MikroORM's driver loads it. */
const LIBSQL = createRequire(require.resolve('@mikro-orm/libsql')).resolve('libsql');

const CHECKPOINTER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const Database = require(${JSON.stringify(LIBSQL)});
const open = new Map();
const close = (file) => {
  const db = open.get(file);
  open.delete(file);
  try { if (db) db.close(); } catch {}
};
parentPort.on('message', ({ id, file, mode, release }) => {
  if (release) return close(file);
  try {
    let db = open.get(file);
    if (!db) {
      db = new Database(file);
      db.exec('PRAGMA busy_timeout = 0');
      open.set(file, db);
    }
    let row = db.prepare('PRAGMA wal_checkpoint(PASSIVE)').get();
    if (mode === 'restart') row = db.prepare('PRAGMA wal_checkpoint(RESTART)').get();
    parentPort.postMessage({ id, result: row });
  } catch (err) {
    close(file);
    parentPort.postMessage({ id, error: { message: String(err && err.message), code: err && err.code } });
  }
});
`;

class Checkpointer {
  private readonly thread = new RequestThread<{ file: string; mode?: CheckpointMode; release?: true }, CheckpointResult>('WAL checkpointer', CHECKPOINTER_SOURCE, false);
  private readonly running = new Set<string>();

  /** Checkpoints `file` unless a checkpoint of it is already running (then null). Never keeps the process alive. */
  async checkpoint(file: string, mode: CheckpointMode = 'passive'): Promise<CheckpointResult | null> {
    if (this.running.has(file)) return null;
    this.running.add(file);
    try {
      return await this.thread.request({ file, mode });
    } finally {
      this.running.delete(file);
    }
  }

  /** Closes the checkpointer's connection to `file` (the pool closed its last one). */
  release(file: string): void {
    this.thread.post({ file, release: true });
  }
}

/** This process's checkpointer (exported for tests). */
export const checkpointer = new Checkpointer();

/** When one database file is checkpointed: told of every WAL flush and of the pool's last connection closing. */
export function checkpointPolicy(databaseFile: string, every = CHECKPOINT_EVERY_FLUSHES, restartFrames = RESTART_WAL_FRAMES) {
  let flushes = 0;
  let restart = false;
  return {
    flushed() {
      if (++flushes < every) return;
      flushes = 0;
      const mode: CheckpointMode = restart ? 'restart' : 'passive';
      checkpointer.checkpoint(databaseFile, mode).then(
        (result) => {
          if (result) restart = mode === 'passive' && result.log >= restartFrames;
        },
        (err: unknown) => console.warn(`[db] WAL checkpoint of ${databaseFile} failed; tried again later: ${String((err as Error)?.message ?? err)}`),
      );
    },
    lastClosed: () => checkpointer.release(databaseFile),
  };
}
