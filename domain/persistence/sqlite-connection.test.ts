/**
 * SQLite shared by two processes (API and worker, the embedded default): the guard of
 * sqlite-connection.ts, through the ORM's own pool and on bare libsql connections.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'libsql';
import { afterEach, describe, expect, it } from 'vitest';
import { openOrm, type Orm } from './orm';
import { allSql, runSql } from './plain-sql';
import { guardSqliteConnection, type SqliteConnection } from './sqlite-connection';

const opened: Array<{ close(): unknown }> = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const c of opened.splice(0)) await c.close();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function tempFile(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sealflow-sqlite-'));
  dirs.push(dir);
  return path.join(dir, 'shared.sqlite');
}

/** Another process's connection, with a short busy timeout so that a refused write answers at once. */
function connect(file: string): Database.Database {
  const db = new Database(file);
  db.exec('PRAGMA busy_timeout = 50');
  db.exec('PRAGMA journal_mode = WAL');
  opened.push(db);
  return db;
}

const numbers = async (orm: Orm) => (await allSql(orm.em.fork(), 'select n from t order by n', [])).map((r) => Number(r.n));
const numbersOf = (db: Database.Database) => (db.prepare('select n from t order by n').all() as Array<{ n: number }>).map((r) => Number(r.n));

describe('SQLite connections shared with another process', () => {
  it('an ORM transaction whose write meets a commit of another process fails once; the ORM then reads what was committed (no stale connection)', async () => {
    const file = tempFile();
    const orm = await openOrm({ dialect: 'sqlite', file });
    opened.push(orm);
    await runSql(orm.em.fork(), 'create table t (n integer)', []);
    const other = connect(file);
    await expect(
      orm.em.fork().transactional(async (em) => {
        await allSql(em, 'select count(*) as n from t', []);
        other.prepare('insert into t (n) values (1)').run();
        await runSql(em, 'insert into t (n) values (2)', []);
      }),
    ).rejects.toThrow(/busy|locked/i);
    other.prepare('insert into t (n) values (3)').run();
    expect(await numbers(orm)).toEqual([1, 3]);
    await runSql(orm.em.fork(), 'insert into t (n) values (4)', []);
    expect(numbersOf(connect(file))).toEqual([1, 3, 4]);
  });

  it('a guarded connection whose statement failed as busy is retired (marked for replacement)', () => {
    const file = tempFile();
    const guarded = connect(file) as Database.Database & SqliteConnection;
    guarded.exec('create table t (n integer)');
    guarded.__created = Date.now();
    guardSqliteConnection(guarded);
    (guarded.prepare('insert into t (n) values (1)') as Database.Statement).run();
    expect(guarded.__created).toBeGreaterThan(0);

    const holder = connect(file);
    holder.prepare('BEGIN IMMEDIATE').run();
    expect(() => (guarded.prepare('insert into t (n) values (2)') as Database.Statement).run()).toThrow(/busy|locked/i);
    expect(guarded.__created).toBe(0);
  });
});
