import { Migration } from '@mikro-orm/migrations';

export class Migration20261129131131 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`admin_applications\` (\`id\` text not null, \`enterprise_id\` text not null, \`user_id\` text not null, \`reason\` text not null, \`authorization_letter_key\` text not null, \`authorization_letter_type\` text not null, \`status\` text not null, \`reject_reason\` text null, \`reviewed_by\` text null, \`reviewed_at\` datetime null, \`created_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create index \`admin_applications_enterprise_id_index\` on \`admin_applications\` (\`enterprise_id\`);`);
    this.addSql(`create index \`admin_applications_user_id_index\` on \`admin_applications\` (\`user_id\`);`);
    this.addSql(`create index \`admin_applications_status_index\` on \`admin_applications\` (\`status\`);`);

    this.addSql(`create table \`admin_transfers\` (\`id\` text not null, \`enterprise_id\` text not null, \`from_user_id\` text not null, \`to_user_id\` text not null, \`status\` text not null, \`deadline\` datetime not null, \`created_at\` datetime not null, \`finished_at\` datetime null, primary key (\`id\`));`);
    this.addSql(`create index \`admin_transfers_enterprise_id_index\` on \`admin_transfers\` (\`enterprise_id\`);`);
    this.addSql(`create index \`admin_transfers_to_user_id_index\` on \`admin_transfers\` (\`to_user_id\`);`);

    this.addSql(`create table \`code_submissions\` (\`id\` text not null, \`user_id\` text not null, \`subject\` text not null, \`code_hash\` text not null, \`created_at\` datetime not null, primary key (\`id\`));`);

    this.addSql(`create table \`enterprises\` (\`id\` text not null, \`name\` text not null, \`uscc\` text not null, \`legal_representative\` text not null, \`status\` text not null, \`reject_reason\` text null, \`certifier_user_id\` text not null, \`admin_user_id\` text null, \`authorization_letter_key\` text not null, \`authorization_letter_type\` text not null, \`applied_seal_types\` text not null, \`created_at\` datetime not null, \`submitted_at\` datetime not null, \`certified_at\` datetime null, \`reviewed_by\` text null, primary key (\`id\`));`);
    this.addSql(`create index \`enterprises_name_index\` on \`enterprises\` (\`name\`);`);
    this.addSql(`create index \`enterprises_uscc_index\` on \`enterprises\` (\`uscc\`);`);
    this.addSql(`create index \`enterprises_status_index\` on \`enterprises\` (\`status\`);`);
    this.addSql(`create index \`enterprises_certifier_user_id_index\` on \`enterprises\` (\`certifier_user_id\`);`);

    this.addSql(`create table \`memberships\` (\`id\` text not null, \`enterprise_id\` text not null, \`user_id\` text not null, \`role\` text not null, \`business_types\` text not null, \`status\` text not null, \`message\` text null, \`reject_reason\` text null, \`applied_at\` datetime not null, \`decided_at\` datetime null, \`decided_by\` text null, primary key (\`id\`));`);
    this.addSql(`create index \`memberships_enterprise_id_status_index\` on \`memberships\` (\`enterprise_id\`, \`status\`);`);
    this.addSql(`create index \`memberships_user_id_status_index\` on \`memberships\` (\`user_id\`, \`status\`);`);

    this.addSql(`create table \`platform_settings\` (\`key\` text not null, \`value\` text not null, \`updated_at\` datetime not null, \`updated_by\` text null, primary key (\`key\`));`);

    this.addSql(`create table \`real_name_applications\` (\`id\` text not null, \`user_id\` text not null, \`name\` text not null, \`id_number_encrypted\` text not null, \`id_number_masked\` text not null, \`mobile\` text not null, \`status\` text not null, \`reject_reason\` text null, \`reviewed_by\` text null, \`reviewed_at\` datetime null, \`created_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create index \`real_name_applications_user_id_index\` on \`real_name_applications\` (\`user_id\`);`);
    this.addSql(`create index \`real_name_applications_status_index\` on \`real_name_applications\` (\`status\`);`);

    this.addSql(`create table \`seals\` (\`id\` text not null, \`enterprise_id\` text not null, \`type\` text not null, \`name\` text not null, \`status\` text not null, \`created_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create index \`seals_enterprise_id_index\` on \`seals\` (\`enterprise_id\`);`);

    this.addSql(`create table \`seal_authorizations\` (\`id\` text not null, \`enterprise_id\` text not null, \`seal_id\` text not null, \`user_id\` text not null, \`granted_by\` text not null, \`granted_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create index \`seal_authorizations_enterprise_id_user_id_index\` on \`seal_authorizations\` (\`enterprise_id\`, \`user_id\`);`);
    this.addSql(`create unique index \`seal_authorizations_seal_id_user_id_unique\` on \`seal_authorizations\` (\`seal_id\`, \`user_id\`);`);

    this.addSql(`alter table \`sessions\` add column \`acting_enterprise_id\` text null;`);

    this.addSql(`alter table \`sms_challenges\` add column \`request_ip\` text null;`);

    this.addSql(`alter table \`users\` add column \`email\` text null;`);
    this.addSql(`alter table \`users\` add column \`real_name_status\` text not null default 'unverified';`);
    this.addSql(`alter table \`users\` add column \`failed_login_count\` integer not null default 0;`);
    this.addSql(`alter table \`users\` add column \`locked_until\` datetime null;`);
  }

}
