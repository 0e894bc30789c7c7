import { Migration } from '@mikro-orm/migrations';

/**
 * Contract lifecycle v2 (issue 8): contract columns, participants (contract_signers rebuilt: SQLite
 * cannot make user_id/page/x/y nullable in place; existing rows get step = sign_order), contract_marks
 * (one `personal` mark per v1 signer) and contract_cc. Rebuild written by hand from the schema
 * generator's CREATE statement, as in Migration20261201172100.
 */
export class Migration20261201215518 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`contracts\` add column \`contract_no\` text null;`);
    this.addSql(`alter table \`contracts\` add column \`remarks\` text null;`);
    this.addSql(`alter table \`contracts\` add column \`void_note\` text null;`);
    this.addSql(`alter table \`contracts\` add column \`lifecycle\` integer not null default 1;`);
    this.addSql(`alter table \`contracts\` add column \`current_step\` integer not null default 1;`);
    this.addSql(`alter table \`contracts\` add column \`trail_seq\` integer not null default 0;`);
    this.addSql(`alter table \`contracts\` add column \`trail_head\` text null;`);

    this.addSql(`create table \`contract_signers__temp_alter\` (\`id\` text not null, \`contract_id\` text not null, \`sign_order\` integer not null, \`step\` integer not null default 1, \`kind\` text not null default 'person', \`user_id\` text null, \`enterprise_id\` text null, \`department_name\` text null, \`name\` text not null, \`mobile\` text not null, \`status\` text not null, \`can_refuse\` integer not null default false, \`placement\` text not null default 'preset', \`note\` text null, \`invited\` integer not null default false, \`signed_at\` datetime null, \`signed_by_user_id\` text null, \`signed_by_name\` text null, \`refused_at\` datetime null, \`refusal_reason\` text null, \`last_urged_at\` datetime null, \`urge_day\` text null, \`urge_count\` integer not null default 0, \`page\` integer null, \`x\` double null, \`y\` double null, \`field_name\` text not null, constraint \`contract_signers_contract_id_foreign\` foreign key(\`contract_id\`) references \`contracts\`(\`id\`) on update cascade, constraint \`contract_signers_user_id_foreign\` foreign key(\`user_id\`) references \`users\`(\`id\`) on delete set null on update cascade, constraint \`contract_signers_enterprise_id_foreign\` foreign key(\`enterprise_id\`) references \`enterprises\`(\`id\`) on delete set null on update cascade, constraint \`contract_signers_signed_by_user_id_foreign\` foreign key(\`signed_by_user_id\`) references \`users\`(\`id\`) on delete set null on update cascade, primary key (\`id\`));`);
    this.addSql(`insert into \`contract_signers__temp_alter\` (\`id\`, \`contract_id\`, \`sign_order\`, \`user_id\`, \`name\`, \`mobile\`, \`status\`, \`signed_at\`, \`page\`, \`x\`, \`y\`, \`field_name\`, \`step\`) select \`id\`, \`contract_id\`, \`sign_order\`, \`user_id\`, \`name\`, \`mobile\`, \`status\`, \`signed_at\`, \`page\`, \`x\`, \`y\`, \`field_name\`, \`sign_order\` from \`contract_signers\`;`);
    this.addSql(`drop table \`contract_signers\`;`);
    this.addSql(`alter table \`contract_signers__temp_alter\` rename to \`contract_signers\`;`);
    this.addSql(`create index \`contract_signers_contract_id_index\` on \`contract_signers\` (\`contract_id\`);`);
    this.addSql(`create index \`contract_signers_user_id_index\` on \`contract_signers\` (\`user_id\`);`);
    this.addSql(`create index \`contract_signers_enterprise_id_index\` on \`contract_signers\` (\`enterprise_id\`);`);
    this.addSql(`create index \`contract_signers_mobile_index\` on \`contract_signers\` (\`mobile\`);`);
    this.addSql(`create index \`contract_signers_signed_by_user_id_index\` on \`contract_signers\` (\`signed_by_user_id\`);`);

    this.addSql(`create table \`contract_marks\` (\`id\` text not null, \`contract_id\` text not null, \`participant_id\` text not null, \`kind\` text not null, \`seal_type\` text null, \`page\` integer null, \`x\` double null, \`y\` double null, \`width\` double null, \`height\` double null, \`page_from\` integer null, \`page_to\` integer null, \`preset\` integer not null default true, \`applied_version\` integer null, \`seal_id\` text null, constraint \`contract_marks_contract_id_foreign\` foreign key(\`contract_id\`) references \`contracts\`(\`id\`) on update cascade, constraint \`contract_marks_participant_id_foreign\` foreign key(\`participant_id\`) references \`contract_signers\`(\`id\`) on update cascade, constraint \`contract_marks_seal_id_foreign\` foreign key(\`seal_id\`) references \`seals\`(\`id\`) on delete set null on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`contract_marks_contract_id_index\` on \`contract_marks\` (\`contract_id\`);`);
    this.addSql(`create index \`contract_marks_participant_id_index\` on \`contract_marks\` (\`participant_id\`);`);
    this.addSql(`create index \`contract_marks_seal_id_index\` on \`contract_marks\` (\`seal_id\`);`);

    this.addSql(`create table \`contract_cc\` (\`id\` text not null, \`contract_id\` text not null, \`user_id\` text not null, \`name\` text not null, \`created_at\` datetime not null, constraint \`contract_cc_contract_id_foreign\` foreign key(\`contract_id\`) references \`contracts\`(\`id\`) on update cascade, constraint \`contract_cc_user_id_foreign\` foreign key(\`user_id\`) references \`users\`(\`id\`) on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`contract_cc_contract_id_index\` on \`contract_cc\` (\`contract_id\`);`);
    this.addSql(`create index \`contract_cc_user_id_index\` on \`contract_cc\` (\`user_id\`);`);
    this.addSql(`create unique index \`contract_cc_contract_id_user_id_unique\` on \`contract_cc\` (\`contract_id\`, \`user_id\`);`);

    // v1 signers: their position becomes one `personal` mark (id = the signer's id; size PERSONAL_SEAL_SIZE_PT).
    this.addSql(`insert into \`contract_marks\` (\`id\`, \`contract_id\`, \`participant_id\`, \`kind\`, \`seal_type\`, \`page\`, \`x\`, \`y\`, \`width\`, \`height\`, \`preset\`) select \`id\`, \`contract_id\`, \`id\`, 'personal', null, \`page\`, \`x\`, \`y\`, 56.69291338582677, 56.69291338582677, true from \`contract_signers\` where \`page\` is not null;`);
  }

}
