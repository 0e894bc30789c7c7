import { Migration } from '@mikro-orm/migrations';

export class Migration20261202010306 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`enterprise_changes\` (\`id\` varchar(36) not null, \`enterprise_id\` varchar(36) not null, \`seq\` int not null, \`kind\` varchar(30) not null, \`status\` varchar(30) not null, \`old_value\` varchar(200) not null, \`new_value\` varchar(200) null, \`uscc\` varchar(18) null, \`authorization_letter_key\` varchar(255) null, \`authorization_letter_type\` varchar(50) null, \`reject_reason\` varchar(500) null, \`end_reason\` varchar(40) null, \`started_by\` varchar(36) not null, \`reviewed_by\` varchar(36) null, \`reviewed_at\` datetime null, \`submitted_at\` datetime null, \`ended_at\` datetime null, \`deadline_at\` datetime null, \`created_at\` datetime(3) not null, \`live_key\` varchar(36) null, \`version\` int not null default 1, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`enterprise_changes\` add index \`enterprise_changes_enterprise_id_index\`(\`enterprise_id\`);`);
    this.addSql(`alter table \`enterprise_changes\` add index \`enterprise_changes_started_by_index\`(\`started_by\`);`);
    this.addSql(`alter table \`enterprise_changes\` add unique \`enterprise_changes_live_key_unique\`(\`live_key\`);`);
    this.addSql(`alter table \`enterprise_changes\` add index \`enterprise_changes_status_created_at_index\`(\`status\`, \`created_at\`);`);
    this.addSql(`alter table \`enterprise_changes\` add unique \`enterprise_changes_enterprise_id_seq_unique\`(\`enterprise_id\`, \`seq\`);`);

    this.addSql(`create table \`batch_signings\` (\`id\` varchar(36) not null, \`user_id\` varchar(36) not null, \`acting_enterprise_id\` varchar(36) null, \`status\` varchar(20) not null, \`set_hash\` varchar(64) not null, \`item_count\` int not null, \`created_at\` datetime not null, \`confirmed_at\` datetime null, \`finished_at\` datetime null, \`ip\` varchar(64) null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`batch_signings\` add index \`batch_signings_user_id_index\`(\`user_id\`);`);

    this.addSql(`create table \`batch_signing_items\` (\`id\` varchar(36) not null, \`batch_id\` varchar(36) not null, \`contract_id\` varchar(36) not null, \`participant_id\` varchar(36) not null, \`position\` int not null, \`state\` varchar(20) not null, \`confirmation_id\` varchar(36) null, \`code\` varchar(64) null, \`message\` varchar(500) null, \`message_en\` varchar(500) null, \`updated_at\` datetime not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`batch_signing_items\` add index \`batch_signing_items_batch_id_index\`(\`batch_id\`);`);
    this.addSql(`alter table \`batch_signing_items\` add index \`batch_signing_items_contract_id_index\`(\`contract_id\`);`);
    this.addSql(`alter table \`batch_signing_items\` add index \`batch_signing_items_participant_id_index\`(\`participant_id\`);`);
    this.addSql(`alter table \`batch_signing_items\` add unique \`batch_signing_items_batch_id_contract_id_unique\`(\`batch_id\`, \`contract_id\`);`);

    this.addSql(`alter table \`enterprise_changes\` add constraint \`enterprise_changes_enterprise_id_foreign\` foreign key (\`enterprise_id\`) references \`enterprises\` (\`id\`) on update cascade;`);
    this.addSql(`alter table \`enterprise_changes\` add constraint \`enterprise_changes_started_by_foreign\` foreign key (\`started_by\`) references \`users\` (\`id\`) on update cascade;`);

    this.addSql(`alter table \`batch_signings\` add constraint \`batch_signings_user_id_foreign\` foreign key (\`user_id\`) references \`users\` (\`id\`) on update cascade;`);

    this.addSql(`alter table \`batch_signing_items\` add constraint \`batch_signing_items_batch_id_foreign\` foreign key (\`batch_id\`) references \`batch_signings\` (\`id\`) on update cascade;`);
    this.addSql(`alter table \`batch_signing_items\` add constraint \`batch_signing_items_contract_id_foreign\` foreign key (\`contract_id\`) references \`contracts\` (\`id\`) on update cascade;`);
    this.addSql(`alter table \`batch_signing_items\` add constraint \`batch_signing_items_participant_id_foreign\` foreign key (\`participant_id\`) references \`contract_signers\` (\`id\`) on update cascade;`);

    this.addSql(`alter table \`enterprises\` add \`standing\` varchar(20) not null default 'normal', add \`contact_name\` varchar(50) null, add \`contact_mobile\` varchar(20) null, add \`contact_email\` varchar(100) null, add \`address\` varchar(200) null, add \`info_updated_at\` datetime null;`);

    this.addSql(`alter table \`signing_certificates\` add \`ca_revoked_at\` datetime null;`);

    this.addSql(`alter table \`seals\` add \`voided_at\` datetime null, add \`void_reason\` varchar(40) null, add \`voided_by_change_id\` varchar(36) null;`);
    this.addSql(`alter table \`seals\` add index \`seals_voided_by_change_id_index\`(\`voided_by_change_id\`);`);

  }

  override async down(): Promise<void> {
    this.addSql(`alter table \`batch_signing_items\` drop foreign key \`batch_signing_items_batch_id_foreign\`;`);

    this.addSql(`drop table if exists \`enterprise_changes\`;`);

    this.addSql(`drop table if exists \`batch_signings\`;`);

    this.addSql(`drop table if exists \`batch_signing_items\`;`);

    this.addSql(`alter table \`enterprises\` drop column \`standing\`, drop column \`contact_name\`, drop column \`contact_mobile\`, drop column \`contact_email\`, drop column \`address\`, drop column \`info_updated_at\`;`);

    this.addSql(`alter table \`seals\` drop index \`seals_voided_by_change_id_index\`;`);
    this.addSql(`alter table \`seals\` drop column \`voided_at\`, drop column \`void_reason\`, drop column \`voided_by_change_id\`;`);

    this.addSql(`alter table \`signing_certificates\` drop column \`ca_revoked_at\`;`);

  }

}
