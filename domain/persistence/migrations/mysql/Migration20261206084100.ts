import { Migration } from '@mikro-orm/migrations';

/** willingness_confirmations.usable_until: until when a signature may use a 意愿认证 (null: confirmed_at + 15 minutes); 批量签署 items set it. Written by hand in the generator's form. */
export class Migration20261206084100 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`willingness_confirmations\` add \`usable_until\` datetime(3) null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table \`willingness_confirmations\` drop column \`usable_until\`;`);
  }

}
