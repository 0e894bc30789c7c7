import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261129125423 } from './Migration20261129125423';

export const MYSQL_MIGRATIONS: MigrationObject[] = [{ name: 'Migration20261129125423', class: Migration20261129125423 }];
