import { Migration } from '@mikro-orm/migrations';

export class Migration20261202043158 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`template_library_fields\` (\`id\` varchar(36) not null, \`owner_type\` varchar(20) not null, \`owner_id\` varchar(36) not null, \`name\` varchar(40) not null, \`type\` varchar(20) not null, \`required\` tinyint(1) not null, \`max_length\` int null, \`default_value\` text null, \`created_at\` datetime(3) not null, \`updated_at\` datetime(3) not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`template_library_fields\` add unique \`template_library_fields_owner_name_unique\`(\`owner_type\`, \`owner_id\`, \`name\`);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`template_library_fields\`;`);
  }

}
