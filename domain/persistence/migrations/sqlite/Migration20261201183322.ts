import { Migration } from '@mikro-orm/migrations';

export class Migration20261201183322 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`personal_signatures\` (\`id\` text not null, \`user_id\` text not null, \`kind\` text not null, \`image_key\` text not null, \`image_sha256\` text not null, \`width\` integer not null, \`height\` integer not null, \`created_at\` datetime not null, \`deleted_at\` datetime null, constraint \`personal_signatures_user_id_foreign\` foreign key(\`user_id\`) references \`users\`(\`id\`) on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`personal_signatures_user_id_index\` on \`personal_signatures\` (\`user_id\`);`);
    this.addSql(`create index \`personal_signatures_user_id_deleted_at_index\` on \`personal_signatures\` (\`user_id\`, \`deleted_at\`);`);

    this.addSql(`create table \`signature_settings\` (\`id\` text not null, \`user_id\` text not null, \`default_signature_id\` text null, \`date_seal_enabled\` integer not null, \`date_format\` text not null, \`date_color\` text not null, \`handwritten_count\` integer not null, \`updated_at\` datetime not null, constraint \`signature_settings_user_id_foreign\` foreign key(\`user_id\`) references \`users\`(\`id\`) on update cascade, constraint \`signature_settings_default_signature_id_foreign\` foreign key(\`default_signature_id\`) references \`personal_signatures\`(\`id\`) on delete set null on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`signature_settings_user_id_index\` on \`signature_settings\` (\`user_id\`);`);
    this.addSql(`create unique index \`signature_settings_user_id_unique\` on \`signature_settings\` (\`user_id\`);`);
    this.addSql(`create index \`signature_settings_default_signature_id_index\` on \`signature_settings\` (\`default_signature_id\`);`);

    this.addSql(`create table \`signature_capture_sessions\` (\`id\` text not null, \`user_id\` text not null, \`token_hash\` text not null, \`created_at\` datetime not null, \`expires_at\` datetime not null, \`used_at\` datetime null, \`signature_id\` text null, constraint \`signature_capture_sessions_user_id_foreign\` foreign key(\`user_id\`) references \`users\`(\`id\`) on update cascade, constraint \`signature_capture_sessions_signature_id_foreign\` foreign key(\`signature_id\`) references \`personal_signatures\`(\`id\`) on delete set null on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`signature_capture_sessions_user_id_index\` on \`signature_capture_sessions\` (\`user_id\`);`);
    this.addSql(`create unique index \`signature_capture_sessions_token_hash_unique\` on \`signature_capture_sessions\` (\`token_hash\`);`);
    this.addSql(`create index \`signature_capture_sessions_signature_id_index\` on \`signature_capture_sessions\` (\`signature_id\`);`);
    this.addSql(`create index \`signature_capture_sessions_user_id_expires_at_index\` on \`signature_capture_sessions\` (\`user_id\`, \`expires_at\`);`);

    this.addSql(`create table \`certificate_orders\` (\`id\` text not null, \`enterprise_id\` text not null, \`seal_id\` text not null, \`kind\` text not null, \`renews_certificate_id\` text null, \`status\` text not null, \`ca_order_id\` text null, \`amount_fen\` integer null, \`reject_reason\` text null, \`private_key_encrypted\` text null, \`csr_pem\` text null, \`certificate_id\` text null, \`created_by\` text not null, \`created_at\` datetime not null, \`submitted_at\` datetime null, \`paid_at\` datetime null, \`audited_at\` datetime null, \`issued_at\` datetime null, \`ended_at\` datetime null, \`last_polled_at\` datetime null, \`live_key\` text null, \`version\` integer not null default 1, constraint \`certificate_orders_enterprise_id_foreign\` foreign key(\`enterprise_id\`) references \`enterprises\`(\`id\`) on update cascade, constraint \`certificate_orders_seal_id_foreign\` foreign key(\`seal_id\`) references \`seals\`(\`id\`) on update cascade, constraint \`certificate_orders_renews_certificate_id_foreign\` foreign key(\`renews_certificate_id\`) references \`signing_certificates\`(\`id\`) on delete set null on update cascade, constraint \`certificate_orders_created_by_foreign\` foreign key(\`created_by\`) references \`users\`(\`id\`) on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`certificate_orders_enterprise_id_index\` on \`certificate_orders\` (\`enterprise_id\`);`);
    this.addSql(`create index \`certificate_orders_seal_id_index\` on \`certificate_orders\` (\`seal_id\`);`);
    this.addSql(`create index \`certificate_orders_renews_certificate_id_index\` on \`certificate_orders\` (\`renews_certificate_id\`);`);
    this.addSql(`create index \`certificate_orders_status_index\` on \`certificate_orders\` (\`status\`);`);
    this.addSql(`create index \`certificate_orders_created_by_index\` on \`certificate_orders\` (\`created_by\`);`);
    this.addSql(`create unique index \`certificate_orders_live_key_unique\` on \`certificate_orders\` (\`live_key\`);`);
    this.addSql(`create index \`certificate_orders_enterprise_id_created_at_index\` on \`certificate_orders\` (\`enterprise_id\`, \`created_at\`);`);

    this.addSql(`alter table \`signing_certificates\` add column \`enterprise_id\` text null constraint \`signing_certificates_enterprise_id_foreign\` references \`enterprises\` (\`id\`) on update cascade on delete set null;`);
    this.addSql(`alter table \`signing_certificates\` add column \`order_id\` text null;`);
    this.addSql(`alter table \`signing_certificates\` add column \`revoked_at\` datetime null;`);
    this.addSql(`alter table \`signing_certificates\` add column \`revocation_reason\` text null;`);
    this.addSql(`create index \`signing_certificates_enterprise_id_index\` on \`signing_certificates\` (\`enterprise_id\`);`);
  }

}
