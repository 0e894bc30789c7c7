import { Migration } from '@mikro-orm/migrations';

export class Migration20261129140042 extends Migration {

  override async up(): Promise<void> {

    this.addSql(`alter table \`code_submissions\` add \`ip\` varchar(64) null;`);

  }

  override async down(): Promise<void> {

    this.addSql(`alter table \`code_submissions\` drop column \`ip\`;`);

  }

}
