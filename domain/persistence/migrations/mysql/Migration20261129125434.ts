import { Migration } from '@mikro-orm/migrations';

export class Migration20261129125434 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`audit_events\` (\`id\` varchar(36) not null, \`at\` datetime(3) not null, \`actor_id\` varchar(36) null, \`actor_name\` varchar(100) not null, \`action\` varchar(60) not null, \`target_type\` varchar(30) not null, \`target_id\` varchar(36) not null, \`enterprise_id\` varchar(36) null, \`detail\` text null, \`ip\` varchar(64) null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`audit_events\` add index \`audit_events_at_index\`(\`at\`);`);
    this.addSql(`alter table \`audit_events\` add index \`audit_events_target_type_target_id_index\`(\`target_type\`, \`target_id\`);`);

    this.addSql(`create table \`ca_material\` (\`id\` varchar(36) not null, \`root_certificate_pem\` text not null, \`root_key_encrypted\` text not null, \`issuing_certificate_pem\` text not null, \`issuing_key_encrypted\` text not null, \`created_at\` datetime not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);

    this.addSql(`create table \`contracts\` (\`id\` varchar(36) not null, \`title\` varchar(200) not null, \`status\` varchar(20) not null, \`void_reason\` varchar(20) null, \`initiator_id\` varchar(36) not null, \`initiator_enterprise_id\` varchar(36) null, \`page_count\` int not null, \`document_version\` int not null, \`created_at\` datetime not null, \`expires_at\` datetime not null, \`completed_at\` datetime null, \`voided_at\` datetime null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`contracts\` add index \`contracts_status_index\`(\`status\`);`);
    this.addSql(`alter table \`contracts\` add index \`contracts_initiator_id_index\`(\`initiator_id\`);`);

    this.addSql(`create table \`contract_signers\` (\`id\` varchar(36) not null, \`contract_id\` varchar(36) not null, \`sign_order\` int not null, \`user_id\` varchar(36) not null, \`name\` varchar(100) not null, \`mobile\` varchar(20) not null, \`status\` varchar(20) not null, \`signed_at\` datetime null, \`page\` int not null, \`x\` double not null, \`y\` double not null, \`field_name\` varchar(100) not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`contract_signers\` add index \`contract_signers_contract_id_index\`(\`contract_id\`);`);
    this.addSql(`alter table \`contract_signers\` add index \`contract_signers_user_id_index\`(\`user_id\`);`);

    this.addSql(`create table \`document_versions\` (\`id\` varchar(36) not null, \`contract_id\` varchar(36) not null, \`version\` int not null, \`storage_key\` varchar(255) not null, \`sha256\` varchar(64) not null, \`size\` int not null, \`signer_id\` varchar(36) null, \`created_at\` datetime not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`document_versions\` add unique \`document_versions_contract_id_version_unique\`(\`contract_id\`, \`version\`);`);

    this.addSql(`create table \`sessions\` (\`id\` varchar(36) not null, \`token_hash\` varchar(64) not null, \`user_id\` varchar(36) not null, \`created_at\` datetime not null, \`expires_at\` datetime not null, \`ip\` varchar(64) null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`sessions\` add unique \`sessions_token_hash_unique\`(\`token_hash\`);`);
    this.addSql(`alter table \`sessions\` add index \`sessions_user_id_index\`(\`user_id\`);`);

    this.addSql(`create table \`signing_certificates\` (\`id\` varchar(36) not null, \`owner_type\` varchar(20) not null, \`owner_id\` varchar(36) not null, \`subject\` varchar(500) not null, \`issuer\` varchar(500) not null, \`serial_number\` varchar(64) not null, \`not_before\` datetime not null, \`not_after\` datetime not null, \`certificate_pem\` text not null, \`private_key_encrypted\` text not null, \`status\` varchar(20) not null, \`created_at\` datetime not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`signing_certificates\` add unique \`signing_certificates_serial_number_unique\`(\`serial_number\`);`);
    this.addSql(`alter table \`signing_certificates\` add index \`signing_certificates_owner_type_owner_id_index\`(\`owner_type\`, \`owner_id\`);`);

    this.addSql(`create table \`sms_challenges\` (\`id\` varchar(36) not null, \`mobile\` varchar(20) not null, \`purpose\` varchar(40) not null, \`subject\` varchar(100) not null, \`code_hash\` varchar(64) not null, \`created_at\` datetime not null, \`expires_at\` datetime not null, \`attempts\` int not null, \`consumed_at\` datetime null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`sms_challenges\` add index \`sms_challenges_mobile_purpose_subject_index\`(\`mobile\`, \`purpose\`, \`subject\`);`);

    this.addSql(`create table \`sms_outbox\` (\`id\` varchar(36) not null, \`mobile\` varchar(20) not null, \`purpose\` varchar(40) not null, \`content\` varchar(500) not null, \`created_at\` datetime not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`sms_outbox\` add index \`sms_outbox_mobile_index\`(\`mobile\`);`);

    this.addSql(`create table \`users\` (\`id\` varchar(36) not null, \`mobile\` varchar(20) not null, \`name\` varchar(100) not null, \`password_hash\` varchar(255) not null, \`platform_role\` varchar(20) null, \`created_at\` datetime not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`users\` add unique \`users_mobile_unique\`(\`mobile\`);`);

    this.addSql(`create table \`willingness_confirmations\` (\`id\` varchar(36) not null, \`contract_id\` varchar(36) not null, \`signer_id\` varchar(36) not null, \`user_id\` varchar(36) not null, \`method\` varchar(20) not null, \`confirmed_at\` datetime not null, \`used_at\` datetime null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`willingness_confirmations\` add index \`willingness_confirmations_contract_id_index\`(\`contract_id\`);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`audit_events\`;`);

    this.addSql(`drop table if exists \`ca_material\`;`);

    this.addSql(`drop table if exists \`contracts\`;`);

    this.addSql(`drop table if exists \`contract_signers\`;`);

    this.addSql(`drop table if exists \`document_versions\`;`);

    this.addSql(`drop table if exists \`sessions\`;`);

    this.addSql(`drop table if exists \`signing_certificates\`;`);

    this.addSql(`drop table if exists \`sms_challenges\`;`);

    this.addSql(`drop table if exists \`sms_outbox\`;`);

    this.addSql(`drop table if exists \`users\`;`);

    this.addSql(`drop table if exists \`willingness_confirmations\`;`);
  }

}
