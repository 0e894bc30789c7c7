import { Migration } from '@mikro-orm/migrations';

/** The contract lists' read model (contract_list_entries), backfilled from the contracts that exist (v1: person signers, no CC). */
export class Migration20261201220837 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table \`contract_list_entries\` (\`id\` integer not null primary key autoincrement, \`party_type\` text not null, \`party_id\` text not null, \`box\` text not null, \`contract_id\` text not null, \`title\` text not null, \`contract_no\` text null, \`status\` text not null, \`void_reason\` text null, \`initiator_id\` text not null, \`initiator_name\` text not null, \`initiator_enterprise_id\` text null, \`initiator_enterprise_name\` text null, \`counterparties\` text not null, \`created_at\` datetime not null, \`expires_at\` datetime not null, \`updated_at\` datetime not null);`);
    this.addSql(`create index \`contract_list_entries_page_index\` on \`contract_list_entries\` (\`party_type\`, \`party_id\`, \`box\`, \`created_at\`, \`contract_id\`);`);
    this.addSql(`create unique index \`contract_list_entries_entry_unique\` on \`contract_list_entries\` (\`contract_id\`, \`party_type\`, \`party_id\`, \`box\`);`);
    this.addSql(`insert into contract_list_entries (party_type, party_id, box, contract_id, title, contract_no, status, void_reason, initiator_id, initiator_name, initiator_enterprise_id, initiator_enterprise_name, counterparties, created_at, expires_at, updated_at)
      select p.party_type, p.party_id,
        case when c.status = 'in_progress' then (case when p.pending = 1 then 'todo' else 'waiting' end) when c.status = 'completed' then 'completed' else 'voided' end,
        c.id, c.title, c.contract_no, c.status, case when c.status = 'voided' then c.void_reason else null end,
        c.initiator_id, u.name, c.initiator_enterprise_id, e.name,
        substr(coalesce(e.name || '、', '') || u.name || coalesce('、' || (select group_concat(name, '、') from (select s.name from contract_signers s where s.contract_id = c.id order by s.sign_order)), ''), 1, 1000),
        c.created_at, c.expires_at, cast(strftime('%s', 'now') as integer) * 1000
      from (select party_type, party_id, contract_id, max(pending) as pending from (select 'user' as party_type, c0.initiator_id as party_id, c0.id as contract_id, 0 as pending from contracts c0
            union all select 'enterprise', c1.initiator_enterprise_id, c1.id, 0 from contracts c1 where c1.initiator_enterprise_id is not null
            union all select 'user', s0.user_id, s0.contract_id, case when s0.status = 'pending' then 1 else 0 end from contract_signers s0 where s0.kind = 'person' and s0.user_id is not null
            union all select 'enterprise', s1.enterprise_id, s1.contract_id, case when s1.status = 'pending' then 1 else 0 end from contract_signers s1 where s1.kind <> 'person' and s1.enterprise_id is not null) pp group by party_type, party_id, contract_id) p
      join contracts c on c.id = p.contract_id
      join users u on u.id = c.initiator_id
      left join enterprises e on e.id = c.initiator_enterprise_id
      where c.status <> 'starting';`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists \`contract_list_entries\`;`);
  }

}
