import { Migration } from '@mikro-orm/migrations';

export class Migration20261201220231 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`contract_events\` (\`id\` varchar(36) not null, \`contract_id\` varchar(36) not null, \`seq\` int not null, \`type\` varchar(30) not null, \`actor_id\` varchar(36) null, \`actor_name\` varchar(100) not null, \`ip\` varchar(64) null, \`at\` datetime(3) not null, \`payload\` text not null, \`document_sha256\` varchar(64) null, \`prev_hash\` varchar(64) null, \`hash\` varchar(64) not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`contract_events\` add index \`contract_events_contract_id_index\`(\`contract_id\`);`);
    this.addSql(`alter table \`contract_events\` add unique \`contract_events_contract_id_seq_unique\`(\`contract_id\`, \`seq\`);`);

    this.addSql(`alter table \`contract_events\` add constraint \`contract_events_contract_id_foreign\` foreign key (\`contract_id\`) references \`contracts\` (\`id\`) on update cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`contract_events\`;`);
  }

}
