import { Migration } from '@mikro-orm/migrations';

export class Migration20261201183211 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`notifications\` (\`id\` text not null, \`user_id\` text not null, \`enterprise_id\` text null, \`kind\` text not null, \`title\` text not null, \`body\` text not null, \`link\` text null, \`created_at\` datetime not null, \`read_at\` datetime null, constraint \`notifications_user_id_foreign\` foreign key(\`user_id\`) references \`users\`(\`id\`) on update cascade, constraint \`notifications_enterprise_id_foreign\` foreign key(\`enterprise_id\`) references \`enterprises\`(\`id\`) on delete set null on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`notifications_user_id_index\` on \`notifications\` (\`user_id\`);`);
    this.addSql(`create index \`notifications_enterprise_id_index\` on \`notifications\` (\`enterprise_id\`);`);
    this.addSql(`create index \`notifications_user_id_read_at_created_at_index\` on \`notifications\` (\`user_id\`, \`read_at\`, \`created_at\`);`);

    this.addSql(`create table \`certificate_reminders\` (\`id\` text not null, \`certificate_id\` text not null, \`threshold_days\` integer not null, \`enterprise_id\` text not null, \`user_id\` text not null, \`sent_at\` datetime not null, constraint \`certificate_reminders_certificate_id_foreign\` foreign key(\`certificate_id\`) references \`signing_certificates\`(\`id\`) on update cascade, constraint \`certificate_reminders_enterprise_id_foreign\` foreign key(\`enterprise_id\`) references \`enterprises\`(\`id\`) on update cascade, constraint \`certificate_reminders_user_id_foreign\` foreign key(\`user_id\`) references \`users\`(\`id\`) on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`certificate_reminders_certificate_id_index\` on \`certificate_reminders\` (\`certificate_id\`);`);
    this.addSql(`create index \`certificate_reminders_enterprise_id_index\` on \`certificate_reminders\` (\`enterprise_id\`);`);
    this.addSql(`create index \`certificate_reminders_user_id_index\` on \`certificate_reminders\` (\`user_id\`);`);
    this.addSql(`create unique index \`certificate_reminders_certificate_id_threshold_days_unique\` on \`certificate_reminders\` (\`certificate_id\`, \`threshold_days\`);`);
  }

}
