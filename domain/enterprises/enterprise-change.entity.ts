import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import { references } from '../persistence/references';
import { liveKeyHooks } from '../persistence/live-key';

/**
 * A change of an enterprise's registered information (issue 9): 变更企业名称 (`rename`, a
 * re-certification run by EnterpriseRecertificationWorkflow `recertification:<enterpriseId>:<seq>`)
 * or 变更法人 (`legal_representative`, completed at once). Numbered per enterprise (`seq`).
 *
 * rename: drafting → (abandoned | expired→abandoned) or → under_review (提交重新认证, the point of
 * no return: seals voided, authorisations removed, certificates revoked) → approved | rejected;
 * rejected → under_review (resubmitted) | lapsed. 开始重新认证 after a lapse opens the next change
 * directly in awaiting_submission → under_review | lapsed.
 */
export type EnterpriseChangeKind = 'rename' | 'legal_representative';

export type EnterpriseChangeStatus =
  | 'drafting'
  | 'awaiting_submission'
  | 'under_review'
  | 'rejected'
  | 'approved'
  | 'abandoned'
  | 'lapsed'
  | 'completed';

/** While a change is in one of these, it is the enterprise's one open re-certification. */
export const OPEN_CHANGE_STATUSES: EnterpriseChangeStatus[] = ['drafting', 'awaiting_submission', 'under_review', 'rejected'];

export const isOpenChangeStatus = (s: EnterpriseChangeStatus) => OPEN_CHANGE_STATUSES.includes(s);

/** Why a change ended without approval. */
export type EnterpriseChangeEndReason = 'abandoned' | 'expired' | 'lapsed' | 'cancelled_by_platform';

export interface EnterpriseChange {
  [OptionalProps]?:
    | 'liveKey'
    | 'version'
    | 'newValue'
    | 'uscc'
    | 'authorizationLetterKey'
    | 'authorizationLetterType'
    | 'rejectReason'
    | 'endReason'
    | 'reviewedBy'
    | 'reviewedAt'
    | 'submittedAt'
    | 'submissionId'
    | 'endedAt'
    | 'deadlineAt';
  id: string;
  enterpriseId: string;
  /** 1, 2, … per enterprise (unique with enterpriseId); part of the workflow id. */
  seq: number;
  kind: EnterpriseChangeKind;
  status: EnterpriseChangeStatus;
  /** The old name / old legal representative. */
  oldValue: string;
  /** The intended (drafting) or submitted new name / the new legal representative. */
  newValue: string | null;
  /** The USCC as submitted (must equal the enterprise's). */
  uscc: string | null;
  authorizationLetterKey: string | null;
  authorizationLetterType: string | null;
  rejectReason: string | null;
  endReason: string | null;
  /** The user who started it (the administrator). */
  startedBy: string;
  reviewedBy: string | null;
  reviewedAt: Date | null;
  submittedAt: Date | null;
  /**
   * The current (last) submission's id, given by the API request that made it (rename only): a submission or an
   * operator's decision that names another one is not this change's current submission (a replay after an
   * operator's Reset, a stale console). Null before the first submission and for submissions from before the column.
   */
  submissionId: string | null;
  endedAt: Date | null;
  /** The current draft / resubmission deadline; null while under review or ended. */
  deadlineAt: Date | null;
  createdAt: Date;
  /** The enterprise id while open, NULL once ended: unique, so one open re-certification per enterprise. */
  liveKey: string | null;
  /** Optimistic lock: two reviews (or a review and an abandon) cannot both commit. */
  version: number;
}

export const EnterpriseChangeSchema = new EntitySchema<EnterpriseChange>({
  name: 'EnterpriseChange',
  tableName: 'enterprise_changes',
  hooks: liveKeyHooks<EnterpriseChange>((c) => (isOpenChangeStatus(c.status) ? c.enterpriseId : null)),
  uniques: [{ properties: ['enterpriseId', 'seq'] }],
  indexes: [{ properties: ['status', 'createdAt'] }],
  properties: {
    id: { type: 'string', length: 36, primary: true },
    enterpriseId: references('Enterprise', 'enterprise_id'),
    seq: { type: 'integer' },
    kind: { type: 'string', length: 30 },
    status: { type: 'string', length: 30 },
    oldValue: { type: 'string', length: 200 },
    newValue: { type: 'string', length: 200, nullable: true },
    uscc: { type: 'string', length: 18, nullable: true },
    authorizationLetterKey: { type: 'string', length: 255, nullable: true },
    authorizationLetterType: { type: 'string', length: 50, nullable: true },
    rejectReason: { type: 'string', length: 500, nullable: true },
    endReason: { type: 'string', length: 40, nullable: true },
    startedBy: references('User', 'started_by'),
    reviewedBy: { type: 'string', length: 36, nullable: true },
    reviewedAt: { type: 'datetime', nullable: true },
    submittedAt: { type: 'datetime', nullable: true },
    submissionId: { type: 'string', length: 36, nullable: true },
    endedAt: { type: 'datetime', nullable: true },
    deadlineAt: { type: 'datetime', nullable: true },
    createdAt: { type: 'datetime', length: 3 },
    liveKey: { type: 'string', length: 36, nullable: true, unique: true },
    version: { type: 'integer', version: true },
  },
});
