import { Migration } from '@mikro-orm/migrations';

export class Migration20261202011042 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`contract_signers\` add \`signed_rounds\` int not null default 0;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table \`contract_signers\` drop column \`signed_rounds\`;`);
  }

}
