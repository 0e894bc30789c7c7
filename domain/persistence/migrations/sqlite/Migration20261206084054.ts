import { Migration } from '@mikro-orm/migrations';

/** willingness_confirmations.usable_until: until when a signature may use a 意愿认证 (null: confirmed_at + 15 minutes); 批量签署 items set it. */
export class Migration20261206084054 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`willingness_confirmations\` add column \`usable_until\` datetime null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table \`willingness_confirmations\` drop column \`usable_until\`;`);
  }

}
