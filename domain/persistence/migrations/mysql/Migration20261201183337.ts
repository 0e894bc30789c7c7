import { Migration } from '@mikro-orm/migrations';

export class Migration20261201183337 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`personal_signatures\` (\`id\` varchar(36) not null, \`user_id\` varchar(36) not null, \`kind\` varchar(20) not null, \`image_key\` varchar(200) not null, \`image_sha256\` varchar(64) not null, \`width\` int not null, \`height\` int not null, \`created_at\` datetime(3) not null, \`deleted_at\` datetime(3) null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`personal_signatures\` add index \`personal_signatures_user_id_index\`(\`user_id\`);`);
    this.addSql(`alter table \`personal_signatures\` add index \`personal_signatures_user_id_deleted_at_index\`(\`user_id\`, \`deleted_at\`);`);

    this.addSql(`create table \`signature_settings\` (\`id\` varchar(36) not null, \`user_id\` varchar(36) not null, \`default_signature_id\` varchar(36) null, \`date_seal_enabled\` tinyint(1) not null, \`date_format\` varchar(20) not null, \`date_color\` varchar(10) not null, \`handwritten_count\` int not null, \`updated_at\` datetime(3) not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`signature_settings\` add index \`signature_settings_user_id_index\`(\`user_id\`);`);
    this.addSql(`alter table \`signature_settings\` add unique \`signature_settings_user_id_unique\`(\`user_id\`);`);
    this.addSql(`alter table \`signature_settings\` add index \`signature_settings_default_signature_id_index\`(\`default_signature_id\`);`);

    this.addSql(`create table \`signature_capture_sessions\` (\`id\` varchar(36) not null, \`user_id\` varchar(36) not null, \`token_hash\` varchar(64) not null, \`created_at\` datetime(3) not null, \`expires_at\` datetime(3) not null, \`used_at\` datetime(3) null, \`signature_id\` varchar(36) null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`signature_capture_sessions\` add index \`signature_capture_sessions_user_id_index\`(\`user_id\`);`);
    this.addSql(`alter table \`signature_capture_sessions\` add unique \`signature_capture_sessions_token_hash_unique\`(\`token_hash\`);`);
    this.addSql(`alter table \`signature_capture_sessions\` add index \`signature_capture_sessions_signature_id_index\`(\`signature_id\`);`);
    this.addSql(`alter table \`signature_capture_sessions\` add index \`signature_capture_sessions_user_id_expires_at_index\`(\`user_id\`, \`expires_at\`);`);

    this.addSql(`create table \`certificate_orders\` (\`id\` varchar(36) not null, \`enterprise_id\` varchar(36) not null, \`seal_id\` varchar(36) not null, \`kind\` varchar(20) not null, \`renews_certificate_id\` varchar(36) null, \`status\` varchar(30) not null, \`ca_order_id\` varchar(64) null, \`amount_fen\` int null, \`reject_reason\` varchar(500) null, \`private_key_encrypted\` text null, \`csr_pem\` text null, \`certificate_id\` varchar(36) null, \`created_by\` varchar(36) not null, \`created_at\` datetime(3) not null, \`submitted_at\` datetime null, \`paid_at\` datetime null, \`audited_at\` datetime null, \`issued_at\` datetime null, \`ended_at\` datetime null, \`last_polled_at\` datetime null, \`live_key\` varchar(36) null, \`version\` int not null default 1, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`certificate_orders\` add index \`certificate_orders_enterprise_id_index\`(\`enterprise_id\`);`);
    this.addSql(`alter table \`certificate_orders\` add index \`certificate_orders_seal_id_index\`(\`seal_id\`);`);
    this.addSql(`alter table \`certificate_orders\` add index \`certificate_orders_renews_certificate_id_index\`(\`renews_certificate_id\`);`);
    this.addSql(`alter table \`certificate_orders\` add index \`certificate_orders_status_index\`(\`status\`);`);
    this.addSql(`alter table \`certificate_orders\` add index \`certificate_orders_created_by_index\`(\`created_by\`);`);
    this.addSql(`alter table \`certificate_orders\` add unique \`certificate_orders_live_key_unique\`(\`live_key\`);`);
    this.addSql(`alter table \`certificate_orders\` add index \`certificate_orders_enterprise_id_created_at_index\`(\`enterprise_id\`, \`created_at\`);`);

    this.addSql(`alter table \`personal_signatures\` add constraint \`personal_signatures_user_id_foreign\` foreign key (\`user_id\`) references \`users\` (\`id\`) on update cascade;`);

    this.addSql(`alter table \`signature_settings\` add constraint \`signature_settings_user_id_foreign\` foreign key (\`user_id\`) references \`users\` (\`id\`) on update cascade;`);
    this.addSql(`alter table \`signature_settings\` add constraint \`signature_settings_default_signature_id_foreign\` foreign key (\`default_signature_id\`) references \`personal_signatures\` (\`id\`) on update cascade on delete set null;`);

    this.addSql(`alter table \`signature_capture_sessions\` add constraint \`signature_capture_sessions_user_id_foreign\` foreign key (\`user_id\`) references \`users\` (\`id\`) on update cascade;`);
    this.addSql(`alter table \`signature_capture_sessions\` add constraint \`signature_capture_sessions_signature_id_foreign\` foreign key (\`signature_id\`) references \`personal_signatures\` (\`id\`) on update cascade on delete set null;`);

    this.addSql(`alter table \`certificate_orders\` add constraint \`certificate_orders_enterprise_id_foreign\` foreign key (\`enterprise_id\`) references \`enterprises\` (\`id\`) on update cascade;`);
    this.addSql(`alter table \`certificate_orders\` add constraint \`certificate_orders_seal_id_foreign\` foreign key (\`seal_id\`) references \`seals\` (\`id\`) on update cascade;`);
    this.addSql(`alter table \`certificate_orders\` add constraint \`certificate_orders_renews_certificate_id_foreign\` foreign key (\`renews_certificate_id\`) references \`signing_certificates\` (\`id\`) on update cascade on delete set null;`);
    this.addSql(`alter table \`certificate_orders\` add constraint \`certificate_orders_created_by_foreign\` foreign key (\`created_by\`) references \`users\` (\`id\`) on update cascade;`);

    this.addSql(`alter table \`signing_certificates\` add \`enterprise_id\` varchar(36) null, add \`order_id\` varchar(36) null, add \`revoked_at\` datetime null, add \`revocation_reason\` varchar(500) null;`);
    this.addSql(`alter table \`signing_certificates\` add constraint \`signing_certificates_enterprise_id_foreign\` foreign key (\`enterprise_id\`) references \`enterprises\` (\`id\`) on update cascade on delete set null;`);
    this.addSql(`alter table \`signing_certificates\` add index \`signing_certificates_enterprise_id_index\`(\`enterprise_id\`);`);

  }

  override async down(): Promise<void> {
    this.addSql(`alter table \`signature_settings\` drop foreign key \`signature_settings_default_signature_id_foreign\`;`);

    this.addSql(`alter table \`signature_capture_sessions\` drop foreign key \`signature_capture_sessions_signature_id_foreign\`;`);

    this.addSql(`drop table if exists \`personal_signatures\`;`);

    this.addSql(`drop table if exists \`signature_settings\`;`);

    this.addSql(`drop table if exists \`signature_capture_sessions\`;`);

    this.addSql(`drop table if exists \`certificate_orders\`;`);

    this.addSql(`alter table \`signing_certificates\` drop foreign key \`signing_certificates_enterprise_id_foreign\`;`);

    this.addSql(`alter table \`signing_certificates\` drop index \`signing_certificates_enterprise_id_index\`;`);
    this.addSql(`alter table \`signing_certificates\` drop column \`enterprise_id\`, drop column \`order_id\`, drop column \`revoked_at\`, drop column \`revocation_reason\`;`);

  }

}
