/**
 * What callers see of the EnterpriseRecertificationWorkflow (issue 9, 变更企业名称): its input,
 * Updates, Query and their types. The workflow id is `recertificationWorkflowId(enterpriseId, seq)`
 * (`recertification:<enterpriseId>:<seq>`, search-attributes.ts). Every message is an Update with a
 * validator; the API stores the authorisation letter first and sends only its storage key and type
 * (no file bytes, no personal data beyond the submitted name and USCC).
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { EnterpriseChangeStatus } from '../domain/enterprises/enterprise-change.entity';

/** Test-only shortcuts for the deadlines (production takes them from the change row's `deadlineAt`). */
export interface RecertificationTiming {
  /** A draft not submitted within this is abandoned (endReason 'expired'). */
  draftMs?: number;
  /** A change awaiting (re)submission lapses after this. */
  resubmitMs?: number;
  /** While under review, the row is reloaded this often (default a day; DATABASE_STATUS_PATCH). */
  reviewReloadMs?: number;
}

export interface EnterpriseRecertificationInput {
  changeId: string;
  enterpriseId: string;
  seq: number;
  timing?: RecertificationTiming;
  /** Retries of the database activities on infrastructure failures (tests pass short ones). */
  retry?: { initialIntervalMs: number; maximumAttempts: number };
}

/** The change as the workflow knows it (the database is the truth; every activity answers it). */
export interface RecertificationProgress {
  changeId: string;
  status: EnterpriseChangeStatus;
  /** ISO date-time of the current draft / resubmission deadline, null while under review or ended. */
  deadlineAt: string | null;
}

export interface SubmitRecertificationRequest {
  actorUserId: string;
  /** The new enterprise name as submitted. */
  name: string;
  /** Must equal the enterprise's USCC (checked by the domain). */
  uscc: string;
  /** The stored authorisation letter; null on a resubmission that keeps the earlier one. */
  letterKey: string | null;
  letterType: string | null;
  /**
   * The submission's id, given by the API request (absent from Updates recorded before it): the domain recognises a
   * submission it already applied by it (an activity retry, the Update delivered again after an operator's Reset).
   */
  submissionId?: string;
  /** ISO date-time when the API took the request (absent: the workflow's time of the Update). */
  submittedAt?: string;
  /** The change's submission as the API read it (null before the first): a change that has another one now refuses this one as superseded. */
  previousSubmissionId?: string | null;
}

export interface AbandonRecertificationRequest {
  actorUserId: string;
}

export interface ReviewRecertificationRequest {
  operatorId: string;
  approve: boolean;
  /** Required when rejecting. */
  reason: string | null;
  /**
   * The submission decided (the change's current one as the operator's console read it; null for a submission from
   * before submission ids; absent from Updates recorded before it): a decision for a submission that is no longer the
   * current one is refused, so the Update delivered again after an operator's Reset cannot decide a later submission.
   */
  submissionId?: string | null;
}

export const submitRecertificationUpdate = defineUpdate<RecertificationProgress, [SubmitRecertificationRequest]>('submit');
export const abandonRecertificationUpdate = defineUpdate<RecertificationProgress, [AbandonRecertificationRequest]>('abandon');
export const reviewRecertificationUpdate = defineUpdate<RecertificationProgress, [ReviewRecertificationRequest]>('review');
export const recertificationStatusQuery = defineQuery<RecertificationProgress>('status');

/** Statuses in which the administrator is expected to (re)submit, under a deadline. */
export const AWAITING_ADMIN_STATUSES: readonly EnterpriseChangeStatus[] = ['drafting', 'awaiting_submission', 'rejected'];

export type RecertificationAction = 'submit' | 'abandon' | 'review';

export interface RecertificationRefusal {
  code: string;
  message: string;
  messageEn: string;
}

const OPEN: readonly EnterpriseChangeStatus[] = ['drafting', 'awaiting_submission', 'under_review', 'rejected'];

/**
 * THE rule of which message a change accepts in which status (the workflow's validators and handlers,
 * and the API's pre-check for a clear 409): null when allowed. Abandon only while drafting — the
 * submission is the point of no return.
 */
export function recertificationRefusal(action: RecertificationAction, status: EnterpriseChangeStatus): RecertificationRefusal | null {
  if (!OPEN.includes(status)) return { code: 'RECERTIFICATION_ENDED', message: '该重新认证已结束', messageEn: 'This re-certification has ended' };
  switch (action) {
    case 'submit':
      return AWAITING_ADMIN_STATUSES.includes(status) ? null : { code: 'RECERTIFICATION_NOT_SUBMITTABLE', message: '重新认证审核中，不能再次提交', messageEn: 'The re-certification is under review and cannot be submitted again' };
    case 'abandon':
      return status === 'drafting' ? null : { code: 'RECERTIFICATION_SUBMITTED', message: '已提交重新认证，不能再放弃变更', messageEn: 'The re-certification has been submitted; the change can no longer be abandoned' };
    case 'review':
      return status === 'under_review' ? null : { code: 'RECERTIFICATION_NOT_UNDER_REVIEW', message: '该重新认证不在审核中', messageEn: 'This re-certification is not under review' };
  }
}

export const REJECT_REASON_MAX_LENGTH = 500;
export const NAME_MAX_LENGTH = 200;
