import { EntitySchema } from '@mikro-orm/core';
import type { ContractStatus, VoidReason } from '../contract-status';

/** Whose list a row belongs to: a user (acting as themselves) or an enterprise (acting as it, 切换至企业). */
export const LIST_PARTY_TYPES = ['user', 'enterprise'] as const;
export type ListPartyType = (typeof LIST_PARTY_TYPES)[number];

/** 待我签署, 待他人签署, 已完成签署, 已作废, 抄送我的. */
export const LIST_BOXES = ['todo', 'waiting', 'completed', 'voided', 'cc'] as const;
export type ListBox = (typeof LIST_BOXES)[number];

/**
 * The contract lists' read model: one row per (party, box, contract), rebuilt from contracts,
 * participants and CC by `refreshContractListEntries` inside every contract change's transaction.
 * A page of a box is one range of the composite index (party, box, createdAt, contractId): keyset
 * paging reads exactly the rows it returns, however many contracts the party has.
 */
export interface ContractListEntry {
  id: number;
  partyType: ListPartyType;
  partyId: string;
  box: ListBox;
  contractId: string;
  title: string;
  contractNo: string | null;
  status: ContractStatus;
  voidReason: VoidReason | null;
  initiatorId: string;
  initiatorName: string;
  initiatorEnterpriseId: string | null;
  initiatorEnterpriseName: string | null;
  /** Names of the participants (persons, enterprises, departments) and the initiator: searchable text. */
  counterparties: string;
  createdAt: Date;
  expiresAt: Date;
  updatedAt: Date;
}

export const LIST_INDEX_NAME = 'contract_list_entries_page_index';

export const ContractListEntrySchema = new EntitySchema<ContractListEntry>({
  name: 'ContractListEntry',
  tableName: 'contract_list_entries',
  indexes: [
    { name: LIST_INDEX_NAME, properties: ['partyType', 'partyId', 'box', 'createdAt', 'contractId'] },
  ],
  // One row per (party, box, contract); led by contractId so it also serves the refresh's lookup of a
  // contract's rows and never competes with the page index for a list query.
  uniques: [{ name: 'contract_list_entries_entry_unique', properties: ['contractId', 'partyType', 'partyId', 'box'] }],
  properties: {
    id: { type: 'integer', primary: true, autoincrement: true },
    partyType: { type: 'string', length: 10 },
    partyId: { type: 'string', length: 36 },
    box: { type: 'string', length: 10 },
    // No foreign key: a read model row may outlive its contract for the moment of a compensation.
    contractId: { type: 'string', length: 36 },
    title: { type: 'string', length: 200 },
    contractNo: { type: 'string', length: 64, nullable: true },
    status: { type: 'string', length: 20 },
    voidReason: { type: 'string', length: 20, nullable: true },
    initiatorId: { type: 'string', length: 36 },
    initiatorName: { type: 'string', length: 100 },
    initiatorEnterpriseId: { type: 'string', length: 36, nullable: true },
    initiatorEnterpriseName: { type: 'string', length: 200, nullable: true },
    counterparties: { type: 'string', length: 1000 },
    createdAt: { type: 'datetime', length: 3 },
    expiresAt: { type: 'datetime', length: 3 },
    updatedAt: { type: 'datetime', length: 3 },
  },
});
