// GET /api/console/enterprise-info (信息管理) and the change rows of a re-certification, as the
// API returns them (readEnterpriseInfo: the enterprise's fields, standing, openChange, history, impact).

export type EnterpriseStanding = 'normal' | 'recertifying';

export type ChangeKind = 'rename' | 'legal_representative';

export type ChangeStatus = 'drafting' | 'awaiting_submission' | 'under_review' | 'rejected' | 'approved' | 'abandoned' | 'lapsed' | 'completed';

/** One enterprise change (变更企业名称 / 变更法人). */
export interface EnterpriseChangeView {
  id: string;
  enterpriseId: string;
  seq: number;
  kind: ChangeKind;
  status: ChangeStatus;
  oldValue: string;
  newValue: string | null;
  uscc: string | null;
  rejectReason: string | null;
  endReason: string | null;
  startedBy?: string;
  startedByName?: string | null;
  reviewedAt: string | null;
  submittedAt: string | null;
  endedAt: string | null;
  deadlineAt: string | null;
  createdAt: string;
  /** Whether an authorisation letter was already submitted (a resubmission may keep it). */
  hasLetter?: boolean;
  authorizationLetterType?: string | null;
  version?: number;
}

/** What 提交重新认证 would void / remove / revoke now (shown before the point of no return). */
export interface RecertificationImpact {
  seals: number;
  authorizations: number;
  certificates: number;
}

export interface EnterpriseInfo {
  id: string;
  name: string;
  uscc: string;
  legalRepresentative: string;
  status: string;
  standing: EnterpriseStanding;
  /** 开始重新认证 is possible (待重新认证, no open change). */
  canRestart?: boolean;
  contactName: string | null;
  contactMobile: string | null;
  contactEmail: string | null;
  address: string | null;
  infoUpdatedAt: string | null;
  version: number;
  openChange: EnterpriseChangeView | null;
  history: EnterpriseChangeView[];
  impact: RecertificationImpact;
}

export const CONTACT_FIELDS = ['contactName', 'contactMobile', 'contactEmail', 'address'] as const;
export type ContactField = (typeof CONTACT_FIELDS)[number];

/** Input limits (the API checks them again). */
export const CONTACT_MAX: Record<ContactField, number> = { contactName: 50, contactMobile: 20, contactEmail: 100, address: 200 };

/** Statuses in which the admin may (re)submit the change. */
export const SUBMITTABLE: ChangeStatus[] = ['drafting', 'awaiting_submission', 'rejected'];
