/**
 * The statement cache of sqlite-statement-cache.ts on real libsql connections: one prepare per SQL text,
 * bounded, and a cached statement never reads an old snapshot (another process's commits are seen).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'libsql';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openOrm } from './orm';
import { allSql, runSql } from './plain-sql';
import { guardSqliteConnection, type SqliteConnection } from './sqlite-connection';
import { cacheStatements } from './sqlite-statement-cache';

const opened: Array<{ close(): unknown }> = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const c of opened.splice(0)) await c.close();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A connection to a fresh file with table t; `file` to open another process's connection to it. */
function connect(): Database.Database & SqliteConnection & { file: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sealflow-stmt-cache-'));
  dirs.push(dir);
  const file = path.join(dir, 'cache.sqlite');
  const db = Object.assign(new Database(file), { file }) as Database.Database & SqliteConnection & { file: string };
  db.exec('PRAGMA journal_mode = WAL');
  db.exec('PRAGMA busy_timeout = 50');
  db.exec('create table t (n integer)');
  opened.push(db);
  return db;
}

/** Counts the prepares that reach libsql. */
function countingPrepares(conn: SqliteConnection) {
  const counted = { n: 0 };
  const prepare = conn.prepare.bind(conn);
  conn.prepare = (sql: string) => {
    counted.n++;
    return prepare(sql);
  };
  return counted;
}

describe('cacheStatements', () => {
  it('prepares each SQL text once, and the reused statements answer as fresh ones (run, all, get)', () => {
    const conn = connect();
    const prepares = countingPrepares(conn);
    cacheStatements(conn);
    const insert = 'insert into t (n) values (?)';
    for (const n of [1, 2, 3]) (conn.prepare(insert) as Database.Statement).run([n]);
    const select = 'select n from t order by n';
    expect((conn.prepare(select) as Database.Statement).get()).toMatchObject({ n: 1 });
    expect(((conn.prepare(select) as Database.Statement).all() as Array<{ n: number }>).map((r) => r.n)).toEqual([1, 2, 3]);
    expect(prepares.n).toBe(2);
  });

  it('keeps at most `max` statements, dropping the least recently used', () => {
    const conn = connect();
    const prepares = countingPrepares(conn);
    cacheStatements(conn, 2);
    const q = (k: number) => conn.prepare(`select ${k} as k`);
    q(1);
    q(2);
    q(1); // 1 is now the most recent
    q(3); // drops 2
    expect(prepares.n).toBe(3);
    q(1);
    expect(prepares.n).toBe(3);
    q(2);
    expect(prepares.n).toBe(4);
  });

  it('a cached statement sees what another process committed after its last use (no snapshot kept between calls)', () => {
    const conn = connect();
    cacheStatements(conn);
    const count = () => Number(((conn.prepare('select count(*) as c from t') as Database.Statement).get() as { c: number }).c);
    const first = () => (conn.prepare('select n from t order by n') as Database.Statement).get();
    expect(count()).toBe(0);
    (conn.prepare('insert into t (n) values (1)') as Database.Statement).run();
    first(); // a get that stopped after one row
    const other = new Database(conn.file);
    opened.push(other);
    other.prepare('insert into t (n) values (2)').run();
    expect(count()).toBe(2);
    (conn.prepare('insert into t (n) values (3)') as Database.Statement).run(); // writes after the other's commit: not busy
    expect(count()).toBe(3);
  });

  it('behind the guard, as the ORM pool wires it: a busy failure still retires the connection, and the ORM reads through cached statements', async () => {
    const conn = connect();
    conn.__created = Date.now();
    guardSqliteConnection(conn);
    cacheStatements(conn);
    const holder = new Database(conn.file);
    opened.push(holder);
    holder.prepare('BEGIN IMMEDIATE').run();
    expect(() => (conn.prepare('insert into t (n) values (1)') as Database.Statement).run()).toThrow(/busy|locked/i);
    expect(conn.__created).toBe(0);
    holder.prepare('ROLLBACK').run();

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sealflow-stmt-orm-'));
    dirs.push(dir);
    // The pool's connections cache: the same statement, run three times, reaches libsql's prepare once.
    const prepare = vi.spyOn(Database.prototype, 'prepare');
    const orm = await openOrm({ dialect: 'sqlite', file: path.join(dir, 'orm.sqlite') });
    opened.push(orm);
    await runSql(orm.em.fork(), 'create table u (n integer)', []);
    for (const n of [1, 2, 3]) await runSql(orm.em.fork(), 'insert into u (n) values (?)', [n]);
    expect(prepare.mock.calls.filter(([sql]) => sql === 'insert into u (n) values (?)')).toHaveLength(1);
    prepare.mockRestore();
    expect((await allSql(orm.em.fork(), 'select n from u order by n', [])).map((r) => Number(r.n))).toEqual([1, 2, 3]);
  });
});
