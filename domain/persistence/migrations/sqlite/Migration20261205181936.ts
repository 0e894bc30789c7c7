import { Migration } from '@mikro-orm/migrations';

export class Migration20261205181936 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`willingness_confirmations\` add column \`superseded_at\` datetime null;`);
  }

}
