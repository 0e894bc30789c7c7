// GET /api/my/enterprises and friends (docs/http-api.md, 我的企业).
import type { MemberRole } from '../../../ui-shared/src/types';

export type EnterpriseStatus = 'pending' | 'certified' | 'rejected' | 'cancelled';

export interface MyEnterprise {
  id: string;
  name: string;
  uscc: string;
  legalRepresentative: string;
  status: EnterpriseStatus;
  statusLabel: string;
  statusLabelEn?: string;
  rejectReason: string | null;
  sealTypes: string[];
  sealTypeNames: string[];
  submittedAt: string;
  certifiedAt: string | null;
  /** 待重新认证 while a name change is open or its re-certification not yet approved. */
  standing?: 'normal' | 'recertifying';
  openChange?: { id: string; status: string; newValue: string | null } | null;
  /** I am its administrator now (GET /my/enterprises). */
  isAdministrator?: boolean;
}

export interface JoinedEnterprise {
  membershipId: string;
  enterpriseId: string;
  enterpriseName: string;
  uscc: string;
  role: MemberRole;
  roleLabel: string;
  roleLabelEn?: string;
  status: 'pending' | 'active' | 'rejected';
  statusLabel: string;
  statusLabelEn?: string;
  rejectReason: string | null;
  appliedAt: string;
  adminApplicationStatus: 'pending' | 'approved' | 'rejected' | 'withdrawn' | null;
}

export interface PendingTransfer {
  id: string;
  enterpriseId: string;
  role: 'admin' | 'target';
  status: 'awaiting_admin_code' | 'awaiting_target_code';
  myTurn: boolean;
  deadline: string;
}

export interface MyEnterprises {
  certified: MyEnterprise[];
  joined: JoinedEnterprise[];
  adminApplications: Array<{ id: string; enterpriseId: string; status: string; rejectReason: string | null; createdAt: string }>;
  pendingTransfers: PendingTransfer[];
}

export interface EnterpriseSearchResult {
  id: string;
  name: string;
  uscc: string;
}

/** 授权书: PDF, PNG or JPEG, at most 10 MB (checked again by the API, by content). */
export const LETTER_ACCEPT = 'application/pdf,image/png,image/jpeg,.pdf,.png,.jpg,.jpeg';
export const LETTER_MAX_BYTES = 10 * 1024 * 1024;

export function letterProblem(file: File | null, required: boolean): string | null {
  if (!file) return required ? 'letter_required' : null;
  const okType = ['application/pdf', 'image/png', 'image/jpeg'].includes(file.type) || /\.(pdf|png|jpe?g)$/i.test(file.name);
  if (!okType) return 'letter_type';
  if (file.size > LETTER_MAX_BYTES) return 'letter_size';
  return null;
}
