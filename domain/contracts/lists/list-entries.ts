/**
 * Which list rows a contract has: the one rule behind every box (pure; `refresh-list-entries.ts`
 * loads the rows and writes the result).
 * - A user's lists: contracts they initiated and contracts where they are a person participant.
 * - An enterprise's lists (acting as it): contracts initiated as it and contracts with one of its
 *   enterprise/department participants.
 * - 待我签署 (todo): in progress and one of the party's participants is pending; 待他人签署 (waiting):
 *   the party's other in-progress contracts; 已完成签署 / 已作废 by status; 抄送我的 (cc): CC users (a CC row
 *   without a user, a number not registered and verified yet, lists nothing).
 * Contracts still 创建中 are in no list.
 */
import type { ContractCc } from '../contract-cc.entity';
import type { ContractSigner } from '../contract-signer.entity';
import type { Contract } from '../contract.entity';
import type { ContractListEntry, ListBox, ListPartyType } from './contract-list-entry.entity';

export type EntryData = Omit<ContractListEntry, 'id'>;

export interface ListSource {
  contract: Pick<Contract, 'id' | 'title' | 'contractNo' | 'status' | 'voidReason' | 'initiatorId' | 'initiatorEnterpriseId' | 'createdAt' | 'expiresAt'>;
  participants: Pick<ContractSigner, 'kind' | 'userId' | 'enterpriseId' | 'name' | 'status'>[];
  cc: Pick<ContractCc, 'userId'>[];
  initiatorName: string;
  initiatorEnterpriseName: string | null;
}

const COUNTERPARTIES_MAX = 1000;

/** The searchable names: initiator (and its enterprise) and every participant, each once. */
export function counterpartiesText(s: ListSource): string {
  const names = [s.initiatorEnterpriseName, s.initiatorName, ...s.participants.map((p) => p.name)].filter((n): n is string => !!n);
  return [...new Set(names)].join('、').slice(0, COUNTERPARTIES_MAX);
}

export const entryKey = (e: Pick<EntryData, 'partyType' | 'partyId' | 'box'>) => `${e.partyType}:${e.partyId}:${e.box}`;

export function listEntriesFor(s: ListSource, now: Date): EntryData[] {
  const c = s.contract;
  if (c.status === 'starting') return [];
  // party key → whether one of its participants is pending
  const parties = new Map<string, { type: ListPartyType; id: string; pending: boolean }>();
  const involve = (type: ListPartyType, id: string, pending: boolean) => {
    const key = `${type}:${id}`;
    const known = parties.get(key);
    parties.set(key, { type, id, pending: (known?.pending ?? false) || pending });
  };
  involve('user', c.initiatorId, false);
  if (c.initiatorEnterpriseId) involve('enterprise', c.initiatorEnterpriseId, false);
  for (const p of s.participants) {
    const pending = p.status === 'pending';
    if (p.kind === 'person' && p.userId) involve('user', p.userId, pending);
    if (p.kind !== 'person' && p.enterpriseId) involve('enterprise', p.enterpriseId, pending);
  }
  const base = {
    contractId: c.id,
    title: c.title,
    contractNo: c.contractNo,
    status: c.status,
    voidReason: c.status === 'voided' ? c.voidReason : null,
    initiatorId: c.initiatorId,
    initiatorName: s.initiatorName,
    initiatorEnterpriseId: c.initiatorEnterpriseId,
    initiatorEnterpriseName: s.initiatorEnterpriseName,
    counterparties: counterpartiesText(s),
    createdAt: c.createdAt,
    expiresAt: c.expiresAt,
    updatedAt: now,
  };
  const statusBox = (pending: boolean): ListBox => (c.status === 'in_progress' ? (pending ? 'todo' : 'waiting') : c.status === 'completed' ? 'completed' : 'voided');
  const entries: EntryData[] = [...parties.values()].map((p) => ({ ...base, partyType: p.type, partyId: p.id, box: statusBox(p.pending) }));
  for (const userId of new Set(s.cc.flatMap((x) => (x.userId ? [x.userId] : [])))) entries.push({ ...base, partyType: 'user', partyId: userId, box: 'cc' });
  return entries;
}
