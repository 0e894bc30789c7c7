import { Migration } from '@mikro-orm/migrations';

export class Migration20261129133747 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`willingness_confirmations\` add column \`ip\` text null;`);
  }

}
