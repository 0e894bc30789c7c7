import { Migration } from '@mikro-orm/migrations';

export class Migration20261202043142 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`template_library_fields\` (\`id\` text not null, \`owner_type\` text not null, \`owner_id\` text not null, \`name\` text not null, \`type\` text not null, \`required\` integer not null, \`max_length\` integer null, \`default_value\` text null, \`created_at\` datetime not null, \`updated_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create unique index \`template_library_fields_owner_name_unique\` on \`template_library_fields\` (\`owner_type\`, \`owner_id\`, \`name\`);`);
  }

}
