import { Migration } from '@mikro-orm/migrations';

/** A 意愿认证 replaced by a copy for a retry can no longer be used (renewConfirmation). */
export class Migration20261205181940 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`willingness_confirmations\` add \`superseded_at\` datetime(3) null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table \`willingness_confirmations\` drop column \`superseded_at\`;`);
  }

}
