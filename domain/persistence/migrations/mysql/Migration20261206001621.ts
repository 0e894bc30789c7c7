import { Migration } from '@mikro-orm/migrations';

/**
 * real_name_applications.id_number_hash (keyed hash of the ID number) and live_key (the hash while approved, unique):
 * one verified account per ID number, held by the unique index under parallel approvals. Existing rows stay NULL
 * here — the hash needs the master key to decrypt the stored number — and are back-filled lazily
 * (backfillIdNumberHashes, domain/identity/real-name.ts). Trimmed by hand: the generator's unrelated `modify` and
 * JSON-check statements (driver noise) are left out.
 */
export class Migration20261206001621 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`real_name_applications\` add \`id_number_hash\` varchar(64) null, add \`live_key\` varchar(64) null;`);
    this.addSql(`alter table \`real_name_applications\` add unique \`real_name_applications_live_key_unique\`(\`live_key\`);`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table \`real_name_applications\` drop index \`real_name_applications_live_key_unique\`;`);
    this.addSql(`alter table \`real_name_applications\` drop column \`id_number_hash\`, drop column \`live_key\`;`);
  }

}
