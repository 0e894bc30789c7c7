import { Migration } from '@mikro-orm/migrations';

export class Migration20261204233013 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`contract_notices_sent\` (\`id\` varchar(80) not null, \`contract_id\` varchar(36) not null, \`sent_at\` datetime not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`contract_notices_sent\` add index \`contract_notices_sent_contract_id_index\`(\`contract_id\`);`);
    this.addSql(`alter table \`contract_notices_sent\` add constraint \`contract_notices_sent_contract_id_foreign\` foreign key (\`contract_id\`) references \`contracts\` (\`id\`) on update cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`contract_notices_sent\`;`);
  }

}
