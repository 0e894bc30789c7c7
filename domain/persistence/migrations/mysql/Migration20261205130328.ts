import { Migration } from '@mikro-orm/migrations';

export class Migration20261205130328 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`audit_events\` add index \`audit_events_enterprise_id_at_index\`(\`enterprise_id\`, \`at\`);`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table \`audit_events\` drop index \`audit_events_enterprise_id_at_index\`;`);
  }

}
