import { Migration } from '@mikro-orm/migrations';

/** document_templates.disabled_by_platform: a template 停用 by a platform operator, which only an operator enables again. */
export class Migration20261206040522 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`document_templates\` add column \`disabled_by_platform\` integer not null default false;`);
  }

}
