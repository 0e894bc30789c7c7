import { Migration } from '@mikro-orm/migrations';

/**
 * Foreign keys for the contract tables, in the same way as Migration20261201160223: SQLite cannot
 * add a constraint to an existing table, so each table is rebuilt (create with constraints, copy,
 * drop, rename, indexes), parents before children. Written by hand from the schema generator's
 * CREATE statements.
 */
export class Migration20261201172100 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`contracts__temp_alter\` (\`id\` text not null, \`title\` text not null, \`status\` text not null, \`void_reason\` text null, \`initiator_id\` text not null, \`initiator_enterprise_id\` text null, \`page_count\` integer not null, \`document_version\` integer not null, \`created_at\` datetime not null, \`expires_at\` datetime not null, \`completed_at\` datetime null, \`voided_at\` datetime null, constraint \`contracts_initiator_id_foreign\` foreign key(\`initiator_id\`) references \`users\`(\`id\`) on update cascade, primary key (\`id\`));`);
    this.addSql(`insert into \`contracts__temp_alter\` (\`id\`, \`title\`, \`status\`, \`void_reason\`, \`initiator_id\`, \`initiator_enterprise_id\`, \`page_count\`, \`document_version\`, \`created_at\`, \`expires_at\`, \`completed_at\`, \`voided_at\`) select \`id\`, \`title\`, \`status\`, \`void_reason\`, \`initiator_id\`, \`initiator_enterprise_id\`, \`page_count\`, \`document_version\`, \`created_at\`, \`expires_at\`, \`completed_at\`, \`voided_at\` from \`contracts\`;`);
    this.addSql(`drop table \`contracts\`;`);
    this.addSql(`alter table \`contracts__temp_alter\` rename to \`contracts\`;`);
    this.addSql(`create index \`contracts_status_index\` on \`contracts\` (\`status\`);`);
    this.addSql(`create index \`contracts_initiator_id_index\` on \`contracts\` (\`initiator_id\`);`);

    this.addSql(`create table \`contract_signers__temp_alter\` (\`id\` text not null, \`contract_id\` text not null, \`sign_order\` integer not null, \`user_id\` text not null, \`name\` text not null, \`mobile\` text not null, \`status\` text not null, \`signed_at\` datetime null, \`page\` integer not null, \`x\` double not null, \`y\` double not null, \`field_name\` text not null, constraint \`contract_signers_contract_id_foreign\` foreign key(\`contract_id\`) references \`contracts\`(\`id\`) on update cascade, constraint \`contract_signers_user_id_foreign\` foreign key(\`user_id\`) references \`users\`(\`id\`) on update cascade, primary key (\`id\`));`);
    this.addSql(`insert into \`contract_signers__temp_alter\` (\`id\`, \`contract_id\`, \`sign_order\`, \`user_id\`, \`name\`, \`mobile\`, \`status\`, \`signed_at\`, \`page\`, \`x\`, \`y\`, \`field_name\`) select \`id\`, \`contract_id\`, \`sign_order\`, \`user_id\`, \`name\`, \`mobile\`, \`status\`, \`signed_at\`, \`page\`, \`x\`, \`y\`, \`field_name\` from \`contract_signers\`;`);
    this.addSql(`drop table \`contract_signers\`;`);
    this.addSql(`alter table \`contract_signers__temp_alter\` rename to \`contract_signers\`;`);
    this.addSql(`create index \`contract_signers_contract_id_index\` on \`contract_signers\` (\`contract_id\`);`);
    this.addSql(`create index \`contract_signers_user_id_index\` on \`contract_signers\` (\`user_id\`);`);

    this.addSql(`create table \`document_versions__temp_alter\` (\`id\` text not null, \`contract_id\` text not null, \`version\` integer not null, \`storage_key\` text not null, \`sha256\` text not null, \`size\` integer not null, \`signer_id\` text null, \`created_at\` datetime not null, constraint \`document_versions_contract_id_foreign\` foreign key(\`contract_id\`) references \`contracts\`(\`id\`) on update cascade, constraint \`document_versions_signer_id_foreign\` foreign key(\`signer_id\`) references \`contract_signers\`(\`id\`) on delete set null on update cascade, primary key (\`id\`));`);
    this.addSql(`insert into \`document_versions__temp_alter\` (\`id\`, \`contract_id\`, \`version\`, \`storage_key\`, \`sha256\`, \`size\`, \`signer_id\`, \`created_at\`) select \`id\`, \`contract_id\`, \`version\`, \`storage_key\`, \`sha256\`, \`size\`, \`signer_id\`, \`created_at\` from \`document_versions\`;`);
    this.addSql(`drop table \`document_versions\`;`);
    this.addSql(`alter table \`document_versions__temp_alter\` rename to \`document_versions\`;`);
    this.addSql(`create index \`document_versions_contract_id_index\` on \`document_versions\` (\`contract_id\`);`);
    this.addSql(`create index \`document_versions_signer_id_index\` on \`document_versions\` (\`signer_id\`);`);
    this.addSql(`create unique index \`document_versions_contract_id_version_unique\` on \`document_versions\` (\`contract_id\`, \`version\`);`);

    this.addSql(`create table \`willingness_confirmations__temp_alter\` (\`id\` text not null, \`contract_id\` text not null, \`signer_id\` text not null, \`user_id\` text not null, \`method\` text not null, \`confirmed_at\` datetime not null, \`used_at\` datetime null, \`ip\` text null, \`code_hash\` text null, constraint \`willingness_confirmations_contract_id_foreign\` foreign key(\`contract_id\`) references \`contracts\`(\`id\`) on update cascade, constraint \`willingness_confirmations_signer_id_foreign\` foreign key(\`signer_id\`) references \`contract_signers\`(\`id\`) on update cascade, constraint \`willingness_confirmations_user_id_foreign\` foreign key(\`user_id\`) references \`users\`(\`id\`) on update cascade, primary key (\`id\`));`);
    this.addSql(`insert into \`willingness_confirmations__temp_alter\` (\`id\`, \`contract_id\`, \`signer_id\`, \`user_id\`, \`method\`, \`confirmed_at\`, \`used_at\`, \`ip\`, \`code_hash\`) select \`id\`, \`contract_id\`, \`signer_id\`, \`user_id\`, \`method\`, \`confirmed_at\`, \`used_at\`, \`ip\`, \`code_hash\` from \`willingness_confirmations\`;`);
    this.addSql(`drop table \`willingness_confirmations\`;`);
    this.addSql(`alter table \`willingness_confirmations__temp_alter\` rename to \`willingness_confirmations\`;`);
    this.addSql(`create index \`willingness_confirmations_contract_id_index\` on \`willingness_confirmations\` (\`contract_id\`);`);
    this.addSql(`create index \`willingness_confirmations_signer_id_index\` on \`willingness_confirmations\` (\`signer_id\`);`);
    this.addSql(`create index \`willingness_confirmations_user_id_index\` on \`willingness_confirmations\` (\`user_id\`);`);

    this.addSql(`create table \`idempotency_keys__temp_alter\` (\`id\` text not null, \`user_id\` text not null, \`scope\` text not null, \`key\` text not null, \`resource_id\` text not null, \`created_at\` datetime not null, constraint \`idempotency_keys_user_id_foreign\` foreign key(\`user_id\`) references \`users\`(\`id\`) on update cascade, primary key (\`id\`));`);
    this.addSql(`insert into \`idempotency_keys__temp_alter\` (\`id\`, \`user_id\`, \`scope\`, \`key\`, \`resource_id\`, \`created_at\`) select \`id\`, \`user_id\`, \`scope\`, \`key\`, \`resource_id\`, \`created_at\` from \`idempotency_keys\`;`);
    this.addSql(`drop table \`idempotency_keys\`;`);
    this.addSql(`alter table \`idempotency_keys__temp_alter\` rename to \`idempotency_keys\`;`);
    this.addSql(`create index \`idempotency_keys_user_id_index\` on \`idempotency_keys\` (\`user_id\`);`);
    this.addSql(`create index \`idempotency_keys_resource_id_index\` on \`idempotency_keys\` (\`resource_id\`);`);
    this.addSql(`create index \`idempotency_keys_created_at_index\` on \`idempotency_keys\` (\`created_at\`);`);
    this.addSql(`create unique index \`idempotency_keys_user_id_scope_key_unique\` on \`idempotency_keys\` (\`user_id\`, \`scope\`, \`key\`);`);
  }

}
