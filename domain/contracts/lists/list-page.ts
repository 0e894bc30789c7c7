/**
 * One page of a contract box, read from the list read model with keyset paging: the WHERE clause
 * fixes the index prefix (party, box), ranges over createdAt, and the cursor continues after the
 * last row (createdAt, contractId) — so the database walks the composite index in order and reads
 * only the rows of the page, however many contracts the party has (no OFFSET, no COUNT).
 */
import type { EntityManager } from '@mikro-orm/core';
import { invalid } from '../../errors';
import type { ContractStatus, VoidReason } from '../contract-status';
import type { ContractListEntry, ListBox, ListPartyType } from './contract-list-entry.entity';
import { dbDate, fromDbDate, likeClause, likeContainsPattern as contains, sqlDialect, type SqlDialect } from '../../persistence/sql-dialect';
import { allSql } from '../../persistence/plain-sql';

export interface ListParty {
  type: ListPartyType;
  id: string;
}

export interface ListPageQuery {
  box: ListBox;
  q?: string;
  status?: ContractStatus;
  voidReason?: VoidReason;
  initiator?: string;
  from?: Date;
  to?: Date;
  cursor?: string;
  limit: number;
}

export type ListRow = Omit<ContractListEntry, 'id' | 'partyType' | 'partyId'>;

export interface ListPage {
  rows: ListRow[];
  nextCursor: string | null;
}

interface Cursor {
  createdAt: Date;
  contractId: string;
}

export const badCursor = () => invalid('BAD_CURSOR', '分页位置无效，请从第一页重新加载', 'Invalid page cursor; reload from the first page');

export function encodeCursor(c: Cursor): string {
  return Buffer.from(`${c.createdAt.getTime()}:${c.contractId}`, 'utf8').toString('base64url');
}

export function decodeCursor(raw: string): Cursor {
  const m = /^(\d{1,15}):([0-9A-Za-z-]{1,36})$/.exec(Buffer.from(raw, 'base64url').toString('utf8'));
  if (!m) throw badCursor();
  return { createdAt: new Date(Number(m[1])), contractId: m[2]! };
}

const COLUMNS =
  'box, contract_id, title, contract_no, status, void_reason, initiator_id, initiator_name, initiator_enterprise_id, initiator_enterprise_name, counterparties, created_at, expires_at, updated_at';

/** The SELECT of one page (exported for the EXPLAIN test). */
export function listPageSql(dialect: SqlDialect, party: ListParty, query: ListPageQuery): { sql: string; params: unknown[] } {
  const like = (col: string) => likeClause(dialect, col);
  const where = ['party_type = ?', 'party_id = ?', 'box = ?'];
  const params: unknown[] = [party.type, party.id, query.box];
  const add = (clause: string, ...values: unknown[]) => {
    where.push(clause);
    params.push(...values);
  };
  if (query.from) add('created_at >= ?', dbDate(dialect, query.from));
  if (query.to) add('created_at < ?', dbDate(dialect, query.to));
  if (query.cursor) {
    const c = decodeCursor(query.cursor);
    const at = dbDate(dialect, c.createdAt);
    // SQLite plans row values as one index range; MariaDB's range optimizer wants the OR form.
    if (dialect === 'sqlite') add('(created_at, contract_id) < (?, ?)', at, c.contractId);
    else add('(created_at < ? or (created_at = ? and contract_id < ?))', at, at, c.contractId);
  }
  if (query.status) add('status = ?', query.status);
  if (query.voidReason) add('void_reason = ?', query.voidReason);
  if (query.initiator) {
    const text = contains(query.initiator);
    add(`(${like('initiator_name')} or ${like('initiator_enterprise_name')})`, text, text);
  }
  if (query.q) {
    const text = contains(query.q);
    add(`(${like('title')} or ${like('contract_no')} or ${like('counterparties')})`, text, text, text);
  }
  params.push(query.limit + 1);
  return { sql: `select ${COLUMNS} from contract_list_entries where ${where.join(' and ')} order by created_at desc, contract_id desc limit ?`, params };
}

function toRow(r: Record<string, unknown>): ListRow {
  return {
    box: r.box as ListBox,
    contractId: String(r.contract_id),
    title: String(r.title),
    contractNo: (r.contract_no as string | null) ?? null,
    status: r.status as ContractStatus,
    voidReason: (r.void_reason as VoidReason | null) ?? null,
    initiatorId: String(r.initiator_id),
    initiatorName: String(r.initiator_name),
    initiatorEnterpriseId: (r.initiator_enterprise_id as string | null) ?? null,
    initiatorEnterpriseName: (r.initiator_enterprise_name as string | null) ?? null,
    counterparties: String(r.counterparties),
    createdAt: fromDbDate(r.created_at),
    expiresAt: fromDbDate(r.expires_at),
    updatedAt: fromDbDate(r.updated_at),
  };
}

export async function listPage(em: EntityManager, party: ListParty, query: ListPageQuery): Promise<ListPage> {
  const { sql, params } = listPageSql(sqlDialect(em), party, query);
  const raw = await allSql(em, sql, params);
  const rows = raw.slice(0, query.limit).map(toRow);
  const last = rows.at(-1);
  return { rows, nextCursor: raw.length > query.limit && last ? encodeCursor({ createdAt: last.createdAt, contractId: last.contractId }) : null };
}

export const COUNT_CAP = 1000;

/**
 * Rows per box for the party, each counted up to COUNT_CAP (an index range scan of at most that many
 * rows), all boxes in one statement (one round trip for the menu badge, not one per box).
 */
export async function boxCounts(em: EntityManager, party: ListParty, boxes: readonly ListBox[]): Promise<Record<ListBox, number>> {
  const out = {} as Record<ListBox, number>;
  if (!boxes.length) return out;
  const arm = (i: number) =>
    `select ? as box, count(*) as n from (select 1 as one from contract_list_entries where party_type = ? and party_id = ? and box = ? limit ?) t${i}`;
  const sql = boxes.map((_, i) => arm(i)).join(' union all ');
  const params = boxes.flatMap((box) => [box, party.type, party.id, box, COUNT_CAP]);
  const rows = (await allSql(em, sql, params)) as { box: string; n: number | string }[];
  for (const box of boxes) out[box] = Number(rows.find((r) => r.box === box)?.n ?? 0);
  return out;
}

/** The subset of `contractIds` that appear in any of the party's lists. */
export async function visibleContractIds(em: EntityManager, party: ListParty, contractIds: string[]): Promise<Set<string>> {
  if (!contractIds.length) return new Set();
  const rows = (await em
    .getConnection()
    .execute(`select distinct contract_id from contract_list_entries where party_type = ? and party_id = ? and contract_id in (${contractIds.map(() => '?').join(', ')})`, [party.type, party.id, ...contractIds], 'all')) as {
    contract_id: string;
  }[];
  return new Set(rows.map((r) => r.contract_id));
}
