import { Migration } from '@mikro-orm/migrations';

export class Migration20261129131133 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`admin_applications\` (\`id\` varchar(36) not null, \`enterprise_id\` varchar(36) not null, \`user_id\` varchar(36) not null, \`reason\` varchar(500) not null, \`authorization_letter_key\` varchar(255) not null, \`authorization_letter_type\` varchar(50) not null, \`status\` varchar(20) not null, \`reject_reason\` varchar(500) null, \`reviewed_by\` varchar(36) null, \`reviewed_at\` datetime null, \`created_at\` datetime not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`admin_applications\` add index \`admin_applications_enterprise_id_index\`(\`enterprise_id\`);`);
    this.addSql(`alter table \`admin_applications\` add index \`admin_applications_user_id_index\`(\`user_id\`);`);
    this.addSql(`alter table \`admin_applications\` add index \`admin_applications_status_index\`(\`status\`);`);

    this.addSql(`create table \`admin_transfers\` (\`id\` varchar(36) not null, \`enterprise_id\` varchar(36) not null, \`from_user_id\` varchar(36) not null, \`to_user_id\` varchar(36) not null, \`status\` varchar(30) not null, \`deadline\` datetime not null, \`created_at\` datetime not null, \`finished_at\` datetime null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`admin_transfers\` add index \`admin_transfers_enterprise_id_index\`(\`enterprise_id\`);`);
    this.addSql(`alter table \`admin_transfers\` add index \`admin_transfers_to_user_id_index\`(\`to_user_id\`);`);

    this.addSql(`create table \`code_submissions\` (\`id\` varchar(36) not null, \`user_id\` varchar(36) not null, \`subject\` varchar(100) not null, \`code_hash\` varchar(64) not null, \`created_at\` datetime not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);

    this.addSql(`create table \`enterprises\` (\`id\` varchar(36) not null, \`name\` varchar(200) not null, \`uscc\` varchar(18) not null, \`legal_representative\` varchar(100) not null, \`status\` varchar(20) not null, \`reject_reason\` varchar(500) null, \`certifier_user_id\` varchar(36) not null, \`admin_user_id\` varchar(36) null, \`authorization_letter_key\` varchar(255) not null, \`authorization_letter_type\` varchar(50) not null, \`applied_seal_types\` text not null, \`created_at\` datetime not null, \`submitted_at\` datetime not null, \`certified_at\` datetime null, \`reviewed_by\` varchar(36) null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`enterprises\` add index \`enterprises_name_index\`(\`name\`);`);
    this.addSql(`alter table \`enterprises\` add index \`enterprises_uscc_index\`(\`uscc\`);`);
    this.addSql(`alter table \`enterprises\` add index \`enterprises_status_index\`(\`status\`);`);
    this.addSql(`alter table \`enterprises\` add index \`enterprises_certifier_user_id_index\`(\`certifier_user_id\`);`);

    this.addSql(`create table \`memberships\` (\`id\` varchar(36) not null, \`enterprise_id\` varchar(36) not null, \`user_id\` varchar(36) not null, \`role\` varchar(20) not null, \`business_types\` text not null, \`status\` varchar(20) not null, \`message\` varchar(500) null, \`reject_reason\` varchar(500) null, \`applied_at\` datetime not null, \`decided_at\` datetime null, \`decided_by\` varchar(36) null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`memberships\` add index \`memberships_enterprise_id_status_index\`(\`enterprise_id\`, \`status\`);`);
    this.addSql(`alter table \`memberships\` add index \`memberships_user_id_status_index\`(\`user_id\`, \`status\`);`);

    this.addSql(`create table \`platform_settings\` (\`key\` varchar(60) not null, \`value\` text not null, \`updated_at\` datetime not null, \`updated_by\` varchar(36) null, primary key (\`key\`)) default character set utf8mb4 engine = InnoDB;`);

    this.addSql(`create table \`real_name_applications\` (\`id\` varchar(36) not null, \`user_id\` varchar(36) not null, \`name\` varchar(100) not null, \`id_number_encrypted\` text not null, \`id_number_masked\` varchar(20) not null, \`mobile\` varchar(20) not null, \`status\` varchar(20) not null, \`reject_reason\` varchar(500) null, \`reviewed_by\` varchar(36) null, \`reviewed_at\` datetime null, \`created_at\` datetime not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`real_name_applications\` add index \`real_name_applications_user_id_index\`(\`user_id\`);`);
    this.addSql(`alter table \`real_name_applications\` add index \`real_name_applications_status_index\`(\`status\`);`);

    this.addSql(`create table \`seals\` (\`id\` varchar(36) not null, \`enterprise_id\` varchar(36) not null, \`type\` varchar(40) not null, \`name\` varchar(200) not null, \`status\` varchar(20) not null, \`created_at\` datetime not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`seals\` add index \`seals_enterprise_id_index\`(\`enterprise_id\`);`);

    this.addSql(`create table \`seal_authorizations\` (\`id\` varchar(36) not null, \`enterprise_id\` varchar(36) not null, \`seal_id\` varchar(36) not null, \`user_id\` varchar(36) not null, \`granted_by\` varchar(36) not null, \`granted_at\` datetime not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`seal_authorizations\` add index \`seal_authorizations_enterprise_id_user_id_index\`(\`enterprise_id\`, \`user_id\`);`);
    this.addSql(`alter table \`seal_authorizations\` add unique \`seal_authorizations_seal_id_user_id_unique\`(\`seal_id\`, \`user_id\`);`);

    this.addSql(`alter table \`sessions\` add \`acting_enterprise_id\` varchar(36) null;`);

    this.addSql(`alter table \`sms_challenges\` add \`request_ip\` varchar(64) null;`);

    this.addSql(`alter table \`users\` add \`email\` varchar(200) null, add \`real_name_status\` varchar(20) not null default 'unverified', add \`failed_login_count\` int not null default 0, add \`locked_until\` datetime null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`admin_applications\`;`);

    this.addSql(`drop table if exists \`admin_transfers\`;`);

    this.addSql(`drop table if exists \`code_submissions\`;`);

    this.addSql(`drop table if exists \`enterprises\`;`);

    this.addSql(`drop table if exists \`memberships\`;`);

    this.addSql(`drop table if exists \`platform_settings\`;`);

    this.addSql(`drop table if exists \`real_name_applications\`;`);

    this.addSql(`drop table if exists \`seals\`;`);

    this.addSql(`drop table if exists \`seal_authorizations\`;`);

    this.addSql(`alter table \`sessions\` drop column \`acting_enterprise_id\`;`);

    this.addSql(`alter table \`sms_challenges\` drop column \`request_ip\`;`);

    this.addSql(`alter table \`users\` drop column \`email\`, drop column \`real_name_status\`, drop column \`failed_login_count\`, drop column \`locked_until\`;`);

  }

}
