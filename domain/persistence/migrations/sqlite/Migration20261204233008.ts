import { Migration } from '@mikro-orm/migrations';

export class Migration20261204233008 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`contract_notices_sent\` (\`id\` text not null, \`contract_id\` text not null, \`sent_at\` datetime not null, constraint \`contract_notices_sent_contract_id_foreign\` foreign key(\`contract_id\`) references \`contracts\`(\`id\`) on update cascade, primary key (\`id\`));`);
    this.addSql(`create index \`contract_notices_sent_contract_id_index\` on \`contract_notices_sent\` (\`contract_id\`);`);
  }

}
