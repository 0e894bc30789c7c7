import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261129125432 } from './Migration20261129125432';

export const SQLITE_MIGRATIONS: MigrationObject[] = [{ name: 'Migration20261129125432', class: Migration20261129125432 }];
