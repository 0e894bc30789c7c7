import { Migration } from '@mikro-orm/migrations';

export class Migration20261129133751 extends Migration {

  override async up(): Promise<void> {

    this.addSql(`alter table \`willingness_confirmations\` add \`ip\` varchar(64) null;`);
  }

  override async down(): Promise<void> {

    this.addSql(`alter table \`willingness_confirmations\` drop column \`ip\`;`);

  }

}
