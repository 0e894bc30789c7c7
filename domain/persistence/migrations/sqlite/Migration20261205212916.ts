import { Migration } from '@mikro-orm/migrations';

/**
 * contract_cc for CC numbers without an account: user_id nullable, the number the initiator entered (`mobile`,
 * backfilled from the users of existing rows, whose `name` — the account's name until now — becomes the masked number as
 * for new rows), `invited` (the SMS notice sent), unique (contract_id, mobile) instead of
 * (contract_id, user_id). SQLite cannot make user_id nullable in place: the table is rebuilt (by hand, as in
 * Migration20261201215518; the generator's statements for this change are wrong on SQLite).
 */
export class Migration20261205212916 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`contract_cc__temp_alter\` (\`id\` text not null, \`contract_id\` text not null, \`user_id\` text null, \`mobile\` text not null, \`name\` text not null, \`invited\` integer not null default false, \`created_at\` datetime not null, constraint \`contract_cc_contract_id_foreign\` foreign key(\`contract_id\`) references \`contracts\`(\`id\`) on update cascade, constraint \`contract_cc_user_id_foreign\` foreign key(\`user_id\`) references \`users\`(\`id\`) on delete set null on update cascade, primary key (\`id\`));`);
    this.addSql(`insert into \`contract_cc__temp_alter\` (\`id\`, \`contract_id\`, \`user_id\`, \`mobile\`, \`name\`, \`created_at\`) select \`c\`.\`id\`, \`c\`.\`contract_id\`, \`c\`.\`user_id\`, \`u\`.\`mobile\`, substr(\`u\`.\`mobile\`, 1, 3) || '****' || substr(\`u\`.\`mobile\`, 8), \`c\`.\`created_at\` from \`contract_cc\` \`c\` join \`users\` \`u\` on \`u\`.\`id\` = \`c\`.\`user_id\`;`);
    this.addSql(`drop table \`contract_cc\`;`);
    this.addSql(`alter table \`contract_cc__temp_alter\` rename to \`contract_cc\`;`);
    this.addSql(`create index \`contract_cc_contract_id_index\` on \`contract_cc\` (\`contract_id\`);`);
    this.addSql(`create index \`contract_cc_user_id_index\` on \`contract_cc\` (\`user_id\`);`);
    this.addSql(`create index \`contract_cc_mobile_index\` on \`contract_cc\` (\`mobile\`);`);
    this.addSql(`create unique index \`contract_cc_contract_id_mobile_unique\` on \`contract_cc\` (\`contract_id\`, \`mobile\`);`);
  }

}
