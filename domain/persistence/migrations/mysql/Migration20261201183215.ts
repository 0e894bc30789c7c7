import { Migration } from '@mikro-orm/migrations';

export class Migration20261201183215 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`notifications\` (\`id\` varchar(36) not null, \`user_id\` varchar(36) not null, \`enterprise_id\` varchar(36) null, \`kind\` varchar(60) not null, \`title\` varchar(200) not null, \`body\` varchar(1000) not null, \`link\` varchar(500) null, \`created_at\` datetime(3) not null, \`read_at\` datetime(3) null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`notifications\` add index \`notifications_user_id_index\`(\`user_id\`);`);
    this.addSql(`alter table \`notifications\` add index \`notifications_enterprise_id_index\`(\`enterprise_id\`);`);
    this.addSql(`alter table \`notifications\` add index \`notifications_user_id_read_at_created_at_index\`(\`user_id\`, \`read_at\`, \`created_at\`);`);

    this.addSql(`create table \`certificate_reminders\` (\`id\` varchar(36) not null, \`certificate_id\` varchar(36) not null, \`threshold_days\` int not null, \`enterprise_id\` varchar(36) not null, \`user_id\` varchar(36) not null, \`sent_at\` datetime not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`certificate_reminders\` add index \`certificate_reminders_certificate_id_index\`(\`certificate_id\`);`);
    this.addSql(`alter table \`certificate_reminders\` add index \`certificate_reminders_enterprise_id_index\`(\`enterprise_id\`);`);
    this.addSql(`alter table \`certificate_reminders\` add index \`certificate_reminders_user_id_index\`(\`user_id\`);`);
    this.addSql(`alter table \`certificate_reminders\` add unique \`certificate_reminders_certificate_id_threshold_days_unique\`(\`certificate_id\`, \`threshold_days\`);`);

    this.addSql(`alter table \`notifications\` add constraint \`notifications_user_id_foreign\` foreign key (\`user_id\`) references \`users\` (\`id\`) on update cascade;`);
    this.addSql(`alter table \`notifications\` add constraint \`notifications_enterprise_id_foreign\` foreign key (\`enterprise_id\`) references \`enterprises\` (\`id\`) on update cascade on delete set null;`);

    this.addSql(`alter table \`certificate_reminders\` add constraint \`certificate_reminders_certificate_id_foreign\` foreign key (\`certificate_id\`) references \`signing_certificates\` (\`id\`) on update cascade;`);
    this.addSql(`alter table \`certificate_reminders\` add constraint \`certificate_reminders_enterprise_id_foreign\` foreign key (\`enterprise_id\`) references \`enterprises\` (\`id\`) on update cascade;`);
    this.addSql(`alter table \`certificate_reminders\` add constraint \`certificate_reminders_user_id_foreign\` foreign key (\`user_id\`) references \`users\` (\`id\`) on update cascade;`);

  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`notifications\`;`);

    this.addSql(`drop table if exists \`certificate_reminders\`;`);

  }

}
