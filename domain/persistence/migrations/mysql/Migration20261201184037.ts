import { Migration } from '@mikro-orm/migrations';

export class Migration20261201184037 extends Migration {

  override async up(): Promise<void> {


    this.addSql(`alter table \`seals\` add \`department_name\` varchar(30) null, add \`source\` varchar(20) not null default 'generated', add \`image_key\` varchar(200) null, add \`image_sha256\` varchar(64) null, add \`width_mm\` double null, add \`height_mm\` double null, add \`security_code\` varchar(13) null, add \`updated_at\` datetime null, add \`version\` int not null default 1;`);
    this.addSql(`alter table \`seals\` add unique \`seals_security_code_unique\`(\`security_code\`);`);

    this.addSql(`alter table \`seal_authorizations\` add \`expires_at\` datetime null;`);
    this.addSql(`alter table \`seal_authorizations\` add index \`seal_authorizations_expires_at_index\`(\`expires_at\`);`);

  }

  override async down(): Promise<void> {

    this.addSql(`alter table \`seals\` drop index \`seals_security_code_unique\`;`);
    this.addSql(`alter table \`seals\` drop column \`department_name\`, drop column \`source\`, drop column \`image_key\`, drop column \`image_sha256\`, drop column \`width_mm\`, drop column \`height_mm\`, drop column \`security_code\`, drop column \`updated_at\`, drop column \`version\`;`);


    this.addSql(`alter table \`seal_authorizations\` drop index \`seal_authorizations_expires_at_index\`;`);
    this.addSql(`alter table \`seal_authorizations\` drop column \`expires_at\`;`);
  }

}
