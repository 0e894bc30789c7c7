import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261129125434 } from './Migration20261129125434';
import { Migration20261129131133 } from './Migration20261129131133';
import { Migration20261129133751 } from './Migration20261129133751';
import { Migration20261129140042 } from './Migration20261129140042';
import { Migration20261129144932 } from './Migration20261129144932';
import { Migration20261201152957 } from './Migration20261201152957';
import { Migration20261201153503 } from './Migration20261201153503';
import { Migration20261201160236 } from './Migration20261201160236';
import { Migration20261201165326 } from './Migration20261201165326';
import { Migration20261201172021 } from './Migration20261201172021';
import { Migration20261201183215 } from './Migration20261201183215';
import { Migration20261201183337 } from './Migration20261201183337';
import { Migration20261201184037 } from './Migration20261201184037';
import { Migration20261201215622 } from './Migration20261201215622';
import { Migration20261201220231 } from './Migration20261201220231';
import { Migration20261201220852 } from './Migration20261201220852';
import { Migration20261202010306 } from './Migration20261202010306';

export const MYSQL_MIGRATIONS: MigrationObject[] = [
  { name: 'Migration20261129125434', class: Migration20261129125434 },
  { name: 'Migration20261129131133', class: Migration20261129131133 },
  { name: 'Migration20261129133751', class: Migration20261129133751 },
  { name: 'Migration20261129140042', class: Migration20261129140042 },
  { name: 'Migration20261129144932', class: Migration20261129144932 },
  { name: 'Migration20261201152957', class: Migration20261201152957 },
  { name: 'Migration20261201153503', class: Migration20261201153503 },
  { name: 'Migration20261201160236', class: Migration20261201160236 },
  { name: 'Migration20261201165326', class: Migration20261201165326 },
  { name: 'Migration20261201172021', class: Migration20261201172021 },
  { name: 'Migration20261201183215', class: Migration20261201183215 },
  { name: 'Migration20261201183337', class: Migration20261201183337 },
  { name: 'Migration20261201184037', class: Migration20261201184037 },
  { name: 'Migration20261201215622', class: Migration20261201215622 },
  { name: 'Migration20261201220231', class: Migration20261201220231 },
  { name: 'Migration20261201220852', class: Migration20261201220852 },
  { name: 'Migration20261202010306', class: Migration20261202010306 },
];
