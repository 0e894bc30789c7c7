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
    return { ...common, driver: LibSqlDriver, dbName: db.file };
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
