import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261129125434 } from './Migration20261129125434';

export const MYSQL_MIGRATIONS: MigrationObject[] = [{ name: 'Migration20261129125434', class: Migration20261129125434 }];
