import { Migration } from '@mikro-orm/migrations';

export class Migration20261205130323 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create index \`audit_events_enterprise_id_at_index\` on \`audit_events\` (\`enterprise_id\`, \`at\`);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index \`audit_events_enterprise_id_at_index\`;`);
  }

}
