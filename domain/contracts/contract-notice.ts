/**
 * The notices a v2 contract's changes lead to (pure: the workflow imports it). Who hears them and
 * the texts are in contract-notifications.ts.
 */
import type { AfterSigned } from './routing';

export interface ContractNotice {
  contractId: string;
  event: 'step_started' | 'completed' | 'voided';
  /** step_started: the step that started. */
  step?: number;
}

/** The notice a committed signature leads to: 已完成 after the last one, the next step's start, or none. */
export function noticeAfterSignature(contractId: string, routing: AfterSigned): ContractNotice | null {
  if (routing.completed) return { contractId, event: 'completed' };
  if (routing.nextStep !== null) return { contractId, event: 'step_started', step: routing.nextStep };
  return null;
}
