import { Migration } from '@mikro-orm/migrations';

/**
 * (user_id, invited) on contract_signers and contract_cc: the reconciler's look for invitations and CC notices a start
 * never sent (invitations.ts, contractsWithPendingMessages). Trimmed by hand: the generator's unrelated `modify` and
 * JSON-check statements (driver noise) are left out.
 */
export class Migration20261205235405 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`contract_signers\` add index \`contract_signers_user_id_invited_index\`(\`user_id\`, \`invited\`);`);
    this.addSql(`alter table \`contract_cc\` add index \`contract_cc_user_id_invited_index\`(\`user_id\`, \`invited\`);`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table \`contract_signers\` drop index \`contract_signers_user_id_invited_index\`;`);
    this.addSql(`alter table \`contract_cc\` drop index \`contract_cc_user_id_invited_index\`;`);
  }

}
