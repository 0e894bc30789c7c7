import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261129125432 } from './Migration20261129125432';
import { Migration20261129131131 } from './Migration20261129131131';
import { Migration20261129133747 } from './Migration20261129133747';
import { Migration20261129140040 } from './Migration20261129140040';
import { Migration20261201152944 } from './Migration20261201152944';
import { Migration20261201153452 } from './Migration20261201153452';
import { Migration20261201160223 } from './Migration20261201160223';
import { Migration20261201172100 } from './Migration20261201172100';
import { Migration20261201183211 } from './Migration20261201183211';
import { Migration20261201183322 } from './Migration20261201183322';
import { Migration20261201184020 } from './Migration20261201184020';
import { Migration20261201215518 } from './Migration20261201215518';
import { Migration20261201220214 } from './Migration20261201220214';
import { Migration20261201220837 } from './Migration20261201220837';
import { Migration20261202010300 } from './Migration20261202010300';
import { Migration20261202011026 } from './Migration20261202011026';
import { Migration20261202023033 } from './Migration20261202023033';

export const SQLITE_MIGRATIONS: MigrationObject[] = [
  { name: 'Migration20261129125432', class: Migration20261129125432 },
  { name: 'Migration20261129131131', class: Migration20261129131131 },
  { name: 'Migration20261129133747', class: Migration20261129133747 },
  { name: 'Migration20261129140040', class: Migration20261129140040 },
  { name: 'Migration20261201152944', class: Migration20261201152944 },
  { name: 'Migration20261201153452', class: Migration20261201153452 },
  { name: 'Migration20261201160223', class: Migration20261201160223 },
  { name: 'Migration20261201172100', class: Migration20261201172100 },
  { name: 'Migration20261201183211', class: Migration20261201183211 },
  { name: 'Migration20261201183322', class: Migration20261201183322 },
  { name: 'Migration20261201184020', class: Migration20261201184020 },
  { name: 'Migration20261201215518', class: Migration20261201215518 },
  { name: 'Migration20261201220214', class: Migration20261201220214 },
  { name: 'Migration20261201220837', class: Migration20261201220837 },
  { name: 'Migration20261202010300', class: Migration20261202010300 },
  { name: 'Migration20261202011026', class: Migration20261202011026 },
  { name: 'Migration20261202023033', class: Migration20261202023033 },
];
