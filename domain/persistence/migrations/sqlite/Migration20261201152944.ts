import { Migration } from '@mikro-orm/migrations';

export class Migration20261201152944 extends Migration {

  // Live keys (one live row per rule, NULL once ended) are filled in for existing rows before their unique index.
  override async up(): Promise<void> {
    this.addSql(`create table \`attempt_counters\` (\`id\` text not null, \`failures\` integer not null, \`window_started_at\` datetime not null, \`locked_until\` datetime null, primary key (\`id\`));`);

    this.addSql(`alter table \`admin_applications\` add column \`live_key\` text null;`);
    this.addSql(`alter table \`admin_applications\` add column \`version\` integer not null default 1;`);
    this.addSql(`update \`admin_applications\` set \`live_key\` = \`enterprise_id\` || ':' || \`user_id\` where \`status\` = 'pending';`);
    this.addSql(`create unique index \`admin_applications_live_key_unique\` on \`admin_applications\` (\`live_key\`);`);

    this.addSql(`alter table \`admin_transfers\` add column \`end_reason\` text null;`);
    this.addSql(`alter table \`admin_transfers\` add column \`live_key\` text null;`);
    this.addSql(`alter table \`admin_transfers\` add column \`version\` integer not null default 1;`);
    this.addSql(`update \`admin_transfers\` set \`live_key\` = \`enterprise_id\` where \`status\` in ('awaiting_admin_code', 'awaiting_target_code');`);
    this.addSql(`create unique index \`admin_transfers_live_key_unique\` on \`admin_transfers\` (\`live_key\`);`);

    this.addSql(`alter table \`enterprises\` add column \`live_key\` text null;`);
    this.addSql(`alter table \`enterprises\` add column \`version\` integer not null default 1;`);
    this.addSql(`update \`enterprises\` set \`live_key\` = \`uscc\` where \`status\` in ('pending', 'certified');`);
    this.addSql(`create unique index \`enterprises_live_key_unique\` on \`enterprises\` (\`live_key\`);`);

    this.addSql(`alter table \`memberships\` add column \`live_key\` text null;`);
    this.addSql(`alter table \`memberships\` add column \`version\` integer not null default 1;`);
    this.addSql(`update \`memberships\` set \`live_key\` = \`enterprise_id\` || ':' || \`user_id\` where \`status\` in ('pending', 'active');`);
    this.addSql(`create unique index \`memberships_live_key_unique\` on \`memberships\` (\`live_key\`);`);

    this.addSql(`alter table \`seals\` add column \`live_key\` text null;`);
    this.addSql(`update \`seals\` set \`live_key\` = \`enterprise_id\` || ':' || \`type\` where \`status\` <> 'voided';`);
    this.addSql(`create unique index \`seals_live_key_unique\` on \`seals\` (\`live_key\`);`);

    this.addSql(`create index \`sms_challenges_request_ip_purpose_index\` on \`sms_challenges\` (\`request_ip\`, \`purpose\`);`);

    this.addSql(`alter table \`users\` drop column \`failed_login_count\`;`);
    this.addSql(`alter table \`users\` drop column \`locked_until\`;`);

    this.addSql(`alter table \`willingness_confirmations\` add column \`code_hash\` text null;`);
  }

}
