import { Migration } from '@mikro-orm/migrations';

export class Migration20261201153503 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`idempotency_keys\` (\`id\` varchar(36) not null, \`user_id\` varchar(36) not null, \`scope\` varchar(40) not null, \`key\` varchar(100) not null, \`resource_id\` varchar(36) not null, \`created_at\` datetime not null, primary key (\`id\`)) default character set utf8mb4 engine = InnoDB;`);
    this.addSql(`alter table \`idempotency_keys\` add index \`idempotency_keys_resource_id_index\`(\`resource_id\`);`);
    this.addSql(`alter table \`idempotency_keys\` add index \`idempotency_keys_created_at_index\`(\`created_at\`);`);
    this.addSql(`alter table \`idempotency_keys\` add unique \`idempotency_keys_user_id_scope_key_unique\`(\`user_id\`, \`scope\`, \`key\`);`);

  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`idempotency_keys\`;`);

  }

}
