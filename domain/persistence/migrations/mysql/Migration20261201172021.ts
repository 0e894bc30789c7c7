import { Migration } from '@mikro-orm/migrations';

/** Foreign keys for the contract tables (ids stay plain strings in code: mapToPk). */
export class Migration20261201172021 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table \`idempotency_keys\` add constraint \`idempotency_keys_user_id_foreign\` foreign key (\`user_id\`) references \`users\` (\`id\`) on update cascade;`);
    this.addSql(`alter table \`idempotency_keys\` add index \`idempotency_keys_user_id_index\`(\`user_id\`);`);

    this.addSql(`alter table \`contracts\` add constraint \`contracts_initiator_id_foreign\` foreign key (\`initiator_id\`) references \`users\` (\`id\`) on update cascade;`);

    this.addSql(`alter table \`contract_signers\` add constraint \`contract_signers_contract_id_foreign\` foreign key (\`contract_id\`) references \`contracts\` (\`id\`) on update cascade;`);
    this.addSql(`alter table \`contract_signers\` add constraint \`contract_signers_user_id_foreign\` foreign key (\`user_id\`) references \`users\` (\`id\`) on update cascade;`);

    this.addSql(`alter table \`document_versions\` add constraint \`document_versions_contract_id_foreign\` foreign key (\`contract_id\`) references \`contracts\` (\`id\`) on update cascade;`);
    this.addSql(`alter table \`document_versions\` add constraint \`document_versions_signer_id_foreign\` foreign key (\`signer_id\`) references \`contract_signers\` (\`id\`) on update cascade on delete set null;`);
    this.addSql(`alter table \`document_versions\` add index \`document_versions_contract_id_index\`(\`contract_id\`);`);
    this.addSql(`alter table \`document_versions\` add index \`document_versions_signer_id_index\`(\`signer_id\`);`);

    this.addSql(`alter table \`willingness_confirmations\` add constraint \`willingness_confirmations_contract_id_foreign\` foreign key (\`contract_id\`) references \`contracts\` (\`id\`) on update cascade;`);
    this.addSql(`alter table \`willingness_confirmations\` add constraint \`willingness_confirmations_signer_id_foreign\` foreign key (\`signer_id\`) references \`contract_signers\` (\`id\`) on update cascade;`);
    this.addSql(`alter table \`willingness_confirmations\` add constraint \`willingness_confirmations_user_id_foreign\` foreign key (\`user_id\`) references \`users\` (\`id\`) on update cascade;`);
    this.addSql(`alter table \`willingness_confirmations\` add index \`willingness_confirmations_signer_id_index\`(\`signer_id\`);`);
    this.addSql(`alter table \`willingness_confirmations\` add index \`willingness_confirmations_user_id_index\`(\`user_id\`);`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table \`willingness_confirmations\` drop foreign key \`willingness_confirmations_contract_id_foreign\`;`);
    this.addSql(`alter table \`willingness_confirmations\` drop foreign key \`willingness_confirmations_signer_id_foreign\`;`);
    this.addSql(`alter table \`willingness_confirmations\` drop foreign key \`willingness_confirmations_user_id_foreign\`;`);

    this.addSql(`alter table \`idempotency_keys\` drop foreign key \`idempotency_keys_user_id_foreign\`;`);

    this.addSql(`alter table \`document_versions\` drop foreign key \`document_versions_contract_id_foreign\`;`);
    this.addSql(`alter table \`document_versions\` drop foreign key \`document_versions_signer_id_foreign\`;`);

    this.addSql(`alter table \`contract_signers\` drop foreign key \`contract_signers_contract_id_foreign\`;`);
    this.addSql(`alter table \`contract_signers\` drop foreign key \`contract_signers_user_id_foreign\`;`);

    this.addSql(`alter table \`contracts\` drop foreign key \`contracts_initiator_id_foreign\`;`);

    this.addSql(`alter table \`willingness_confirmations\` drop index \`willingness_confirmations_signer_id_index\`;`);
    this.addSql(`alter table \`willingness_confirmations\` drop index \`willingness_confirmations_user_id_index\`;`);

    this.addSql(`alter table \`idempotency_keys\` drop index \`idempotency_keys_user_id_index\`;`);

    this.addSql(`alter table \`document_versions\` drop index \`document_versions_contract_id_index\`;`);
    this.addSql(`alter table \`document_versions\` drop index \`document_versions_signer_id_index\`;`);

  }

}
