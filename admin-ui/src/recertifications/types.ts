import type { ChangeKind, ChangeStatus } from '../enterprise-info/types';

/** GET /api/admin/recertifications rows and GET /api/admin/recertifications/:changeId (重新认证审核). */
export interface AdminRecertification {
  id: string;
  enterpriseId: string;
  enterpriseName: string;
  /** The enterprise's registered USCC (the submitted one must equal it). */
  enterpriseUscc?: string;
  seq: number;
  kind: ChangeKind;
  status: ChangeStatus;
  oldValue: string;
  newValue: string | null;
  uscc: string | null;
  rejectReason: string | null;
  endReason: string | null;
  startedByName?: string | null;
  reviewedByName?: string | null;
  createdAt: string;
  submittedAt: string | null;
  reviewedAt: string | null;
  endedAt: string | null;
  deadlineAt: string | null;
  hasLetter?: boolean;
  letterUrl?: string | null;
  workflowId?: string | null;
  temporalUrl?: string | null;
}

/** The statuses an operator filters by (the list starts at 审核中). */
export const REVIEW_STATUSES = ['under_review', 'rejected', 'approved', 'drafting', 'awaiting_submission', 'abandoned', 'lapsed'] as const;
