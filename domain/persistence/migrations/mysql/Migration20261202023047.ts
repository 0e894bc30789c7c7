import { Migration } from '@mikro-orm/migrations';

export class Migration20261202023047 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`contract_marks\` add \`signature_id\` varchar(36) null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table \`contract_marks\` drop column \`signature_id\`;`);
  }

}
