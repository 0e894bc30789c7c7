import { Migration } from '@mikro-orm/migrations';

/** enterprise_changes.submission_id: the id of the change's current submission, given by the API request (null for submissions from before). */
export class Migration20261206085200 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`enterprise_changes\` add column \`submission_id\` text null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table \`enterprise_changes\` drop column \`submission_id\`;`);
  }

}
