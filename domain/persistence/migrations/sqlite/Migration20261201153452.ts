import { Migration } from '@mikro-orm/migrations';

export class Migration20261201153452 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`idempotency_keys\` (\`id\` text not null, \`user_id\` text not null, \`scope\` text not null, \`key\` text not null, \`resource_id\` text not null, \`created_at\` datetime not null, primary key (\`id\`));`);
    this.addSql(`create index \`idempotency_keys_resource_id_index\` on \`idempotency_keys\` (\`resource_id\`);`);
    this.addSql(`create index \`idempotency_keys_created_at_index\` on \`idempotency_keys\` (\`created_at\`);`);
    this.addSql(`create unique index \`idempotency_keys_user_id_scope_key_unique\` on \`idempotency_keys\` (\`user_id\`, \`scope\`, \`key\`);`);
  }

}
