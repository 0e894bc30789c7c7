import type { AdminChangeView } from '../../../domain/enterprises/recertification/change-view';

/**
 * GET /api/admin/recertifications rows and GET /api/admin/recertifications/:changeId (重新认证审核): the server's
 * own view of a change with its enterprise, names and review links (domain/enterprises/recertification/change-view.ts).
 */
export interface AdminRecertification extends AdminChangeView {
  /** Only on GET /api/admin/recertifications/:changeId (added by api/routes/admin-recertifications.ts). */
  temporalUrl?: string | null;
}

/** The statuses an operator filters by (the list starts at 审核中). */
export const REVIEW_STATUSES = ['under_review', 'rejected', 'approved', 'drafting', 'awaiting_submission', 'abandoned', 'lapsed'] as const;
