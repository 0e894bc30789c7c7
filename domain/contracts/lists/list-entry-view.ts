/**
 * A box's rows as the API sends them (GET /contracts, GET /contracts/counts): JSON, instants as ISO
 * strings. The portal imports these types rather than keeping copies.
 */
import { CONTRACT_STATUS_LABELS, VOID_REASON_LABELS } from '../contract-status';
import type { ListBox } from './contract-list-entry.entity';
import type { ListParty, ListRow } from './list-page';

/** One row of a box (the list read model), for `party` (whose `initiatedByMe` says 催办 may apply). */
export function listEntryView(row: ListRow, party: ListParty) {
  const status = CONTRACT_STATUS_LABELS[row.status];
  const reason = row.voidReason ? VOID_REASON_LABELS[row.voidReason] : null;
  return {
    id: row.contractId,
    box: row.box,
    title: row.title,
    contractNo: row.contractNo,
    status: row.status,
    statusLabel: status.zh,
    statusLabelEn: status.en,
    voidReason: row.voidReason,
    voidReasonLabel: reason?.zh ?? null,
    voidReasonLabelEn: reason?.en ?? null,
    initiatorId: row.initiatorId,
    initiatorName: row.initiatorName,
    initiatorEnterpriseId: row.initiatorEnterpriseId,
    initiatorEnterpriseName: row.initiatorEnterpriseName,
    initiatedByMe: party.type === 'user' ? row.initiatorId === party.id : row.initiatorEnterpriseId === party.id,
    counterparties: row.counterparties,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
export type ContractListEntryView = ReturnType<typeof listEntryView>;

/** GET /contracts: one keyset page of a box (`nextCursor` null after the last). */
export interface ListPageView {
  items: ContractListEntryView[];
  nextCursor: string | null;
}

/** GET /contracts/counts: entries per box, each counted up to `cap`. */
export type BoxCountsView = Record<ListBox, number> & { cap: number };
