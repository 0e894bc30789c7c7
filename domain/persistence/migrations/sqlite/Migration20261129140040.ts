import { Migration } from '@mikro-orm/migrations';

export class Migration20261129140040 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`code_submissions\` add column \`ip\` text null;`);
  }

}
