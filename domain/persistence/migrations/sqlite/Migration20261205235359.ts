import { Migration } from '@mikro-orm/migrations';

/** (user_id, invited) on contract_signers and contract_cc: the reconciler's look for invitations and CC notices a start never sent. */
export class Migration20261205235359 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create index \`contract_signers_user_id_invited_index\` on \`contract_signers\` (\`user_id\`, \`invited\`);`);
    this.addSql(`create index \`contract_cc_user_id_invited_index\` on \`contract_cc\` (\`user_id\`, \`invited\`);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index \`contract_signers_user_id_invited_index\`;`);
    this.addSql(`drop index \`contract_cc_user_id_invited_index\`;`);
  }

}
