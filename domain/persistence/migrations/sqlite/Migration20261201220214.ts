import { Migration } from '@mikro-orm/migrations';

export class Migration20261201220214 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`contract_events\` (\`id\` text not null, \`contract_id\` text not null, \`seq\` integer not null, \`type\` text not null, \`actor_id\` text null, \`actor_name\` text not null, \`ip\` text null, \`at\` datetime not null, \`payload\` text not null, \`document_sha256\` text null, \`prev_hash\` text null, \`hash\` text not null, constraint \`contract_events_contract_id_foreign\` foreign key(\`contract_id\`) references \`contracts\`(\`id\`) on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`contract_events_contract_id_index\` on \`contract_events\` (\`contract_id\`);`);
    this.addSql(`create unique index \`contract_events_contract_id_seq_unique\` on \`contract_events\` (\`contract_id\`, \`seq\`);`);
  }

}
