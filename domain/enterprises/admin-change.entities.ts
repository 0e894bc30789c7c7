import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import { references } from '../persistence/references';
import { liveKeyHooks } from '../persistence/live-key';

/** M5 申请已认证企业管理员: reviewed by a platform operator. */
export interface AdminApplication {
  [OptionalProps]?: 'liveKey' | 'version';
  id: string;
  enterpriseId: string;
  userId: string;
  reason: string;
  authorizationLetterKey: string;
  authorizationLetterType: string;
  status: 'pending' | 'approved' | 'rejected' | 'withdrawn';
  rejectReason: string | null;
  reviewedBy: string | null;
  reviewedAt: Date | null;
  createdAt: Date;
  /** `<enterpriseId>:<userId>` while pending, else NULL: unique, so one pending application per user and enterprise. */
  liveKey: string | null;
  /** Optimistic lock: two operators reviewing it at once cannot both commit. */
  version: number;
}

export const AdminApplicationSchema = new EntitySchema<AdminApplication>({
  name: 'AdminApplication',
  tableName: 'admin_applications',
  hooks: liveKeyHooks<AdminApplication>((a) => (a.status === 'pending' ? `${a.enterpriseId}:${a.userId}` : null)),
  properties: {
    id: { type: 'string', length: 36, primary: true },
    enterpriseId: references('Enterprise', 'enterprise_id', { index: true }),
    userId: references('User', 'user_id', { index: true }),
    reason: { type: 'string', length: 500 },
    authorizationLetterKey: { type: 'string', length: 255 },
    authorizationLetterType: { type: 'string', length: 50 },
    status: { type: 'string', length: 20, index: true },
    rejectReason: { type: 'string', length: 500, nullable: true },
    reviewedBy: { type: 'string', length: 36, nullable: true },
    reviewedAt: { type: 'datetime', nullable: true },
    createdAt: { type: 'datetime' },
    liveKey: { type: 'string', length: 80, nullable: true, unique: true },
    version: { type: 'integer', version: true },
  },
});

/** M6 转让管理员, driven by the AdminTransferWorkflow (`admin-transfer:<transferId>`). */
export type AdminTransferStatus = 'awaiting_admin_code' | 'awaiting_target_code' | 'completed' | 'expired' | 'cancelled' | 'failed';

export const RUNNING_TRANSFER_STATUSES: AdminTransferStatus[] = ['awaiting_admin_code', 'awaiting_target_code'];

export interface AdminTransfer {
  [OptionalProps]?: 'liveKey' | 'version';
  id: string;
  enterpriseId: string;
  fromUserId: string;
  toUserId: string;
  status: AdminTransferStatus;
  deadline: Date;
  createdAt: Date;
  finishedAt: Date | null;
  /** Why it ended without completing (TRANSFER_END_REASONS), if it did. */
  endReason: string | null;
  /** The enterprise id while running, NULL once ended: unique, so one running transfer per enterprise. */
  liveKey: string | null;
  version: number;
}

export const AdminTransferSchema = new EntitySchema<AdminTransfer>({
  name: 'AdminTransfer',
  tableName: 'admin_transfers',
  hooks: liveKeyHooks<AdminTransfer>((t) => (RUNNING_TRANSFER_STATUSES.includes(t.status) ? t.enterpriseId : null)),
  properties: {
    id: { type: 'string', length: 36, primary: true },
    enterpriseId: references('Enterprise', 'enterprise_id', { index: true }),
    fromUserId: references('User', 'from_user_id'),
    toUserId: references('User', 'to_user_id', { index: true }),
    status: { type: 'string', length: 30 },
    deadline: { type: 'datetime' },
    createdAt: { type: 'datetime', length: 3 }, // ms: a retry within the same second is still "the latest"
    finishedAt: { type: 'datetime', nullable: true },
    endReason: { type: 'string', length: 40, nullable: true },
    liveKey: { type: 'string', length: 36, nullable: true, unique: true },
    version: { type: 'integer', version: true },
  },
});

/**
 * A code a user typed in, kept only as a hash so that it can be checked inside an activity
 * without entering workflow history: the workflow receives the submission id. Kept after use
 * (the code is spent) as the record of who confirmed from where.
 */
export interface CodeSubmission {
  id: string;
  userId: string;
  subject: string;
  codeHash: string;
  /** Where it was typed in; the audit row of the step it completes carries it. */
  ip: string | null;
  createdAt: Date;
}

export const CodeSubmissionSchema = new EntitySchema<CodeSubmission>({
  name: 'CodeSubmission',
  tableName: 'code_submissions',
  properties: {
    id: { type: 'string', length: 36, primary: true },
    userId: references('User', 'user_id'),
    subject: { type: 'string', length: 100 },
    codeHash: { type: 'string', length: 64 },
    ip: { type: 'string', length: 64, nullable: true },
    createdAt: { type: 'datetime' },
  },
});
