import { Migration } from '@mikro-orm/migrations';

export class Migration20261202011026 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`contract_signers\` add column \`signed_rounds\` integer not null default 0;`);
  }

}
