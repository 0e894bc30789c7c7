import type { EnterpriseChangeView } from '../enterprise-info/types';

/**
 * GET /api/admin/recertifications rows and GET /api/admin/recertifications/:changeId (重新认证审核): a change
 * (the domain's view) with its enterprise, names and review links (added by api/routes/recertification-presenter.ts).
 */
export interface AdminRecertification extends EnterpriseChangeView {
  enterpriseName: string;
  startedByName?: string | null;
  /** The enterprise's registered USCC (the submitted one must equal it). */
  enterpriseUscc?: string;
  reviewedByName?: string | null;
  letterUrl?: string | null;
  workflowId?: string | null;
  temporalUrl?: string | null;
}

/** The statuses an operator filters by (the list starts at 审核中). */
export const REVIEW_STATUSES = ['under_review', 'rejected', 'approved', 'drafting', 'awaiting_submission', 'abandoned', 'lapsed'] as const;
