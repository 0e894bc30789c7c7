import { Migration } from '@mikro-orm/migrations';

export class Migration20261201165326 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`admin_transfers\` modify \`created_at\` datetime(3) not null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table \`admin_transfers\` modify \`created_at\` datetime not null;`);
  }

}
