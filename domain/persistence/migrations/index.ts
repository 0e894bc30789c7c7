import type { MigrationObject } from '@mikro-orm/core';
import { MYSQL_MIGRATIONS } from './mysql';
import { SQLITE_MIGRATIONS } from './sqlite';

/** Migrations are dialect-specific (one folder each) but describe the same schema. */
export const MIGRATIONS: Record<'sqlite' | 'mysql', MigrationObject[]> = {
  sqlite: SQLITE_MIGRATIONS,
  mysql: MYSQL_MIGRATIONS,
};
