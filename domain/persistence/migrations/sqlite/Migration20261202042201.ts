import { Migration } from '@mikro-orm/migrations';

export class Migration20261202042201 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`template_generations\` (\`id\` text not null, \`template_id\` text not null, \`template_version\` integer not null, \`purpose\` text not null, \`requested_by\` text null, \`values\` json not null, \`status\` text not null default 'pending', \`result_key\` text null, \`pages\` json null, \`role_marks\` json null, \`error_code\` text null, \`error_message\` text null, \`error_message_en\` text null, \`error_kind\` text null, \`created_at\` datetime not null, \`finished_at\` datetime null, primary key (\`id\`));`);
    this.addSql(`create index \`template_generations_template_id_index\` on \`template_generations\` (\`template_id\`);`);
  }

}
