import { Migration } from '@mikro-orm/migrations';

/** Foreign keys for the identity and enterprise tables (ids stay plain strings in code: mapToPk). */
export class Migration20261201160236 extends Migration {

  override async up(): Promise<void> {

    this.addSql(`alter table \`real_name_applications\` add constraint \`real_name_applications_user_id_foreign\` foreign key (\`user_id\`) references \`users\` (\`id\`) on update cascade;`);

    this.addSql(`alter table \`enterprises\` add constraint \`enterprises_certifier_user_id_foreign\` foreign key (\`certifier_user_id\`) references \`users\` (\`id\`) on update cascade;`);
    this.addSql(`alter table \`enterprises\` add constraint \`enterprises_admin_user_id_foreign\` foreign key (\`admin_user_id\`) references \`users\` (\`id\`) on update cascade on delete set null;`);
    this.addSql(`alter table \`enterprises\` add index \`enterprises_admin_user_id_index\`(\`admin_user_id\`);`);

    this.addSql(`alter table \`sessions\` add constraint \`sessions_user_id_foreign\` foreign key (\`user_id\`) references \`users\` (\`id\`) on update cascade;`);
    this.addSql(`alter table \`sessions\` add constraint \`sessions_acting_enterprise_id_foreign\` foreign key (\`acting_enterprise_id\`) references \`enterprises\` (\`id\`) on update cascade on delete set null;`);
    this.addSql(`alter table \`sessions\` add index \`sessions_acting_enterprise_id_index\`(\`acting_enterprise_id\`);`);

    this.addSql(`alter table \`seals\` add constraint \`seals_enterprise_id_foreign\` foreign key (\`enterprise_id\`) references \`enterprises\` (\`id\`) on update cascade;`);

    this.addSql(`alter table \`seal_authorizations\` add constraint \`seal_authorizations_enterprise_id_foreign\` foreign key (\`enterprise_id\`) references \`enterprises\` (\`id\`) on update cascade;`);
    this.addSql(`alter table \`seal_authorizations\` add constraint \`seal_authorizations_seal_id_foreign\` foreign key (\`seal_id\`) references \`seals\` (\`id\`) on update cascade;`);
    this.addSql(`alter table \`seal_authorizations\` add constraint \`seal_authorizations_user_id_foreign\` foreign key (\`user_id\`) references \`users\` (\`id\`) on update cascade;`);
    this.addSql(`alter table \`seal_authorizations\` add index \`seal_authorizations_enterprise_id_index\`(\`enterprise_id\`);`);
    this.addSql(`alter table \`seal_authorizations\` add index \`seal_authorizations_seal_id_index\`(\`seal_id\`);`);
    this.addSql(`alter table \`seal_authorizations\` add index \`seal_authorizations_user_id_index\`(\`user_id\`);`);

    this.addSql(`alter table \`memberships\` add constraint \`memberships_enterprise_id_foreign\` foreign key (\`enterprise_id\`) references \`enterprises\` (\`id\`) on update cascade;`);
    this.addSql(`alter table \`memberships\` add constraint \`memberships_user_id_foreign\` foreign key (\`user_id\`) references \`users\` (\`id\`) on update cascade;`);
    this.addSql(`alter table \`memberships\` add index \`memberships_enterprise_id_index\`(\`enterprise_id\`);`);
    this.addSql(`alter table \`memberships\` add index \`memberships_user_id_index\`(\`user_id\`);`);

    this.addSql(`alter table \`code_submissions\` add constraint \`code_submissions_user_id_foreign\` foreign key (\`user_id\`) references \`users\` (\`id\`) on update cascade;`);
    this.addSql(`alter table \`code_submissions\` add index \`code_submissions_user_id_index\`(\`user_id\`);`);

    this.addSql(`alter table \`admin_transfers\` add constraint \`admin_transfers_enterprise_id_foreign\` foreign key (\`enterprise_id\`) references \`enterprises\` (\`id\`) on update cascade;`);
    this.addSql(`alter table \`admin_transfers\` add constraint \`admin_transfers_from_user_id_foreign\` foreign key (\`from_user_id\`) references \`users\` (\`id\`) on update cascade;`);
    this.addSql(`alter table \`admin_transfers\` add constraint \`admin_transfers_to_user_id_foreign\` foreign key (\`to_user_id\`) references \`users\` (\`id\`) on update cascade;`);
    this.addSql(`alter table \`admin_transfers\` add index \`admin_transfers_from_user_id_index\`(\`from_user_id\`);`);

    this.addSql(`alter table \`admin_applications\` add constraint \`admin_applications_enterprise_id_foreign\` foreign key (\`enterprise_id\`) references \`enterprises\` (\`id\`) on update cascade;`);
    this.addSql(`alter table \`admin_applications\` add constraint \`admin_applications_user_id_foreign\` foreign key (\`user_id\`) references \`users\` (\`id\`) on update cascade;`);

  }

  override async down(): Promise<void> {
    this.addSql(`alter table \`memberships\` drop foreign key \`memberships_enterprise_id_foreign\`;`);
    this.addSql(`alter table \`memberships\` drop foreign key \`memberships_user_id_foreign\`;`);

    this.addSql(`alter table \`enterprises\` drop foreign key \`enterprises_certifier_user_id_foreign\`;`);
    this.addSql(`alter table \`enterprises\` drop foreign key \`enterprises_admin_user_id_foreign\`;`);

    this.addSql(`alter table \`sessions\` drop foreign key \`sessions_user_id_foreign\`;`);
    this.addSql(`alter table \`sessions\` drop foreign key \`sessions_acting_enterprise_id_foreign\`;`);

    this.addSql(`alter table \`seals\` drop foreign key \`seals_enterprise_id_foreign\`;`);

    this.addSql(`alter table \`code_submissions\` drop foreign key \`code_submissions_user_id_foreign\`;`);

    this.addSql(`alter table \`admin_transfers\` drop foreign key \`admin_transfers_enterprise_id_foreign\`;`);
    this.addSql(`alter table \`admin_transfers\` drop foreign key \`admin_transfers_from_user_id_foreign\`;`);
    this.addSql(`alter table \`admin_transfers\` drop foreign key \`admin_transfers_to_user_id_foreign\`;`);

    this.addSql(`alter table \`admin_applications\` drop foreign key \`admin_applications_enterprise_id_foreign\`;`);
    this.addSql(`alter table \`admin_applications\` drop foreign key \`admin_applications_user_id_foreign\`;`);

    this.addSql(`alter table \`real_name_applications\` drop foreign key \`real_name_applications_user_id_foreign\`;`);

    this.addSql(`alter table \`seal_authorizations\` drop foreign key \`seal_authorizations_enterprise_id_foreign\`;`);
    this.addSql(`alter table \`seal_authorizations\` drop foreign key \`seal_authorizations_seal_id_foreign\`;`);
    this.addSql(`alter table \`seal_authorizations\` drop foreign key \`seal_authorizations_user_id_foreign\`;`);

    this.addSql(`alter table \`memberships\` drop index \`memberships_enterprise_id_index\`;`);
    this.addSql(`alter table \`memberships\` drop index \`memberships_user_id_index\`;`);

    this.addSql(`alter table \`enterprises\` drop index \`enterprises_admin_user_id_index\`;`);

    this.addSql(`alter table \`sessions\` drop index \`sessions_acting_enterprise_id_index\`;`);

    this.addSql(`alter table \`code_submissions\` drop index \`code_submissions_user_id_index\`;`);

    this.addSql(`alter table \`admin_transfers\` drop index \`admin_transfers_from_user_id_index\`;`);


    this.addSql(`alter table \`seal_authorizations\` drop index \`seal_authorizations_enterprise_id_index\`;`);
    this.addSql(`alter table \`seal_authorizations\` drop index \`seal_authorizations_seal_id_index\`;`);
    this.addSql(`alter table \`seal_authorizations\` drop index \`seal_authorizations_user_id_index\`;`);
  }

}
