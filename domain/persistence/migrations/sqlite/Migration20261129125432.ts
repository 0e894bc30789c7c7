import { Migration } from '@mikro-orm/migrations';

export class Migration20261129125432 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`audit_events\` (\`id\` text not null, \`at\` datetime not null, \`actor_id\` text null, \`actor_name\` text not null, \`action\` text not null, \`target_type\` text not null, \`target_id\` text not null, \`enterprise_id\` text null, \`detail\` text null, \`ip\` text null, primary key (\`id\`));`);
    this.addSql(`create index \`audit_events_at_index\` on \`audit_events\` (\`at\`);`);
    this.addSql(`create index \`audit_events_target_type_target_id_index\` on \`audit_events\` (\`target_type\`, \`target_id\`);`);

    this.addSql(`create table \`ca_material\` (\`id\` text not null, \`root_certificate_pem\` text not null, \`root_key_encrypted\` text not null, \`issuing_certificate_pem\` text not null, \`issuing_key_encrypted\` text not null, \`created_at\` datetime not null, primary key (\`id\`));`);

    this.addSql(`create table \`contracts\` (\`id\` text not null, \`title\` text not null, \`status\` text not null, \`void_reason\` text null, \`initiator_id\` text not null, \`initiator_enterprise_id\` text null, \`page_count\` integer not null, \`document_version\` integer not null, \`created_at\` datetime not null, \`expires_at\` datetime not null, \`completed_at\` datetime null, \`voided_at\` datetime null, primary key (\`id\`));`);
    this.addSql(`create index \`contracts_status_index\` on \`contracts\` (\`status\`);`);
    this.addSql(`create index \`contracts_initiator_id_index\` on \`contracts\` (\`initiator_id\`);`);

    this.addSql(`create table \`contract_signers\` (\`id\` text not null, \`contract_id\` text not null, \`sign_order\` integer not null, \`user_id\` text not null, \`name\` text not null, \`mobile\` text not null, \`status\` text not null, \`signed_at\` datetime null, \`page\` integer not null, \`x\` double not null, \`y\` double not null, \`field_name\` text not null, primary key (\`id\`));`);
    this.addSql(`create index \`contract_signers_contract_id_index\` on \`contract_signers\` (\`contract_id\`);`);
    this.addSql(`create index \`contract_signers_user_id_index\` on \`contract_signers\` (\`user_id\`);`);

    this.addSql(`create table \`document_versions\` (\`id\` text not null, \`contract_id\` text not null, \`version\` integer not null, \`storage_key\` text not null, \`sha256\` text not null, \`size\` integer not null, \`signer_id\` text null, \`created_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create unique index \`document_versions_contract_id_version_unique\` on \`document_versions\` (\`contract_id\`, \`version\`);`);

    this.addSql(`create table \`sessions\` (\`id\` text not null, \`token_hash\` text not null, \`user_id\` text not null, \`created_at\` datetime not null, \`expires_at\` datetime not null, \`ip\` text null, primary key (\`id\`));`);
    this.addSql(`create unique index \`sessions_token_hash_unique\` on \`sessions\` (\`token_hash\`);`);
    this.addSql(`create index \`sessions_user_id_index\` on \`sessions\` (\`user_id\`);`);

    this.addSql(`create table \`signing_certificates\` (\`id\` text not null, \`owner_type\` text not null, \`owner_id\` text not null, \`subject\` text not null, \`issuer\` text not null, \`serial_number\` text not null, \`not_before\` datetime not null, \`not_after\` datetime not null, \`certificate_pem\` text not null, \`private_key_encrypted\` text not null, \`status\` text not null, \`created_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create unique index \`signing_certificates_serial_number_unique\` on \`signing_certificates\` (\`serial_number\`);`);
    this.addSql(`create index \`signing_certificates_owner_type_owner_id_index\` on \`signing_certificates\` (\`owner_type\`, \`owner_id\`);`);

    this.addSql(`create table \`sms_challenges\` (\`id\` text not null, \`mobile\` text not null, \`purpose\` text not null, \`subject\` text not null, \`code_hash\` text not null, \`created_at\` datetime not null, \`expires_at\` datetime not null, \`attempts\` integer not null, \`consumed_at\` datetime null, primary key (\`id\`));`);
    this.addSql(`create index \`sms_challenges_mobile_purpose_subject_index\` on \`sms_challenges\` (\`mobile\`, \`purpose\`, \`subject\`);`);

    this.addSql(`create table \`sms_outbox\` (\`id\` text not null, \`mobile\` text not null, \`purpose\` text not null, \`content\` text not null, \`created_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create index \`sms_outbox_mobile_index\` on \`sms_outbox\` (\`mobile\`);`);

    this.addSql(`create table \`users\` (\`id\` text not null, \`mobile\` text not null, \`name\` text not null, \`password_hash\` text not null, \`platform_role\` text null, \`created_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create unique index \`users_mobile_unique\` on \`users\` (\`mobile\`);`);

    this.addSql(`create table \`willingness_confirmations\` (\`id\` text not null, \`contract_id\` text not null, \`signer_id\` text not null, \`user_id\` text not null, \`method\` text not null, \`confirmed_at\` datetime not null, \`used_at\` datetime null, primary key (\`id\`));`);
    this.addSql(`create index \`willingness_confirmations_contract_id_index\` on \`willingness_confirmations\` (\`contract_id\`);`);
  }

}
