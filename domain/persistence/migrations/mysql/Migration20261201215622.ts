import { Migration } from '@mikro-orm/migrations';

/**
 * Contract lifecycle v2 (issue 8): contract columns, participant columns on contract_signers
 * (user_id/page/x/y nullable; existing rows get step = sign_order), contract_marks (one `personal`
 * mark per v1 signer) and contract_cc. The generator's spurious `modify` of users/seals (MariaDB
 * default quoting) was dropped; the nullable modify of contract_signers was added back by hand.
 */
export class Migration20261201215622 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`contract_marks\` (\`id\` varchar(36) not null, \`contract_id\` varchar(36) not null, \`participant_id\` varchar(36) not null, \`kind\` varchar(20) not null, \`seal_type\` varchar(20) null, \`page\` int null, \`x\` double null, \`y\` double null, \`width\` double null, \`height\` double null, \`page_from\` int null, \`page_to\` int null, \`preset\` tinyint(1) not null default true, \`applied_version\` int null, \`seal_id\` varchar(36) null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`contract_marks\` add index \`contract_marks_contract_id_index\`(\`contract_id\`);`);
    this.addSql(`alter table \`contract_marks\` add index \`contract_marks_participant_id_index\`(\`participant_id\`);`);
    this.addSql(`alter table \`contract_marks\` add index \`contract_marks_seal_id_index\`(\`seal_id\`);`);

    this.addSql(`create table \`contract_cc\` (\`id\` varchar(36) not null, \`contract_id\` varchar(36) not null, \`user_id\` varchar(36) not null, \`name\` varchar(100) not null, \`created_at\` datetime not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`contract_cc\` add index \`contract_cc_contract_id_index\`(\`contract_id\`);`);
    this.addSql(`alter table \`contract_cc\` add index \`contract_cc_user_id_index\`(\`user_id\`);`);
    this.addSql(`alter table \`contract_cc\` add unique \`contract_cc_contract_id_user_id_unique\`(\`contract_id\`, \`user_id\`);`);

    this.addSql(`alter table \`contract_marks\` add constraint \`contract_marks_contract_id_foreign\` foreign key (\`contract_id\`) references \`contracts\` (\`id\`) on update cascade;`);
    this.addSql(`alter table \`contract_marks\` add constraint \`contract_marks_participant_id_foreign\` foreign key (\`participant_id\`) references \`contract_signers\` (\`id\`) on update cascade;`);
    this.addSql(`alter table \`contract_marks\` add constraint \`contract_marks_seal_id_foreign\` foreign key (\`seal_id\`) references \`seals\` (\`id\`) on update cascade on delete set null;`);

    this.addSql(`alter table \`contract_cc\` add constraint \`contract_cc_contract_id_foreign\` foreign key (\`contract_id\`) references \`contracts\` (\`id\`) on update cascade;`);
    this.addSql(`alter table \`contract_cc\` add constraint \`contract_cc_user_id_foreign\` foreign key (\`user_id\`) references \`users\` (\`id\`) on update cascade;`);

    this.addSql(`alter table \`contract_signers\` drop foreign key \`contract_signers_user_id_foreign\`;`);

    this.addSql(`alter table \`contracts\` add \`contract_no\` varchar(64) null, add \`remarks\` varchar(500) null, add \`void_note\` varchar(500) null, add \`lifecycle\` int not null default 1, add \`current_step\` int not null default 1, add \`trail_seq\` int not null default 0, add \`trail_head\` varchar(64) null;`);

    this.addSql(`alter table \`contract_signers\` add \`step\` int not null default 1, add \`kind\` varchar(20) not null default 'person', add \`enterprise_id\` varchar(36) null, add \`department_name\` varchar(100) null, add \`can_refuse\` tinyint(1) not null default false, add \`placement\` varchar(10) not null default 'preset', add \`note\` varchar(200) null, add \`invited\` tinyint(1) not null default false, add \`signed_by_user_id\` varchar(36) null, add \`signed_by_name\` varchar(100) null, add \`refused_at\` datetime null, add \`refusal_reason\` varchar(500) null, add \`last_urged_at\` datetime null, add \`urge_day\` varchar(10) null, add \`urge_count\` int not null default 0;`);
    this.addSql(`alter table \`contract_signers\` modify \`user_id\` varchar(36) null, modify \`page\` int null, modify \`x\` double null, modify \`y\` double null;`);
    this.addSql(`update \`contract_signers\` set \`step\` = \`sign_order\`;`);
    this.addSql(`alter table \`contract_signers\` add constraint \`contract_signers_enterprise_id_foreign\` foreign key (\`enterprise_id\`) references \`enterprises\` (\`id\`) on update cascade on delete set null;`);
    this.addSql(`alter table \`contract_signers\` add constraint \`contract_signers_signed_by_user_id_foreign\` foreign key (\`signed_by_user_id\`) references \`users\` (\`id\`) on update cascade on delete set null;`);
    this.addSql(`alter table \`contract_signers\` add constraint \`contract_signers_user_id_foreign\` foreign key (\`user_id\`) references \`users\` (\`id\`) on update cascade on delete set null;`);
    this.addSql(`alter table \`contract_signers\` add index \`contract_signers_enterprise_id_index\`(\`enterprise_id\`);`);
    this.addSql(`alter table \`contract_signers\` add index \`contract_signers_mobile_index\`(\`mobile\`);`);
    this.addSql(`alter table \`contract_signers\` add index \`contract_signers_signed_by_user_id_index\`(\`signed_by_user_id\`);`);

    // v1 signers: their position becomes one `personal` mark (id = the signer's id; size PERSONAL_SEAL_SIZE_PT).
    this.addSql(`insert into \`contract_marks\` (\`id\`, \`contract_id\`, \`participant_id\`, \`kind\`, \`seal_type\`, \`page\`, \`x\`, \`y\`, \`width\`, \`height\`, \`preset\`) select \`id\`, \`contract_id\`, \`id\`, 'personal', null, \`page\`, \`x\`, \`y\`, 56.69291338582677, 56.69291338582677, true from \`contract_signers\` where \`page\` is not null;`);
  }

}
