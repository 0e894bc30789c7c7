/**
 * The contract state machine. Workflows, API and UIs ask this module what is allowed.
 * 签署中 → 已完成 | 已作废 (过期; later also 拒签 / 撤销). Terminal states never change.
 */
export const CONTRACT_STATUSES = ['in_progress', 'completed', 'voided'] as const;
export type ContractStatus = (typeof CONTRACT_STATUSES)[number];

export const VOID_REASONS = ['expired'] as const;
export type VoidReason = (typeof VOID_REASONS)[number];

export const CONTRACT_STATUS_LABELS: Record<ContractStatus, { zh: string; en: string }> = {
  in_progress: { zh: '签署中', en: 'In progress' },
  completed: { zh: '已完成', en: 'Completed' },
  voided: { zh: '已作废', en: 'Voided' },
};

export const VOID_REASON_LABELS: Record<VoidReason, { zh: string; en: string }> = {
  expired: { zh: '过期', en: 'Expired' },
};

const TRANSITIONS: Record<ContractStatus, readonly ContractStatus[]> = {
  in_progress: ['completed', 'voided'],
  completed: [],
  voided: [],
};

export function canTransition(from: ContractStatus, to: ContractStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export function isTerminal(status: ContractStatus): boolean {
  return TRANSITIONS[status].length === 0;
}
