import fs from 'node:fs';
import path from 'node:path';
import { MikroORM, type Options } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import type { DatabaseConfig } from '../../config';
import { ALL_ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';

export type Orm = MikroORM;

export async function ormOptions(db: DatabaseConfig, extra: Partial<Options> = {}): Promise<Options> {
  const common: Options = {
    entities: ALL_ENTITIES,
    extensions: [Migrator],
    migrations: { migrationsList: MIGRATIONS[db.dialect], tableName: 'mikro_orm_migrations', transactional: true, allOrNothing: true },
    allowGlobalContext: false,
    debug: false,
    ...extra,
  };
  if (db.dialect === 'sqlite') {
    const { LibSqlDriver } = await import('@mikro-orm/libsql');
    if (db.file !== ':memory:') fs.mkdirSync(path.dirname(db.file), { recursive: true });
    return {
      ...common,
      driver: LibSqlDriver,
      dbName: db.file,
      // API and worker share the file: WAL lets readers run beside a writer, and a busy writer
      // is waited for instead of failing with SQLITE_BUSY.
      pool: {
        afterCreate: (conn: { exec(sql: string): void }, done: (err: Error | null, conn: unknown) => void) => {
          try {
            conn.exec('PRAGMA busy_timeout = 10000');
            if (db.file !== ':memory:') conn.exec('PRAGMA journal_mode = WAL');
            done(null, conn);
          } catch (err) {
            done(err as Error, conn);
          }
        },
      },
    };
  }
  const { MySqlDriver } = await import('@mikro-orm/mysql');
  return { ...common, driver: MySqlDriver, host: db.host, port: db.port, user: db.user, password: db.password, dbName: db.dbName, timezone: '+00:00' };
}

/** Opens the database. Call `migrate()` before serving. */
export async function openOrm(db: DatabaseConfig, extra: Partial<Options> = {}): Promise<Orm> {
  return MikroORM.init(await ormOptions(db, extra));
}

export async function migrate(orm: Orm): Promise<void> {
  await orm.getMigrator().up();
}
