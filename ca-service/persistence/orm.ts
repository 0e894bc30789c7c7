import fs from 'node:fs';
import path from 'node:path';
import { MikroORM } from '@mikro-orm/core';
import { LibSqlDriver } from '@mikro-orm/libsql';
import { Migrator } from '@mikro-orm/migrations';
import { CA_SERVICE_ENTITIES } from './entities';
import { CA_SERVICE_MIGRATIONS } from './migrations';

/** The CA service's database: its own SQLite file (MikroORM + libsql), migrated on open. */
export async function openCaServiceOrm(file: string): Promise<MikroORM> {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const orm = await MikroORM.init({
    driver: LibSqlDriver,
    dbName: file,
    entities: CA_SERVICE_ENTITIES,
    extensions: [Migrator],
    migrations: { migrationsList: CA_SERVICE_MIGRATIONS, tableName: 'ca_service_migrations', transactional: true, allOrNothing: true, silent: true },
    allowGlobalContext: false,
    debug: false,
    pool: {
      afterCreate: (conn: { exec(sql: string): void }, done: (err: Error | null, conn: unknown) => void) => {
        try {
          conn.exec('PRAGMA busy_timeout = 10000');
          if (file !== ':memory:') conn.exec('PRAGMA journal_mode = WAL');
          done(null, conn);
        } catch (err) {
          done(err as Error, conn);
        }
      },
    },
  });
  try {
    await orm.getMigrator().up();
    return orm;
  } catch (err) {
    await orm.close().catch(() => undefined);
    throw err;
  }
}

export const caServiceDatabaseFile = (caServiceDataDir: string) => path.join(caServiceDataDir, 'orders.sqlite');
