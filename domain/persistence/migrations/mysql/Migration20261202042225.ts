import { Migration } from '@mikro-orm/migrations';

export class Migration20261202042225 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`template_generations\` (\`id\` varchar(36) not null, \`template_id\` varchar(36) not null, \`template_version\` int not null, \`purpose\` varchar(20) not null, \`requested_by\` varchar(36) null, \`values\` json not null, \`status\` varchar(20) not null default 'pending', \`result_key\` varchar(200) null, \`pages\` json null, \`role_marks\` json null, \`error_code\` varchar(60) null, \`error_message\` varchar(500) null, \`error_message_en\` varchar(500) null, \`error_kind\` varchar(20) null, \`created_at\` datetime(3) not null, \`finished_at\` datetime(3) null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`template_generations\` add index \`template_generations_template_id_index\`(\`template_id\`);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`template_generations\`;`);
  }

}
