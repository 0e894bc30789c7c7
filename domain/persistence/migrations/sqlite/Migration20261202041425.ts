import { Migration } from '@mikro-orm/migrations';

export class Migration20261202041425 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`document_templates\` (\`id\` text not null, \`owner_type\` text not null, \`owner_id\` text not null, \`kind\` text not null, \`name\` text not null, \`business_type\` text null, \`scenario\` text null, \`status\` text not null default 'draft', \`enabled\` integer not null default true, \`source_key\` text not null, \`source_sha256\` text not null, \`source_pages\` json null, \`tags\` json null, \`definition\` json not null, \`version\` integer not null default 1, \`created_by\` text not null, \`created_at\` datetime not null, \`updated_at\` datetime not null, \`published_at\` datetime null, primary key (\`id\`));`);
    this.addSql(`create index \`document_templates_owner_type_owner_id_updated_at_index\` on \`document_templates\` (\`owner_type\`, \`owner_id\`, \`updated_at\`);`);

    this.addSql(`create table \`template_shares\` (\`id\` text not null, \`template_id\` text not null, \`enterprise_id\` text not null, \`editable\` integer not null, \`created_at\` datetime not null, constraint \`template_shares_template_id_foreign\` foreign key(\`template_id\`) references \`document_templates\`(\`id\`) on update cascade, constraint \`template_shares_enterprise_id_foreign\` foreign key(\`enterprise_id\`) references \`enterprises\`(\`id\`) on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`template_shares_template_id_index\` on \`template_shares\` (\`template_id\`);`);
    this.addSql(`create index \`template_shares_enterprise_id_index\` on \`template_shares\` (\`enterprise_id\`);`);
    this.addSql(`create unique index \`template_shares_template_id_enterprise_id_unique\` on \`template_shares\` (\`template_id\`, \`enterprise_id\`);`);

    this.addSql(`alter table \`contracts\` add column \`template_id\` text null;`);
  }

}
