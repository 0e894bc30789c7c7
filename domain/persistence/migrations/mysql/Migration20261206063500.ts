import { Migration } from '@mikro-orm/migrations';

/**
 * Names composed from an enterprise's name fit their columns: contract_signers.name holds an enterprise
 * participant's name (up to 200) or 企业·部门 (up to 231), seals.name the enterprise's name with the seal
 * type or 部门 + 章 (up to 231). At 100 / 200 characters, MariaDB's strict mode refused the insert (a 500 on
 * 发起合同 or on approving a certification). Written by hand in the generator's form.
 */
export class Migration20261206063500 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`contract_signers\` modify \`name\` varchar(255) not null;`);
    this.addSql(`alter table \`seals\` modify \`name\` varchar(255) not null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table \`contract_signers\` modify \`name\` varchar(100) not null;`);
    this.addSql(`alter table \`seals\` modify \`name\` varchar(200) not null;`);
  }

}
