import { Migration } from '@mikro-orm/migrations';

/**
 * Foreign keys for the identity and enterprise tables. SQLite cannot add a constraint to an
 * existing table: each table is rebuilt (create with constraints, copy, drop, rename, indexes),
 * parents before children, so existing rows are checked against their parents as they are copied.
 * Written by hand from the schema generator's CREATE statements (its SQLite diff misses most of
 * the added foreign keys).
 */
export class Migration20261201160223 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`enterprises__temp_alter\` (\`id\` text not null, \`name\` text not null, \`uscc\` text not null, \`legal_representative\` text not null, \`status\` text not null, \`reject_reason\` text null, \`certifier_user_id\` text not null, \`admin_user_id\` text null, \`authorization_letter_key\` text not null, \`authorization_letter_type\` text not null, \`applied_seal_types\` text not null, \`created_at\` datetime not null, \`submitted_at\` datetime not null, \`certified_at\` datetime null, \`reviewed_by\` text null, \`live_key\` text null, \`version\` integer not null default 1, constraint \`enterprises_certifier_user_id_foreign\` foreign key(\`certifier_user_id\`) references \`users\`(\`id\`) on update cascade, constraint \`enterprises_admin_user_id_foreign\` foreign key(\`admin_user_id\`) references \`users\`(\`id\`) on delete set null on update cascade, primary key (\`id\`));`);
    this.addSql(`insert into \`enterprises__temp_alter\` (\`id\`, \`name\`, \`uscc\`, \`legal_representative\`, \`status\`, \`reject_reason\`, \`certifier_user_id\`, \`admin_user_id\`, \`authorization_letter_key\`, \`authorization_letter_type\`, \`applied_seal_types\`, \`created_at\`, \`submitted_at\`, \`certified_at\`, \`reviewed_by\`, \`live_key\`, \`version\`) select \`id\`, \`name\`, \`uscc\`, \`legal_representative\`, \`status\`, \`reject_reason\`, \`certifier_user_id\`, \`admin_user_id\`, \`authorization_letter_key\`, \`authorization_letter_type\`, \`applied_seal_types\`, \`created_at\`, \`submitted_at\`, \`certified_at\`, \`reviewed_by\`, \`live_key\`, \`version\` from \`enterprises\`;`);
    this.addSql(`drop table \`enterprises\`;`);
    this.addSql(`alter table \`enterprises__temp_alter\` rename to \`enterprises\`;`);
    this.addSql(`create index \`enterprises_name_index\` on \`enterprises\` (\`name\`);`);
    this.addSql(`create index \`enterprises_uscc_index\` on \`enterprises\` (\`uscc\`);`);
    this.addSql(`create index \`enterprises_status_index\` on \`enterprises\` (\`status\`);`);
    this.addSql(`create index \`enterprises_certifier_user_id_index\` on \`enterprises\` (\`certifier_user_id\`);`);
    this.addSql(`create index \`enterprises_admin_user_id_index\` on \`enterprises\` (\`admin_user_id\`);`);
    this.addSql(`create unique index \`enterprises_live_key_unique\` on \`enterprises\` (\`live_key\`);`);

    this.addSql(`create table \`seals__temp_alter\` (\`id\` text not null, \`enterprise_id\` text not null, \`type\` text not null, \`name\` text not null, \`status\` text not null, \`created_at\` datetime not null, \`live_key\` text null, constraint \`seals_enterprise_id_foreign\` foreign key(\`enterprise_id\`) references \`enterprises\`(\`id\`) on update cascade, primary key (\`id\`));`);
    this.addSql(`insert into \`seals__temp_alter\` (\`id\`, \`enterprise_id\`, \`type\`, \`name\`, \`status\`, \`created_at\`, \`live_key\`) select \`id\`, \`enterprise_id\`, \`type\`, \`name\`, \`status\`, \`created_at\`, \`live_key\` from \`seals\`;`);
    this.addSql(`drop table \`seals\`;`);
    this.addSql(`alter table \`seals__temp_alter\` rename to \`seals\`;`);
    this.addSql(`create index \`seals_enterprise_id_index\` on \`seals\` (\`enterprise_id\`);`);
    this.addSql(`create unique index \`seals_live_key_unique\` on \`seals\` (\`live_key\`);`);

    this.addSql(`create table \`memberships__temp_alter\` (\`id\` text not null, \`enterprise_id\` text not null, \`user_id\` text not null, \`role\` text not null, \`business_types\` text not null, \`status\` text not null, \`message\` text null, \`reject_reason\` text null, \`applied_at\` datetime not null, \`decided_at\` datetime null, \`decided_by\` text null, \`live_key\` text null, \`version\` integer not null default 1, constraint \`memberships_enterprise_id_foreign\` foreign key(\`enterprise_id\`) references \`enterprises\`(\`id\`) on update cascade, constraint \`memberships_user_id_foreign\` foreign key(\`user_id\`) references \`users\`(\`id\`) on update cascade, primary key (\`id\`));`);
    this.addSql(`insert into \`memberships__temp_alter\` (\`id\`, \`enterprise_id\`, \`user_id\`, \`role\`, \`business_types\`, \`status\`, \`message\`, \`reject_reason\`, \`applied_at\`, \`decided_at\`, \`decided_by\`, \`live_key\`, \`version\`) select \`id\`, \`enterprise_id\`, \`user_id\`, \`role\`, \`business_types\`, \`status\`, \`message\`, \`reject_reason\`, \`applied_at\`, \`decided_at\`, \`decided_by\`, \`live_key\`, \`version\` from \`memberships\`;`);
    this.addSql(`drop table \`memberships\`;`);
    this.addSql(`alter table \`memberships__temp_alter\` rename to \`memberships\`;`);
    this.addSql(`create index \`memberships_enterprise_id_index\` on \`memberships\` (\`enterprise_id\`);`);
    this.addSql(`create index \`memberships_user_id_index\` on \`memberships\` (\`user_id\`);`);
    this.addSql(`create unique index \`memberships_live_key_unique\` on \`memberships\` (\`live_key\`);`);
    this.addSql(`create index \`memberships_enterprise_id_status_index\` on \`memberships\` (\`enterprise_id\`, \`status\`);`);
    this.addSql(`create index \`memberships_user_id_status_index\` on \`memberships\` (\`user_id\`, \`status\`);`);

    this.addSql(`create table \`seal_authorizations__temp_alter\` (\`id\` text not null, \`enterprise_id\` text not null, \`seal_id\` text not null, \`user_id\` text not null, \`granted_by\` text not null, \`granted_at\` datetime not null, constraint \`seal_authorizations_enterprise_id_foreign\` foreign key(\`enterprise_id\`) references \`enterprises\`(\`id\`) on update cascade, constraint \`seal_authorizations_seal_id_foreign\` foreign key(\`seal_id\`) references \`seals\`(\`id\`) on update cascade, constraint \`seal_authorizations_user_id_foreign\` foreign key(\`user_id\`) references \`users\`(\`id\`) on update cascade, primary key (\`id\`));`);
    this.addSql(`insert into \`seal_authorizations__temp_alter\` (\`id\`, \`enterprise_id\`, \`seal_id\`, \`user_id\`, \`granted_by\`, \`granted_at\`) select \`id\`, \`enterprise_id\`, \`seal_id\`, \`user_id\`, \`granted_by\`, \`granted_at\` from \`seal_authorizations\`;`);
    this.addSql(`drop table \`seal_authorizations\`;`);
    this.addSql(`alter table \`seal_authorizations__temp_alter\` rename to \`seal_authorizations\`;`);
    this.addSql(`create index \`seal_authorizations_enterprise_id_index\` on \`seal_authorizations\` (\`enterprise_id\`);`);
    this.addSql(`create index \`seal_authorizations_seal_id_index\` on \`seal_authorizations\` (\`seal_id\`);`);
    this.addSql(`create index \`seal_authorizations_user_id_index\` on \`seal_authorizations\` (\`user_id\`);`);
    this.addSql(`create index \`seal_authorizations_enterprise_id_user_id_index\` on \`seal_authorizations\` (\`enterprise_id\`, \`user_id\`);`);
    this.addSql(`create unique index \`seal_authorizations_seal_id_user_id_unique\` on \`seal_authorizations\` (\`seal_id\`, \`user_id\`);`);

    this.addSql(`create table \`admin_applications__temp_alter\` (\`id\` text not null, \`enterprise_id\` text not null, \`user_id\` text not null, \`reason\` text not null, \`authorization_letter_key\` text not null, \`authorization_letter_type\` text not null, \`status\` text not null, \`reject_reason\` text null, \`reviewed_by\` text null, \`reviewed_at\` datetime null, \`created_at\` datetime not null, \`live_key\` text null, \`version\` integer not null default 1, constraint \`admin_applications_enterprise_id_foreign\` foreign key(\`enterprise_id\`) references \`enterprises\`(\`id\`) on update cascade, constraint \`admin_applications_user_id_foreign\` foreign key(\`user_id\`) references \`users\`(\`id\`) on update cascade, primary key (\`id\`));`);
    this.addSql(`insert into \`admin_applications__temp_alter\` (\`id\`, \`enterprise_id\`, \`user_id\`, \`reason\`, \`authorization_letter_key\`, \`authorization_letter_type\`, \`status\`, \`reject_reason\`, \`reviewed_by\`, \`reviewed_at\`, \`created_at\`, \`live_key\`, \`version\`) select \`id\`, \`enterprise_id\`, \`user_id\`, \`reason\`, \`authorization_letter_key\`, \`authorization_letter_type\`, \`status\`, \`reject_reason\`, \`reviewed_by\`, \`reviewed_at\`, \`created_at\`, \`live_key\`, \`version\` from \`admin_applications\`;`);
    this.addSql(`drop table \`admin_applications\`;`);
    this.addSql(`alter table \`admin_applications__temp_alter\` rename to \`admin_applications\`;`);
    this.addSql(`create index \`admin_applications_enterprise_id_index\` on \`admin_applications\` (\`enterprise_id\`);`);
    this.addSql(`create index \`admin_applications_user_id_index\` on \`admin_applications\` (\`user_id\`);`);
    this.addSql(`create index \`admin_applications_status_index\` on \`admin_applications\` (\`status\`);`);
    this.addSql(`create unique index \`admin_applications_live_key_unique\` on \`admin_applications\` (\`live_key\`);`);

    this.addSql(`create table \`admin_transfers__temp_alter\` (\`id\` text not null, \`enterprise_id\` text not null, \`from_user_id\` text not null, \`to_user_id\` text not null, \`status\` text not null, \`deadline\` datetime not null, \`created_at\` datetime not null, \`finished_at\` datetime null, \`end_reason\` text null, \`live_key\` text null, \`version\` integer not null default 1, constraint \`admin_transfers_enterprise_id_foreign\` foreign key(\`enterprise_id\`) references \`enterprises\`(\`id\`) on update cascade, constraint \`admin_transfers_from_user_id_foreign\` foreign key(\`from_user_id\`) references \`users\`(\`id\`) on update cascade, constraint \`admin_transfers_to_user_id_foreign\` foreign key(\`to_user_id\`) references \`users\`(\`id\`) on update cascade, primary key (\`id\`));`);
    this.addSql(`insert into \`admin_transfers__temp_alter\` (\`id\`, \`enterprise_id\`, \`from_user_id\`, \`to_user_id\`, \`status\`, \`deadline\`, \`created_at\`, \`finished_at\`, \`end_reason\`, \`live_key\`, \`version\`) select \`id\`, \`enterprise_id\`, \`from_user_id\`, \`to_user_id\`, \`status\`, \`deadline\`, \`created_at\`, \`finished_at\`, \`end_reason\`, \`live_key\`, \`version\` from \`admin_transfers\`;`);
    this.addSql(`drop table \`admin_transfers\`;`);
    this.addSql(`alter table \`admin_transfers__temp_alter\` rename to \`admin_transfers\`;`);
    this.addSql(`create index \`admin_transfers_enterprise_id_index\` on \`admin_transfers\` (\`enterprise_id\`);`);
    this.addSql(`create index \`admin_transfers_from_user_id_index\` on \`admin_transfers\` (\`from_user_id\`);`);
    this.addSql(`create index \`admin_transfers_to_user_id_index\` on \`admin_transfers\` (\`to_user_id\`);`);
    this.addSql(`create unique index \`admin_transfers_live_key_unique\` on \`admin_transfers\` (\`live_key\`);`);

    this.addSql(`create table \`code_submissions__temp_alter\` (\`id\` text not null, \`user_id\` text not null, \`subject\` text not null, \`code_hash\` text not null, \`ip\` text null, \`created_at\` datetime not null, constraint \`code_submissions_user_id_foreign\` foreign key(\`user_id\`) references \`users\`(\`id\`) on update cascade, primary key (\`id\`));`);
    this.addSql(`insert into \`code_submissions__temp_alter\` (\`id\`, \`user_id\`, \`subject\`, \`code_hash\`, \`ip\`, \`created_at\`) select \`id\`, \`user_id\`, \`subject\`, \`code_hash\`, \`ip\`, \`created_at\` from \`code_submissions\`;`);
    this.addSql(`drop table \`code_submissions\`;`);
    this.addSql(`alter table \`code_submissions__temp_alter\` rename to \`code_submissions\`;`);
    this.addSql(`create index \`code_submissions_user_id_index\` on \`code_submissions\` (\`user_id\`);`);

    this.addSql(`create table \`sessions__temp_alter\` (\`id\` text not null, \`token_hash\` text not null, \`user_id\` text not null, \`created_at\` datetime not null, \`expires_at\` datetime not null, \`ip\` text null, \`acting_enterprise_id\` text null, constraint \`sessions_user_id_foreign\` foreign key(\`user_id\`) references \`users\`(\`id\`) on update cascade, constraint \`sessions_acting_enterprise_id_foreign\` foreign key(\`acting_enterprise_id\`) references \`enterprises\`(\`id\`) on delete set null on update cascade, primary key (\`id\`));`);
    this.addSql(`insert into \`sessions__temp_alter\` (\`id\`, \`token_hash\`, \`user_id\`, \`created_at\`, \`expires_at\`, \`ip\`, \`acting_enterprise_id\`) select \`id\`, \`token_hash\`, \`user_id\`, \`created_at\`, \`expires_at\`, \`ip\`, \`acting_enterprise_id\` from \`sessions\`;`);
    this.addSql(`drop table \`sessions\`;`);
    this.addSql(`alter table \`sessions__temp_alter\` rename to \`sessions\`;`);
    this.addSql(`create unique index \`sessions_token_hash_unique\` on \`sessions\` (\`token_hash\`);`);
    this.addSql(`create index \`sessions_user_id_index\` on \`sessions\` (\`user_id\`);`);
    this.addSql(`create index \`sessions_acting_enterprise_id_index\` on \`sessions\` (\`acting_enterprise_id\`);`);

    this.addSql(`create table \`real_name_applications__temp_alter\` (\`id\` text not null, \`user_id\` text not null, \`name\` text not null, \`id_number_encrypted\` text not null, \`id_number_masked\` text not null, \`mobile\` text not null, \`status\` text not null, \`reject_reason\` text null, \`reviewed_by\` text null, \`reviewed_at\` datetime null, \`created_at\` datetime not null, constraint \`real_name_applications_user_id_foreign\` foreign key(\`user_id\`) references \`users\`(\`id\`) on update cascade, primary key (\`id\`));`);
    this.addSql(`insert into \`real_name_applications__temp_alter\` (\`id\`, \`user_id\`, \`name\`, \`id_number_encrypted\`, \`id_number_masked\`, \`mobile\`, \`status\`, \`reject_reason\`, \`reviewed_by\`, \`reviewed_at\`, \`created_at\`) select \`id\`, \`user_id\`, \`name\`, \`id_number_encrypted\`, \`id_number_masked\`, \`mobile\`, \`status\`, \`reject_reason\`, \`reviewed_by\`, \`reviewed_at\`, \`created_at\` from \`real_name_applications\`;`);
    this.addSql(`drop table \`real_name_applications\`;`);
    this.addSql(`alter table \`real_name_applications__temp_alter\` rename to \`real_name_applications\`;`);
    this.addSql(`create index \`real_name_applications_user_id_index\` on \`real_name_applications\` (\`user_id\`);`);
    this.addSql(`create index \`real_name_applications_status_index\` on \`real_name_applications\` (\`status\`);`);
  }

}
