/**
 * The contract state machine. Workflows, API and UIs ask this module what is allowed.
 * 创建中 (starting: rows written, workflow being started; never shown to users) → 签署中 →
 * 已完成 | 已作废 (过期, 拒签, 撤销 or 平台撤销). Terminal states never change. A contract whose start fails
 * is removed while still 创建中 (compensation), never half-created.
 */
export const CONTRACT_STATUSES = ['starting', 'in_progress', 'completed', 'voided'] as const;
export type ContractStatus = (typeof CONTRACT_STATUSES)[number];

/** Statuses users see (lists, detail); `starting` is internal. */
export const VISIBLE_CONTRACT_STATUSES = ['in_progress', 'completed', 'voided'] as const satisfies readonly ContractStatus[];

export const VOID_REASONS = ['expired', 'refused', 'revoked', 'revoked_by_platform'] as const;
export type VoidReason = (typeof VOID_REASONS)[number];

export const CONTRACT_STATUS_LABELS: Record<ContractStatus, { zh: string; en: string }> = {
  starting: { zh: '创建中', en: 'Starting' },
  in_progress: { zh: '签署中', en: 'In progress' },
  completed: { zh: '已完成', en: 'Completed' },
  voided: { zh: '已作废', en: 'Voided' },
};

export const VOID_REASON_LABELS: Record<VoidReason, { zh: string; en: string }> = {
  expired: { zh: '过期', en: 'Expired' },
  refused: { zh: '拒签', en: 'Refused' },
  revoked: { zh: '撤销', en: 'Revoked' },
  revoked_by_platform: { zh: '平台撤销', en: 'Revoked by the platform' },
};

const TRANSITIONS: Record<ContractStatus, readonly ContractStatus[]> = {
  starting: ['in_progress'],
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
