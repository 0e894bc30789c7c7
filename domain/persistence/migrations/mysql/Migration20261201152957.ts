import { Migration } from '@mikro-orm/migrations';

export class Migration20261201152957 extends Migration {

  // Live keys (one live row per rule, NULL once ended) are filled in for existing rows before their unique index.
  override async up(): Promise<void> {
    this.addSql(`create table \`attempt_counters\` (\`id\` varchar(120) not null, \`failures\` int not null, \`window_started_at\` datetime(3) not null, \`locked_until\` datetime(3) null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);

    this.addSql(`alter table \`admin_applications\` add \`live_key\` varchar(80) null, add \`version\` int not null default 1;`);
    this.addSql(`update \`admin_applications\` set \`live_key\` = concat(\`enterprise_id\`, ':', \`user_id\`) where \`status\` = 'pending';`);
    this.addSql(`alter table \`admin_applications\` add unique \`admin_applications_live_key_unique\`(\`live_key\`);`);

    this.addSql(`alter table \`admin_transfers\` add \`end_reason\` varchar(40) null, add \`live_key\` varchar(36) null, add \`version\` int not null default 1;`);
    this.addSql(`update \`admin_transfers\` set \`live_key\` = \`enterprise_id\` where \`status\` in ('awaiting_admin_code', 'awaiting_target_code');`);
    this.addSql(`alter table \`admin_transfers\` add unique \`admin_transfers_live_key_unique\`(\`live_key\`);`);

    this.addSql(`alter table \`enterprises\` add \`live_key\` varchar(18) null, add \`version\` int not null default 1;`);
    this.addSql(`update \`enterprises\` set \`live_key\` = \`uscc\` where \`status\` in ('pending', 'certified');`);
    this.addSql(`alter table \`enterprises\` add unique \`enterprises_live_key_unique\`(\`live_key\`);`);

    this.addSql(`alter table \`memberships\` add \`live_key\` varchar(80) null, add \`version\` int not null default 1;`);
    this.addSql(`update \`memberships\` set \`live_key\` = concat(\`enterprise_id\`, ':', \`user_id\`) where \`status\` in ('pending', 'active');`);
    this.addSql(`alter table \`memberships\` add unique \`memberships_live_key_unique\`(\`live_key\`);`);

    this.addSql(`alter table \`seals\` add \`live_key\` varchar(80) null;`);
    this.addSql(`update \`seals\` set \`live_key\` = concat(\`enterprise_id\`, ':', \`type\`) where \`status\` <> 'voided';`);
    this.addSql(`alter table \`seals\` add unique \`seals_live_key_unique\`(\`live_key\`);`);

    this.addSql(`alter table \`sms_challenges\` add index \`sms_challenges_request_ip_purpose_index\`(\`request_ip\`, \`purpose\`);`);

    this.addSql(`alter table \`users\` drop column \`failed_login_count\`, drop column \`locked_until\`;`);

    this.addSql(`alter table \`willingness_confirmations\` add \`code_hash\` varchar(64) null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`attempt_counters\`;`);

    this.addSql(`alter table \`memberships\` drop index \`memberships_live_key_unique\`;`);
    this.addSql(`alter table \`memberships\` drop column \`live_key\`, drop column \`version\`;`);

    this.addSql(`alter table \`enterprises\` drop index \`enterprises_live_key_unique\`;`);
    this.addSql(`alter table \`enterprises\` drop column \`live_key\`, drop column \`version\`;`);

    this.addSql(`alter table \`seals\` drop index \`seals_live_key_unique\`;`);
    this.addSql(`alter table \`seals\` drop column \`live_key\`;`);

    this.addSql(`alter table \`willingness_confirmations\` drop column \`code_hash\`;`);

    this.addSql(`alter table \`admin_transfers\` drop index \`admin_transfers_live_key_unique\`;`);
    this.addSql(`alter table \`admin_transfers\` drop column \`end_reason\`, drop column \`live_key\`, drop column \`version\`;`);

    this.addSql(`alter table \`admin_applications\` drop index \`admin_applications_live_key_unique\`;`);
    this.addSql(`alter table \`admin_applications\` drop column \`live_key\`, drop column \`version\`;`);

    this.addSql(`alter table \`sms_challenges\` drop index \`sms_challenges_request_ip_purpose_index\`;`);

    this.addSql(`alter table \`users\` add \`failed_login_count\` int not null default 0, add \`locked_until\` datetime null default NULL;`);

  }

}
