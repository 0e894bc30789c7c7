import { Migration } from '@mikro-orm/migrations';

export class Migration20261202023033 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`contract_marks\` add column \`signature_id\` text null;`);
  }

}
