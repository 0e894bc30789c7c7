import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261129125418 } from './Migration20261129125418';

export const SQLITE_MIGRATIONS: MigrationObject[] = [{ name: 'Migration20261129125418', class: Migration20261129125418 }];
