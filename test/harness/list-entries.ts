/** Synthetic rows of the contracts list read model (contract_list_entries) for list and count tests. */
import { randomUUID } from 'node:crypto';
import type { ListBox } from '../../domain/contracts/lists/contract-list-entry.entity';

/** Row i of a party's box, created i seconds before `now`; completed boxes hold completed contracts. */
export function listEntry(partyId: string, box: ListBox, i: number, now = Date.now()) {
  return {
    partyType: 'user' as const,
    partyId,
    box,
    contractId: randomUUID(),
    title: `t${i}`,
    contractNo: null,
    status: box === 'completed' ? ('completed' as const) : ('in_progress' as const),
    voidReason: null,
    initiatorId: 'x',
    initiatorName: 'x',
    initiatorEnterpriseId: null,
    initiatorEnterpriseName: null,
    counterparties: 'x',
    createdAt: new Date(now - i * 1000),
    expiresAt: new Date(now),
    updatedAt: new Date(now),
  };
}
