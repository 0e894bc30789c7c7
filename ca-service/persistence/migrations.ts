import type { MigrationObject } from '@mikro-orm/core';
import { Migration } from '@mikro-orm/migrations';

/**
 * The CA service's own migrations (SQLite only: its database is always its own file). Append a
 * class per schema change; `ca-service/persistence/orm.test.ts` checks they match the entities.
 */
class CaService20261201000001 extends Migration {
  override async up(): Promise<void> {
    this.addSql('create table `ca_orders` (`id` text not null, `platform_order_id` text not null, `kind` text not null, `enterprise_name` text not null, `uscc` text not null, `seal_id` text not null, `seal_name` text not null, `csr_pem` text not null, `validity_days` integer not null, `amount_fen` integer not null, `status` text not null, `reject_reason` text null, `cancel_reason` text null, `certificate_pem` text null, `chain_pem` text null, `serial_number` text null, `not_after` datetime null, `created_at` datetime not null, `updated_at` datetime not null, `paid_at` datetime null, `audited_at` datetime null, `issued_at` datetime null, `rejected_at` datetime null, `cancelled_at` datetime null, primary key (`id`));');
    this.addSql('create unique index `ca_orders_platform_order_id_unique` on `ca_orders` (`platform_order_id`);');
    this.addSql('create unique index `ca_orders_serial_number_unique` on `ca_orders` (`serial_number`);');
    this.addSql('create index `ca_orders_status_created_at_index` on `ca_orders` (`status`, `created_at`);');
    this.addSql('create table `ca_order_events` (`id` integer not null primary key autoincrement, `order_id` text not null, `action` text not null, `from_status` text null, `to_status` text not null, `actor` text not null, `note` text null, `at` datetime not null);');
    this.addSql('create index `ca_order_events_order_id_index` on `ca_order_events` (`order_id`);');
    this.addSql('create table `ca_revocations` (`serial_number` text not null, `order_id` text not null, `reason` text not null, `revoked_at` datetime not null, primary key (`serial_number`));');
    this.addSql('create table `ca_access_tokens` (`token_hash` text not null, `order_id` text not null, `expires_at` datetime not null, `created_at` datetime not null, primary key (`token_hash`));');
    this.addSql('create index `ca_access_tokens_order_id_index` on `ca_access_tokens` (`order_id`);');
    this.addSql('create table `ca_staff_sessions` (`token_hash` text not null, `csrf_token` text not null, `expires_at` datetime not null, `created_at` datetime not null, primary key (`token_hash`));');
  }
}

/** Failed staff logins counted in the database (they were kept in memory: a restart forgot them). */
class CaService20261206000002 extends Migration {
  override async up(): Promise<void> {
    this.addSql('create table `ca_staff_login_failures` (`network` text not null, `failures` integer not null, `window_started_at` integer not null, primary key (`network`));');
  }
}

export const CA_SERVICE_MIGRATIONS: MigrationObject[] = [
  { name: 'CaService20261201000001', class: CaService20261201000001 },
  { name: 'CaService20261206000002', class: CaService20261206000002 },
];
