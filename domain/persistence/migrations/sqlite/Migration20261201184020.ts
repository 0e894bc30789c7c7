import { Migration } from '@mikro-orm/migrations';

export class Migration20261201184020 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`seals\` add column \`department_name\` text null;`);
    this.addSql(`alter table \`seals\` add column \`source\` text not null default 'generated';`);
    this.addSql(`alter table \`seals\` add column \`image_key\` text null;`);
    this.addSql(`alter table \`seals\` add column \`image_sha256\` text null;`);
    this.addSql(`alter table \`seals\` add column \`width_mm\` double null;`);
    this.addSql(`alter table \`seals\` add column \`height_mm\` double null;`);
    this.addSql(`alter table \`seals\` add column \`security_code\` text null;`);
    this.addSql(`alter table \`seals\` add column \`updated_at\` datetime null;`);
    this.addSql(`alter table \`seals\` add column \`version\` integer not null default 1;`);
    this.addSql(`create unique index \`seals_security_code_unique\` on \`seals\` (\`security_code\`);`);

    this.addSql(`alter table \`seal_authorizations\` add column \`expires_at\` datetime null;`);
    this.addSql(`create index \`seal_authorizations_expires_at_index\` on \`seal_authorizations\` (\`expires_at\`);`);
  }

}
