import { Migration } from '@mikro-orm/migrations';

/** enterprise_changes.submission_id: the id of the change's current submission, given by the API request (null for submissions from before). Written by hand in the generator's form. */
export class Migration20261206085200 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`enterprise_changes\` add \`submission_id\` varchar(36) null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table \`enterprise_changes\` drop column \`submission_id\`;`);
  }

}
