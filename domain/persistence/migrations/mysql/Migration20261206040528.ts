import { Migration } from '@mikro-orm/migrations';

/**
 * document_templates.disabled_by_platform: a template 停用 by a platform operator, which only an operator enables
 * again. Trimmed by hand: the generator's unrelated `modify` and JSON-check statements (driver noise) are left out.
 */
export class Migration20261206040528 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`document_templates\` add \`disabled_by_platform\` tinyint(1) not null default false;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table \`document_templates\` drop column \`disabled_by_platform\`;`);
  }

}
