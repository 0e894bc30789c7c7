import fs from 'node:fs';
import path from 'node:path';
import { MikroORM, type EntityMetadata, type Options } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import type { DatabaseConfig } from '../../config';
import { NativeWritesFlushGuard } from './concurrency';
import { ALL_ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';
import { ACQUIRE_CONNECTION_TIMEOUT_MS } from './connection-pool';
import { guardSqliteConnection, type SqliteConnection } from './sqlite-connection';
import { cacheStatements } from './sqlite-statement-cache';
import { durableFile } from './sqlite-durable-commits';

export type Orm = MikroORM;

/**
 * Entities declare timestamps as `type: 'datetime'` (one column type on both dialects). MikroORM
 * maps that name to a custom type whose change-set snapshot is a Date while the SQLite driver's
 * original data is a number, so on SQLite every loaded timestamp looked changed and every flush
 * rewrote it (`update users set created_at = ?` after a mere read). As the runtime type `Date`
 * the same column is compared by the platform's date rule on both dialects; the DDL is unchanged.
 */
function treatDatetimeAsDate(meta: EntityMetadata): void {
  for (const prop of Object.values(meta.properties)) {
    if (prop.type === 'datetime') prop.type = 'Date';
  }
}

/** A WAL flush failed: commits already visible may not be durable; stop (sqlite-durable-commits.ts). */
function stopOnFailedFlush(err: unknown): void {
  console.error('[db] the SQLite WAL could not be flushed to disk; commits may not be durable. Stopping this process: the database is recovered from the WAL at the next start.', err);
  process.exit(70);
}

export async function ormOptions(db: DatabaseConfig, extra: Partial<Options> = {}): Promise<Options> {
  const common: Options = {
    entities: ALL_ENTITIES,
    extensions: [Migrator],
    migrations: { migrationsList: MIGRATIONS[db.dialect], tableName: 'mikro_orm_migrations', transactional: true, allOrNothing: true },
    allowGlobalContext: false,
    debug: false,
    discovery: { onMetadata: treatDatetimeAsDate },
    subscribers: [new NativeWritesFlushGuard()],
    ...extra,
  };
  if (db.dialect === 'sqlite') {
    const { LibSqlDriver } = await import('@mikro-orm/libsql');
    const onDisk = db.file !== ':memory:';
    if (onDisk) fs.mkdirSync(path.dirname(db.file), { recursive: true });
    // One group commit per database file of this process (sqlite-durable-commits.ts).
    const durable = onDisk ? durableFile(db.file, stopOnFailedFlush) : null;
    return {
      ...common,
      driver: LibSqlDriver,
      dbName: db.file,
      // API and worker share the file: WAL lets readers run beside a writer, and a busy writer
      // is waited for instead of failing with SQLITE_BUSY. Commits are made durable off the event
      // loop (NORMAL, then the WAL flushed before the statement answers: sqlite-durable-commits.ts).
      pool: {
        acquireTimeoutMillis: ACQUIRE_CONNECTION_TIMEOUT_MS,
        ...extra.pool,
        afterCreate: (conn: SqliteConnection, done: (err: Error | null, conn: unknown) => void) => {
          try {
            conn.exec('PRAGMA busy_timeout = 10000');
            guardSqliteConnection(conn);
            if (durable) {
              durable.attach(conn);
              // Kept until retired (sqlite-connection.ts): the dialect would otherwise replace it every 10 s, with its prepared statements and WAL handle.
              conn.__created = Number.MAX_SAFE_INTEGER;
            }
            cacheStatements(conn);
            done(null, conn);
          } catch (err) {
            done(err as Error, conn);
          }
        },
      },
    };
  }
  const { MySqlDriver } = await import('@mikro-orm/mysql');
  return { ...common, driver: MySqlDriver, host: db.host, port: db.port, user: db.user, password: db.password, dbName: db.dbName, timezone: '+00:00', pool: { acquireTimeoutMillis: ACQUIRE_CONNECTION_TIMEOUT_MS, ...extra.pool } };
}

/** Opens the database. Call `migrate()` before serving. */
export async function openOrm(db: DatabaseConfig, extra: Partial<Options> = {}): Promise<Orm> {
  return MikroORM.init(await ormOptions(db, extra));
}

export async function migrate(orm: Orm): Promise<void> {
  await orm.getMigrator().up();
}
