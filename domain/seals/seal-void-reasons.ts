/** Labels of why a seal was voided (issue 9; `Seal.voidReason`, SEAL_VOID_REASONS): shown as 已作废（原因）. */
import type { SealVoidReason } from '../enterprises/seal.entities';

export const SEAL_VOID_REASON_LABELS: Record<SealVoidReason, { zh: string; en: string }> = {
  enterprise_renamed: { zh: '企业名称变更', en: 'Enterprise renamed' },
  legal_representative_changed: { zh: '法定代表人变更', en: 'Legal representative changed' },
};

export const sealVoidReasonLabel = (reason: string | null) =>
  reason && reason in SEAL_VOID_REASON_LABELS ? SEAL_VOID_REASON_LABELS[reason as SealVoidReason] : reason ? { zh: reason, en: reason } : null;
