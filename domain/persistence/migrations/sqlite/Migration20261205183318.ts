import { Migration } from '@mikro-orm/migrations';

/** platform_settings.version: a save of a setting edited from an older version is refused (optimistic lock). */
export class Migration20261205183318 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`platform_settings\` add column \`version\` integer not null default 1;`);
  }

}
