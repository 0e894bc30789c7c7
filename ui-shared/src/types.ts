// Shapes returned by the SealFlow HTTP API (docs/http-api.md).

export type ContractStatus = 'in_progress' | 'completed' | 'voided';
export type SignerStatus = 'waiting' | 'pending' | 'signed';

export interface SignPosition {
  page: number;
  x: number;
  y: number;
}

export interface Signer {
  id: string | number;
  order: number;
  userId: string | number;
  name: string;
  mobileMasked: string;
  status: SignerStatus;
  signedAt: string | null;
  position: SignPosition;
}

export interface Contract {
  id: string | number;
  title: string;
  status: ContractStatus;
  statusLabel?: string;
  statusLabelEn?: string;
  voidReason: 'expired' | null;
  initiatorId: string | number;
  initiatorName: string | null;
  createdAt: string;
  expiresAt: string;
  completedAt: string | null;
  voidedAt: string | null;
  pageCount: number;
  /** Increases with every signature (observed in the API, not in docs/http-api.md). */
  documentVersion?: number;
  signers: Signer[];
  currentSignerName?: string | null;
  signedCount?: number;
  myTurn: boolean;
  workflowId?: string;
  temporalUrl?: string;
}

export interface AuditEntry {
  id: string | number;
  at: string;
  actorName: string | null;
  action: string;
  actionLabel: string;
  actionLabelEn?: string;
  detail: unknown;
  ip: string | null;
}

export interface SessionUser {
  id: string | number;
  name: string;
  mobile: string;
  platformRole: 'operator' | null;
}

/** The action label in the UI locale (the API sends actionLabel in zh-CN and actionLabelEn). */
export const actionLabelFor = (e: { action: string; actionLabel?: string; actionLabelEn?: string }, locale: string) =>
  (locale === 'en' ? e.actionLabelEn || e.actionLabel : e.actionLabel || e.actionLabelEn) || e.action;
