import { Migration } from '@mikro-orm/migrations';

export class Migration20261129144932 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`sms_challenges\` modify \`created_at\` datetime(3) not null;`);
    this.addSql(`alter table \`sms_outbox\` modify \`created_at\` datetime(3) not null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table \`sms_outbox\` modify \`created_at\` datetime not null;`);
    this.addSql(`alter table \`sms_challenges\` modify \`created_at\` datetime not null;`);
  }

}
