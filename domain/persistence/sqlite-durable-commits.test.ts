/**
 * sqlite-durable-commits.ts: the group commit, the WAL flush, and the statements that wait for it,
 * on real libsql connections and through the ORM pool as orm.ts wires it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'libsql';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openOrm } from './orm';
import { allSql, runSql } from './plain-sql';
import { checkpointer } from './sqlite-checkpointer';
import { createWalSync, durableCommits, flusher, walFile, type WalSync } from './sqlite-durable-commits';

const opened: Array<{ close(): unknown }> = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const c of opened.splice(0)) await c.close();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sealflow-durable-'));
  dirs.push(dir);
  return dir;
};

/** Descriptors of this process open on `file` (also once it was removed). */
const openDescriptorsOf = (file: string) =>
  fs.readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return fs.readlinkSync(`/proc/self/fd/${fd}`).replace(/ \(deleted\)$/, '') === file;
    } catch {
      return false;
    }
  }).length;

/** A database in WAL mode in a temporary directory (closed after the test), with `setup` run on it. */
function walDatabase(name: string, ...setup: string[]) {
  const file = path.join(tempDir(), name);
  const db = new Database(file);
  opened.push(db);
  db.exec('PRAGMA journal_mode = WAL');
  for (const sql of setup) db.exec(sql);
  return { file, db };
}

/** A flush the test finishes by hand; counts how many started. */
function manualFlush() {
  const started: Array<() => void> = [];
  const flush = () => new Promise<void>((resolve) => started.push(resolve));
  return { flush, started, finish: (i: number) => started[i]!() };
}

const settled = async <T>(p: Promise<T>) => {
  let done = false;
  void p.then(() => (done = true), () => (done = true));
  await new Promise((r) => setImmediate(r));
  return done;
};

describe('createWalSync (group commit)', () => {
  it('a sync asked for while a flush runs waits for the next flush, which every such caller shares', async () => {
    const io = manualFlush();
    const wal = createWalSync(io.flush, () => undefined);
    const first = wal.sync();
    const second = wal.sync();
    const third = wal.sync();
    expect(io.started).toHaveLength(1);
    io.finish(0);
    expect(await settled(first)).toBe(true);
    // The running flush may predate the later callers' commits: they are not answered by it.
    expect(await settled(second)).toBe(false);
    expect(io.started).toHaveLength(2);
    io.finish(1);
    await Promise.all([second, third]);
    expect(io.started).toHaveLength(2);
    // Idle again: the next caller starts a flush of its own.
    void wal.sync();
    expect(io.started).toHaveLength(3);
  });

  it('a failed flush is reported to onFailure first (the platform stops there), then fails its callers; the next sync flushes again', async () => {
    let fail = true;
    const flush = vi.fn(async () => {
      if (fail) throw new Error('EIO');
    });
    const failures: unknown[] = [];
    const wal = createWalSync(flush, (err) => failures.push(err));
    await expect(wal.sync()).rejects.toThrow('EIO');
    expect(failures).toEqual([expect.objectContaining({ message: 'EIO' })]);
    fail = false;
    await expect(wal.sync()).resolves.toBeUndefined();
    expect(flush).toHaveBeenCalledTimes(2);
  });
});

describe('walFile', () => {
  it('flushes the WAL with one fdatasync on a handle kept open while a connection is; reopens the new WAL after the last one closed', async () => {
    const file = path.join(tempDir(), 'f.sqlite');
    const wal = walFile(file);
    await expect(wal.flush()).resolves.toBeUndefined(); // no WAL yet: nothing to flush
    const datasync = vi.spyOn(flusher, 'datasync');
    const open = vi.spyOn(fs.promises, 'open');
    const connect = () => {
      const db = new Database(file);
      db.exec('PRAGMA journal_mode = WAL');
      wal.track(db);
      return db;
    };
    const first = connect();
    first.exec('create table t (n integer)');
    await wal.flush();
    await wal.flush();
    expect(datasync).toHaveBeenCalledTimes(2);
    // The WAL once, and its directory once (a WAL just created): not per flush.
    expect(open.mock.calls.map(([p]) => String(p))).toEqual([`${file}-wal`, path.dirname(file)]);
    expect(openDescriptorsOf(`${file}-wal`)).toBe(2); // SQLite's and the kept handle
    first.close(); // the last connection: SQLite checkpoints and removes the WAL
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
    await vi.waitFor(() => expect(openDescriptorsOf(`${file}-wal`)).toBe(0)); // the kept handle is closed
    const second = connect();
    opened.push(second);
    second.exec('insert into t values (1)');
    open.mockClear();
    await wal.flush();
    expect(open.mock.calls.map(([p]) => String(p))[0]).toBe(`${file}-wal`);
    expect(datasync).toHaveBeenCalledTimes(3);
    expect(openDescriptorsOf(`${file}-wal`)).toBe(2);
    for (const spy of [datasync, open]) spy.mockRestore();
  });

  it('fdatasync runs on the flusher thread: a live descriptor is flushed, a closed one fails with its error', async () => {
    const file = path.join(tempDir(), 'fd.bin');
    const handle = await fs.promises.open(file, 'w');
    await handle.write(Buffer.from('data'));
    await expect(flusher.datasync(handle.fd)).resolves.toBeUndefined();
    const fd = handle.fd;
    await handle.close();
    await expect(flusher.datasync(fd)).rejects.toMatchObject({ code: 'EBADF' });
  });
});

describe('durableCommits', () => {
  /** A WAL connection whose statements go through durableCommits with a counting sync. */
  function connect() {
    const { db } = walDatabase('d.sqlite', 'PRAGMA synchronous = NORMAL', 'create table t (n integer)');
    const syncs = { n: 0 };
    const wal: WalSync = { sync: async () => void syncs.n++ };
    durableCommits(db, wal);
    return { db, syncs };
  }

  it('a write outside a transaction answers after the WAL sync; reads answer at once without one', async () => {
    const { db, syncs } = connect();
    const insert = db.prepare('insert into t (n) values (?)').run([1]) as unknown;
    expect(insert).toBeInstanceOf(Promise);
    expect(await insert).toMatchObject({ changes: 1 });
    expect(syncs.n).toBe(1);
    const rows = db.prepare('select n from t').all() as unknown;
    expect(rows).toEqual([{ n: 1 }]);
    expect(syncs.n).toBe(1);
    // update … returning (read through `all`) writes too
    expect(await (db.prepare('update t set n = 2 returning n').all() as unknown)).toEqual([{ n: 2 }]);
    expect(syncs.n).toBe(2);
  });

  it('what counts as a committed write: a writing PRAGMA, an outermost savepoint released, not a commented SELECT or a CTE read', async () => {
    const { db, syncs } = connect();
    expect(db.prepare('/* c */ select 1 as one').get()).toMatchObject({ one: 1 });
    expect(db.prepare('with x as (select 1 as one) select one from x').all()).toEqual([{ one: 1 }]);
    expect(syncs.n).toBe(0);
    await (db.prepare('pragma user_version = 7').run() as unknown);
    expect(syncs.n).toBe(1);
    db.prepare('savepoint sp').run();
    db.prepare('insert into t (n) values (5)').run();
    await (db.prepare('release sp').run() as unknown);
    expect(syncs.n).toBe(2);
    db.prepare('BEGIN').run();
    db.prepare('select n from t').all();
    expect(db.prepare('COMMIT').run()).not.toBeInstanceOf(Promise); // read-only: nothing to flush
    expect(syncs.n).toBe(2);
  });

  it('inside a transaction no statement waits; the COMMIT does, once', async () => {
    const { db, syncs } = connect();
    db.prepare('BEGIN').run();
    expect(db.prepare('insert into t (n) values (1)').run()).toMatchObject({ changes: 1 });
    expect(db.prepare('insert into t (n) values (2)').run()).toMatchObject({ changes: 1 });
    expect(syncs.n).toBe(0);
    await (db.prepare('COMMIT').run() as unknown);
    expect(syncs.n).toBe(1);
    db.prepare('BEGIN').run();
    db.prepare('insert into t (n) values (3)').run();
    expect(db.prepare('ROLLBACK').run()).not.toBeInstanceOf(Promise);
    expect(syncs.n).toBe(1);
  });

  it('through the ORM pool (orm.ts): synchronous is NORMAL, and a commit is not answered before its WAL flush', async () => {
    const dir = tempDir();
    const datasync = vi.spyOn(flusher, 'datasync');
    const orm = await openOrm({ dialect: 'sqlite', file: path.join(dir, 'orm.sqlite') });
    opened.push(orm);
    expect((await allSql(orm.em.fork(), 'pragma synchronous', []))[0]).toEqual({ synchronous: 1 });
    await runSql(orm.em.fork(), 'create table u (n integer)', []);
    const before = datasync.mock.calls.length;
    await orm.em.fork().transactional(async (tx) => {
      await runSql(tx, 'insert into u (n) values (1)', []);
      await runSql(tx, 'insert into u (n) values (2)', []);
      expect(datasync.mock.calls.length).toBe(before);
    });
    expect(datasync.mock.calls.length).toBe(before + 1);
    // A read-only transaction commits nothing to flush.
    await orm.em.fork().transactional(async (tx) => void (await allSql(tx, 'select n from u', [])));
    expect(datasync.mock.calls.length).toBe(before + 1);
    datasync.mockRestore();
    expect((await allSql(orm.em.fork(), 'select n from u order by n', [])).map((r) => Number(r.n))).toEqual([1, 2]);
  });

  it('through the ORM pool: connections never checkpoint inside a commit; the checkpointer thread does, and the WAL is started over instead of growing', async () => {
    const file = path.join(tempDir(), 'ckpt.sqlite');
    const orm = await openOrm({ dialect: 'sqlite', file });
    opened.push(orm);
    const checkpoint = vi.spyOn(checkpointer, 'checkpoint');
    expect((await allSql(orm.em.fork(), 'pragma wal_autocheckpoint', []))[0]).toEqual({ wal_autocheckpoint: 0 });
    await runSql(orm.em.fork(), 'create table blobs (n integer, b blob)', []);
    // 64 MiB through commits of 64 KiB (16 pages) each.
    const blob = Buffer.alloc(64 * 1024, 7);
    const rows = 1024;
    for (let n = 0; n < rows; n++) await runSql(orm.em.fork(), 'insert into blobs (n, b) values (?, ?)', [n, blob]);
    expect(checkpoint).toHaveBeenCalled();
    expect(checkpoint.mock.calls.every(([f]) => f === file)).toBe(true);
    // The rows reached the database file itself; the WAL (its size is its high-water mark: a RESTART reuses it from
    // the start) stayed well below the 64 MiB written. How far below depends on how soon the checkpointer thread got
    // the CPU: 14–24 MiB alone, 34 MiB once in a loaded CI run; without started-over WALs it would hold all 64.
    await vi.waitFor(() => expect(fs.statSync(file).size).toBeGreaterThan(32 * 1024 * 1024));
    expect(fs.statSync(`${file}-wal`).size).toBeLessThan(48 * 1024 * 1024);
    expect((await allSql(orm.em.fork(), 'select count(*) as n from blobs', []))[0]).toEqual({ n: rows });
    checkpoint.mockRestore();
  });

  it('the checkpointer answers what SQLite checkpointed, runs one checkpoint per file at a time, reports a file it cannot open; after a RESTART the WAL starts over', async () => {
    const { file, db } = walDatabase('one.sqlite', 'PRAGMA wal_autocheckpoint = 0', 'create table t (n integer)', 'insert into t values (1)');
    const [first, second] = [checkpointer.checkpoint(file), checkpointer.checkpoint(file)];
    expect(await second).toBeNull();
    const result = await first;
    expect(result).toMatchObject({ busy: 0 });
    expect(result!.checkpointed).toBe(result!.log);
    await expect(checkpointer.checkpoint(path.join(tempDir(), 'missing', 'x.sqlite'))).rejects.toThrow();
    for (let n = 0; n < 50; n++) db.exec(`insert into t values (${n})`);
    const sizeBefore = fs.statSync(`${file}-wal`).size;
    expect(await checkpointer.checkpoint(file, 'restart')).toMatchObject({ busy: 0 });
    db.exec('insert into t values (-1)');
    expect(fs.statSync(`${file}-wal`).size).toBe(sizeBefore); // reused from its start, not grown
    expect((db.prepare('PRAGMA wal_checkpoint(PASSIVE)').get() as { log: number }).log).toBeLessThanOrEqual(2);
    checkpointer.release(file);
  });

  it('a RESTART never waits for a reader still using the WAL (it would hold every writer back meanwhile): it gives up at once', async () => {
    const { file, db: writer } = walDatabase('reader.sqlite', 'PRAGMA wal_autocheckpoint = 0', 'create table t (n integer)', 'insert into t values (1)');
    const reader = new Database(file);
    opened.unshift(reader); // closed before the writer
    reader.exec('BEGIN');
    reader.prepare('select count(*) as n from t').get(); // a read snapshot on the WAL
    writer.exec('insert into t values (2)');
    const started = performance.now();
    expect(await checkpointer.checkpoint(file, 'restart')).toMatchObject({ busy: 1 });
    expect(performance.now() - started).toBeLessThan(500);
    writer.exec('insert into t values (3)'); // not held back
    reader.exec('COMMIT');
    checkpointer.release(file);
  });

  it('through the ORM pool: a WAL flush that fails stops the process before the commit is answered', async () => {
    const orm = await openOrm({ dialect: 'sqlite', file: path.join(tempDir(), 'eio.sqlite') });
    opened.push(orm);
    const datasync = vi.spyOn(flusher, 'datasync').mockRejectedValue(Object.assign(new Error('EIO: i/o error'), { code: 'EIO' }));
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      await expect(runSql(orm.em.fork(), 'create table u (n integer)', [])).rejects.toThrow(/EIO/);
      expect(exit).toHaveBeenCalledWith(70);
      expect(String(error.mock.calls[0]?.[0])).toMatch(/could not be flushed/);
    } finally {
      for (const spy of [datasync, exit, error]) spy.mockRestore();
    }
  });
});
