import { Migration } from '@mikro-orm/migrations';

/** Membership times to the millisecond: the console shows a member's addresses from the moment the membership began. */
export class Migration20261205181211 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`memberships\` modify \`applied_at\` datetime(3) not null, modify \`decided_at\` datetime(3) null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table \`memberships\` modify \`applied_at\` datetime not null, modify \`decided_at\` datetime null;`);
  }

}
