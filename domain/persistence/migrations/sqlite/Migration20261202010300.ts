import { Migration } from '@mikro-orm/migrations';

export class Migration20261202010300 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`enterprise_changes\` (\`id\` text not null, \`enterprise_id\` text not null, \`seq\` integer not null, \`kind\` text not null, \`status\` text not null, \`old_value\` text not null, \`new_value\` text null, \`uscc\` text null, \`authorization_letter_key\` text null, \`authorization_letter_type\` text null, \`reject_reason\` text null, \`end_reason\` text null, \`started_by\` text not null, \`reviewed_by\` text null, \`reviewed_at\` datetime null, \`submitted_at\` datetime null, \`ended_at\` datetime null, \`deadline_at\` datetime null, \`created_at\` datetime not null, \`live_key\` text null, \`version\` integer not null default 1, constraint \`enterprise_changes_enterprise_id_foreign\` foreign key(\`enterprise_id\`) references \`enterprises\`(\`id\`) on update cascade, constraint \`enterprise_changes_started_by_foreign\` foreign key(\`started_by\`) references \`users\`(\`id\`) on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`enterprise_changes_enterprise_id_index\` on \`enterprise_changes\` (\`enterprise_id\`);`);
    this.addSql(`create index \`enterprise_changes_started_by_index\` on \`enterprise_changes\` (\`started_by\`);`);
    this.addSql(`create unique index \`enterprise_changes_live_key_unique\` on \`enterprise_changes\` (\`live_key\`);`);
    this.addSql(`create index \`enterprise_changes_status_created_at_index\` on \`enterprise_changes\` (\`status\`, \`created_at\`);`);
    this.addSql(`create unique index \`enterprise_changes_enterprise_id_seq_unique\` on \`enterprise_changes\` (\`enterprise_id\`, \`seq\`);`);

    this.addSql(`create table \`batch_signings\` (\`id\` text not null, \`user_id\` text not null, \`acting_enterprise_id\` text null, \`status\` text not null, \`set_hash\` text not null, \`item_count\` integer not null, \`created_at\` datetime not null, \`confirmed_at\` datetime null, \`finished_at\` datetime null, \`ip\` text null, constraint \`batch_signings_user_id_foreign\` foreign key(\`user_id\`) references \`users\`(\`id\`) on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`batch_signings_user_id_index\` on \`batch_signings\` (\`user_id\`);`);

    this.addSql(`create table \`batch_signing_items\` (\`id\` text not null, \`batch_id\` text not null, \`contract_id\` text not null, \`participant_id\` text not null, \`position\` integer not null, \`state\` text not null, \`confirmation_id\` text null, \`code\` text null, \`message\` text null, \`message_en\` text null, \`updated_at\` datetime not null, constraint \`batch_signing_items_batch_id_foreign\` foreign key(\`batch_id\`) references \`batch_signings\`(\`id\`) on update cascade, constraint \`batch_signing_items_contract_id_foreign\` foreign key(\`contract_id\`) references \`contracts\`(\`id\`) on update cascade, constraint \`batch_signing_items_participant_id_foreign\` foreign key(\`participant_id\`) references \`contract_signers\`(\`id\`) on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`batch_signing_items_batch_id_index\` on \`batch_signing_items\` (\`batch_id\`);`);
    this.addSql(`create index \`batch_signing_items_contract_id_index\` on \`batch_signing_items\` (\`contract_id\`);`);
    this.addSql(`create index \`batch_signing_items_participant_id_index\` on \`batch_signing_items\` (\`participant_id\`);`);
    this.addSql(`create unique index \`batch_signing_items_batch_id_contract_id_unique\` on \`batch_signing_items\` (\`batch_id\`, \`contract_id\`);`);

    this.addSql(`alter table \`enterprises\` add column \`standing\` text not null default 'normal';`);
    this.addSql(`alter table \`enterprises\` add column \`contact_name\` text null;`);
    this.addSql(`alter table \`enterprises\` add column \`contact_mobile\` text null;`);
    this.addSql(`alter table \`enterprises\` add column \`contact_email\` text null;`);
    this.addSql(`alter table \`enterprises\` add column \`address\` text null;`);
    this.addSql(`alter table \`enterprises\` add column \`info_updated_at\` datetime null;`);

    this.addSql(`alter table \`signing_certificates\` add column \`ca_revoked_at\` datetime null;`);

    this.addSql(`alter table \`seals\` add column \`voided_at\` datetime null;`);
    this.addSql(`alter table \`seals\` add column \`void_reason\` text null;`);
    this.addSql(`alter table \`seals\` add column \`voided_by_change_id\` text null;`);
    this.addSql(`create index \`seals_voided_by_change_id_index\` on \`seals\` (\`voided_by_change_id\`);`);
  }

}
