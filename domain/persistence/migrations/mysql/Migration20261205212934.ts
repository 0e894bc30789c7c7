import { Migration } from '@mikro-orm/migrations';

/**
 * contract_cc for CC numbers without an account: user_id nullable, the number the initiator entered (`mobile`,
 * backfilled from the users of existing rows before its unique key is added; their `name`, the account's name until
 * now, becomes the masked number as for new rows), `invited` (the SMS notice sent), unique
 * (contract_id, mobile) instead of (contract_id, user_id). Trimmed by hand: the generator's unrelated `modify`
 * statements (driver noise) are left out, and the nullable user_id it filtered as noise is written here.
 */
export class Migration20261205212934 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`contract_cc\` drop foreign key \`contract_cc_user_id_foreign\`;`);
    this.addSql(`alter table \`contract_cc\` drop index \`contract_cc_contract_id_user_id_unique\`;`);
    this.addSql(`alter table \`contract_cc\` modify \`user_id\` varchar(36) null, add \`mobile\` varchar(20) not null, add \`invited\` tinyint(1) not null default false;`);
    this.addSql(`update \`contract_cc\` \`c\` join \`users\` \`u\` on \`u\`.\`id\` = \`c\`.\`user_id\` set \`c\`.\`mobile\` = \`u\`.\`mobile\`, \`c\`.\`name\` = concat(substr(\`u\`.\`mobile\`, 1, 3), '****', substr(\`u\`.\`mobile\`, 8));`);
    this.addSql(`alter table \`contract_cc\` add constraint \`contract_cc_user_id_foreign\` foreign key (\`user_id\`) references \`users\` (\`id\`) on update cascade on delete set null;`);
    this.addSql(`alter table \`contract_cc\` add index \`contract_cc_mobile_index\`(\`mobile\`);`);
    this.addSql(`alter table \`contract_cc\` add unique \`contract_cc_contract_id_mobile_unique\`(\`contract_id\`, \`mobile\`);`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table \`contract_cc\` drop foreign key \`contract_cc_user_id_foreign\`;`);
    this.addSql(`alter table \`contract_cc\` drop index \`contract_cc_mobile_index\`;`);
    this.addSql(`alter table \`contract_cc\` drop index \`contract_cc_contract_id_mobile_unique\`;`);
    // Rows of numbers never claimed cannot exist without their number.
    this.addSql(`delete from \`contract_cc\` where \`user_id\` is null;`);
    this.addSql(`alter table \`contract_cc\` drop column \`mobile\`, drop column \`invited\`, modify \`user_id\` varchar(36) not null;`);
    this.addSql(`alter table \`contract_cc\` add constraint \`contract_cc_user_id_foreign\` foreign key (\`user_id\`) references \`users\` (\`id\`) on update cascade;`);
    this.addSql(`alter table \`contract_cc\` add unique \`contract_cc_contract_id_user_id_unique\`(\`contract_id\`, \`user_id\`);`);
  }

}
