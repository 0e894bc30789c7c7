import { Migration } from '@mikro-orm/migrations';

/**
 * real_name_applications.id_number_hash (keyed hash of the ID number) and live_key (the hash while approved, unique):
 * one verified account per ID number. Existing rows stay NULL here — the hash needs the master key to decrypt the
 * stored number — and are back-filled lazily (backfillIdNumberHashes, domain/identity/real-name.ts).
 */
export class Migration20261206001610 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`real_name_applications\` add column \`id_number_hash\` text null;`);
    this.addSql(`alter table \`real_name_applications\` add column \`live_key\` text null;`);
    this.addSql(`create unique index \`real_name_applications_live_key_unique\` on \`real_name_applications\` (\`live_key\`);`);
  }

}
