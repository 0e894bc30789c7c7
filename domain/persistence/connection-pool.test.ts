/**
 * The pool watch of connection-pool.ts on a real SQLite pool (one connection): a statement issued
 * outside a transaction while that transaction holds the connection waits for it (a self-deadlock),
 * gives up after the pool's wait, is recognised, and the warning names how long the connection
 * was held and where it was taken; the API answers it 503 DATABASE_BUSY with Retry-After.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { statusOf, toAppError } from '../../api/http/errors';
import { ACQUIRE_CONNECTION_TIMEOUT_MS, isConnectionWaitTimeout, watchConnectionPool } from './connection-pool';
import { openOrm, type Orm } from './orm';
import { allSql } from './plain-sql';

const opened: Orm[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const orm of opened.splice(0)) await orm.close();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

async function sqliteOrm(waitMs: number): Promise<Orm> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sealflow-pool-'));
  dirs.push(dir);
  const orm = await openOrm({ dialect: 'sqlite', file: path.join(dir, 'db.sqlite') }, { pool: { acquireTimeoutMillis: waitMs } });
  opened.push(orm);
  return orm;
}

/** A transaction that, while it holds the only connection, runs a statement through another EntityManager. */
const selfDeadlock = (orm: Orm) =>
  orm.em.fork().transactional(async (tx) => {
    await allSql(tx, 'select 1 as n', []);
    await allSql(orm.em.fork(), 'select 2 as n', []);
  });

describe('database connection pool', () => {
  it('a wait for a connection is bounded well below the signing attempt (60 s)', () => {
    expect(ACQUIRE_CONNECTION_TIMEOUT_MS).toBeLessThanOrEqual(20_000);
  });

  it('a self-deadlock on the single SQLite connection ends after the wait, is recognised, and the warning says who held it and where', async () => {
    const orm = await sqliteOrm(300);
    const warnings: string[] = [];
    watchConnectionPool(orm, { traceHolders: true, warn: (line) => warnings.push(line) });
    const started = Date.now();
    const err = await selfDeadlock(orm).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(isConnectionWaitTimeout(err)).toBe(true);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/gave up waiting for a pool connection after \d+ ms; held for \d+ ms, taken at:/);
    expect(warnings[0]).toContain('connection-pool.test.ts');
    // The connection was given back: the pool works afterwards.
    expect(await allSql(orm.em.fork(), 'select 3 as n', [])).toEqual([{ n: 3 }]);
  });

  it('without tracing, the warning still says how long the connection was held (no stacks)', async () => {
    const orm = await sqliteOrm(200);
    const warnings: string[] = [];
    watchConnectionPool(orm, { traceHolders: false, warn: (line) => warnings.push(line) });
    await selfDeadlock(orm).catch(() => undefined);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/held for \d+ ms$/);
  });

  it('the API answers a connection wait timeout 503 DATABASE_BUSY (Retry-After), not 500; other errors are not mistaken for it', async () => {
    const orm = await sqliteOrm(200);
    const err = await selfDeadlock(orm).catch((e: unknown) => e);
    const answer = toAppError(err);
    expect(statusOf(answer)).toBe(503);
    expect(answer.code).toBe('DATABASE_BUSY');
    expect(answer.details?.retryAfterSeconds).toBeGreaterThan(0);
    expect(isConnectionWaitTimeout(new Error('SQLITE_CONSTRAINT: UNIQUE constraint failed'))).toBe(false);
    expect(isConnectionWaitTimeout(null)).toBe(false);
  });
});
