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
import { ContractListEntrySchema, type ContractListEntry } from './contract-list-entry.entity';
import { entryKey, listEntriesFor, type EntryData, type ListSource } from './list-entries';
import { fromDbDate, sqlDialect } from './sql-dialect';

type Row = Record<string, unknown>;

const SAME_FIELDS = ['title', 'contractNo', 'status', 'voidReason', 'initiatorId', 'initiatorName', 'initiatorEnterpriseId', 'initiatorEnterpriseName', 'counterparties'] as const;

function sameEntry(a: EntryData, b: EntryData): boolean {
  return SAME_FIELDS.every((f) => a[f] === b[f]) && a.createdAt.getTime() === b.createdAt.getTime() && a.expiresAt.getTime() === b.expiresAt.getTime();
}

async function loadSource(em: EntityManager, contractId: string): Promise<ListSource | null> {
  const dialect = sqlDialect(em);
  const ctx = em.getTransactionContext();
  const locking = dialect === 'mysql' && em.isInTransaction();
  const forUpdate = locking ? ' for update' : '';
  const forShare = locking ? ' lock in share mode' : '';
  const run = async (sql: string, params: unknown[]): Promise<Row[]> => (await em.getConnection().execute(sql, params, 'all', ctx)) as Row[];
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
    cc: cc.map((x) => ({ userId: String(x.user_id) })),
    initiatorName: initiator ? String(initiator.name) : '',
    initiatorEnterpriseName: enterprise ? String(enterprise.name) : null,
  };
}

/** Recomputes the contract's list rows; a contract that no longer exists (or is 创建中) has none. */
export async function refreshContractListEntries(em: EntityManager, contractId: string, now = new Date()): Promise<void> {
  await em.flush();
  const source = await loadSource(em, contractId);
  const wanted = new Map((source ? listEntriesFor(source, now) : []).map((e) => [entryKey(e), e]));
  const existing = await em.find(ContractListEntrySchema, { contractId }, { disableIdentityMap: true });
  const stale: number[] = [];
  for (const row of existing) {
    const want = wanted.get(entryKey(row));
    if (!want) {
      stale.push(row.id);
      continue;
    }
    wanted.delete(entryKey(row));
    if (!sameEntry(row, want)) {
      const { partyType: _t, partyId: _p, box: _b, contractId: _c, ...data } = want;
      await em.nativeUpdate(ContractListEntrySchema, { id: row.id }, data);
    }
  }
  if (stale.length) await em.nativeDelete(ContractListEntrySchema, { id: { $in: stale } });
  if (wanted.size) await em.insertMany(ContractListEntrySchema, [...wanted.values()] as ContractListEntry[]);
}
