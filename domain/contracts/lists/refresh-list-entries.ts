/**
 * Brings the list read model of one contract up to date. Called by `recordContractEvent` inside
 * the transaction of every contract change (and by the backfill): it flushes the caller's pending
 * changes, reads the contract, its participants and CC as committed plus this transaction's own
 * writes, and inserts / updates / deletes only the rows that differ.
 *
 * On MySQL/MariaDB the reads are locking reads when inside a transaction: a plain read would see
 * the transaction's snapshot, older than a change another transaction committed meanwhile, and
 * could write stale rows over fresh ones.
 */
import type { EntityManager } from '@mikro-orm/core';
import type { ParticipantKind, SignerStatus } from '../contract-signer.entity';
import type { ContractStatus, VoidReason } from '../contract-status';
import { entryKey, listEntriesFor, type EntryData, type ListSource } from './list-entries';
import { allSql, placeholders, runSql, sqlDate } from '../../persistence/plain-sql';
import { fromDbDate, lockingRead } from '../../persistence/sql-dialect';

type Row = Record<string, unknown>;

const SAME_FIELDS = ['title', 'contractNo', 'status', 'voidReason', 'initiatorId', 'initiatorName', 'initiatorEnterpriseId', 'initiatorEnterpriseName', 'counterparties'] as const;

function sameEntry(a: EntryData, b: EntryData): boolean {
  return SAME_FIELDS.every((f) => a[f] === b[f]) && a.createdAt.getTime() === b.createdAt.getTime() && a.expiresAt.getTime() === b.expiresAt.getTime();
}

async function loadSource(em: EntityManager, contractId: string): Promise<ListSource | null> {
  const forUpdate = lockingRead(em, 'update');
  const forShare = lockingRead(em, 'share');
  const run = (sql: string, params: unknown[]): Promise<Row[]> => allSql(em, sql, params);
  const [c] = await run(
    `select c.id, c.title, c.contract_no, c.status, c.void_reason, c.initiator_id, c.initiator_enterprise_id, c.created_at, c.expires_at from contracts c where c.id = ?${forUpdate}`,
    [contractId],
  );
  if (!c) return null;
  const participants = await run(`select kind, user_id, enterprise_id, name, status from contract_signers where contract_id = ? order by sign_order${forShare}`, [contractId]);
  const cc = await run(`select user_id from contract_cc where contract_id = ?${forShare}`, [contractId]);
  const [initiator] = await run('select name from users where id = ?', [c.initiator_id]);
  const [enterprise] = c.initiator_enterprise_id ? await run('select name from enterprises where id = ?', [c.initiator_enterprise_id]) : [];
  return {
    contract: {
      id: String(c.id),
      title: String(c.title),
      contractNo: (c.contract_no as string | null) ?? null,
      status: c.status as ContractStatus,
      voidReason: (c.void_reason as VoidReason | null) ?? null,
      initiatorId: String(c.initiator_id),
      initiatorEnterpriseId: (c.initiator_enterprise_id as string | null) ?? null,
      createdAt: fromDbDate(c.created_at),
      expiresAt: fromDbDate(c.expires_at),
    },
    participants: participants.map((p) => ({
      kind: p.kind as ParticipantKind,
      userId: (p.user_id as string | null) ?? null,
      enterpriseId: (p.enterprise_id as string | null) ?? null,
      name: String(p.name),
      status: p.status as SignerStatus,
    })),
    // A row of a number without an account (user_id NULL) lists nothing for anyone.
    cc: cc.flatMap((x) => (x.user_id === null || x.user_id === undefined ? [] : [{ userId: String(x.user_id) }])),
    initiatorName: initiator ? String(initiator.name) : '',
    initiatorEnterpriseName: enterprise ? String(enterprise.name) : null,
  };
}

/** The columns a list row is written with, in order (plain SQL: this runs in every contract change). */
const COLUMNS = [
  ['partyType', 'party_type'],
  ['partyId', 'party_id'],
  ['box', 'box'],
  ['contractId', 'contract_id'],
  ['title', 'title'],
  ['contractNo', 'contract_no'],
  ['status', 'status'],
  ['voidReason', 'void_reason'],
  ['initiatorId', 'initiator_id'],
  ['initiatorName', 'initiator_name'],
  ['initiatorEnterpriseId', 'initiator_enterprise_id'],
  ['initiatorEnterpriseName', 'initiator_enterprise_name'],
  ['counterparties', 'counterparties'],
  ['createdAt', 'created_at'],
  ['expiresAt', 'expires_at'],
  ['updatedAt', 'updated_at'],
] as const satisfies readonly (readonly [keyof EntryData, string])[];

/** The fields `sameEntry` compares, and `updated_at`: what an existing row's update sets. */
const UPDATED = COLUMNS.filter(([field]) => field !== 'partyType' && field !== 'partyId' && field !== 'box' && field !== 'contractId');

const bind = (em: EntityManager, value: unknown) => (value instanceof Date ? sqlDate(em, value) : value);

/** The contract's existing list rows, as entries (read in the caller's transaction). */
async function existingEntries(em: EntityManager, contractId: string): Promise<(EntryData & { id: number })[]> {
  const rows = await allSql(em, `select id, ${COLUMNS.map(([, c]) => c).join(', ')} from contract_list_entries where contract_id = ?`, [contractId]);
  return rows.map((r) => {
    const entry: Record<string, unknown> = { id: Number(r.id) };
    for (const [field, column] of COLUMNS) entry[field] = field === 'createdAt' || field === 'expiresAt' || field === 'updatedAt' ? fromDbDate(r[column]) : (r[column] ?? null);
    return entry as EntryData & { id: number };
  });
}

/** Recomputes the contract's list rows; a contract that no longer exists (or is 创建中) has none. */
export async function refreshContractListEntries(em: EntityManager, contractId: string, now = new Date()): Promise<void> {
  await em.flush();
  const source = await loadSource(em, contractId);
  const wanted = new Map((source ? listEntriesFor(source, now) : []).map((e) => [entryKey(e), e]));
  const stale: number[] = [];
  for (const row of await existingEntries(em, contractId)) {
    const want = wanted.get(entryKey(row));
    if (!want) {
      stale.push(row.id);
      continue;
    }
    wanted.delete(entryKey(row));
    if (!sameEntry(row, want)) {
      await runSql(em, `update contract_list_entries set ${UPDATED.map(([, c]) => `${c} = ?`).join(', ')} where id = ?`, [...UPDATED.map(([f]) => bind(em, want[f])), row.id]);
    }
  }
  if (stale.length) await runSql(em, `delete from contract_list_entries where id in (${placeholders(stale.length)})`, stale);
  if (wanted.size) {
    const rows = [...wanted.values()];
    await runSql(
      em,
      `insert into contract_list_entries (${COLUMNS.map(([, c]) => c).join(', ')}) values ${rows.map(() => `(${placeholders(COLUMNS.length)})`).join(', ')}`,
      rows.flatMap((e) => COLUMNS.map(([f]) => bind(em, e[f]))),
    );
  }
}
