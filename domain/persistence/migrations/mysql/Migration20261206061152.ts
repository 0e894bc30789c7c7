import { Migration } from '@mikro-orm/migrations';

/**
 * contract_marks.riding_rule: a 骑缝章's 骑缝规则 ('all' | 'odd' | 'even'); null on other marks and on 骑缝章 rows from
 * before the rule ('all'). Written by hand in the generator's form.
 */
export class Migration20261206061152 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`contract_marks\` add \`riding_rule\` varchar(8) null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table \`contract_marks\` drop column \`riding_rule\`;`);
  }

}
