import { Migration } from '@mikro-orm/migrations';

export class Migration20261202041448 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`document_templates\` (\`id\` varchar(36) not null, \`owner_type\` varchar(20) not null, \`owner_id\` varchar(36) not null, \`kind\` varchar(10) not null, \`name\` varchar(100) not null, \`business_type\` varchar(50) null, \`scenario\` varchar(100) null, \`status\` varchar(20) not null default 'draft', \`enabled\` tinyint(1) not null default true, \`source_key\` varchar(200) not null, \`source_sha256\` varchar(64) not null, \`source_pages\` json null, \`tags\` json null, \`definition\` json not null, \`version\` int not null default 1, \`created_by\` varchar(36) not null, \`created_at\` datetime(3) not null, \`updated_at\` datetime(3) not null, \`published_at\` datetime(3) null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`document_templates\` add index \`document_templates_owner_type_owner_id_updated_at_index\`(\`owner_type\`, \`owner_id\`, \`updated_at\`);`);

    this.addSql(`create table \`template_shares\` (\`id\` varchar(36) not null, \`template_id\` varchar(36) not null, \`enterprise_id\` varchar(36) not null, \`editable\` tinyint(1) not null, \`created_at\` datetime(3) not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`template_shares\` add index \`template_shares_template_id_index\`(\`template_id\`);`);
    this.addSql(`alter table \`template_shares\` add index \`template_shares_enterprise_id_index\`(\`enterprise_id\`);`);
    this.addSql(`alter table \`template_shares\` add unique \`template_shares_template_id_enterprise_id_unique\`(\`template_id\`, \`enterprise_id\`);`);

    this.addSql(`alter table \`template_shares\` add constraint \`template_shares_template_id_foreign\` foreign key (\`template_id\`) references \`document_templates\` (\`id\`) on update cascade;`);
    this.addSql(`alter table \`template_shares\` add constraint \`template_shares_enterprise_id_foreign\` foreign key (\`enterprise_id\`) references \`enterprises\` (\`id\`) on update cascade;`);

    this.addSql(`alter table \`contracts\` add \`template_id\` varchar(36) null;`);

  }

  override async down(): Promise<void> {
    this.addSql(`alter table \`template_shares\` drop foreign key \`template_shares_template_id_foreign\`;`);

    this.addSql(`drop table if exists \`document_templates\`;`);

    this.addSql(`drop table if exists \`template_shares\`;`);

    this.addSql(`alter table \`contracts\` drop column \`template_id\`;`);

  }

}
