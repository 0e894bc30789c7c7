import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import { references } from '../persistence/references';
import { liveKeyHooks } from '../persistence/live-key';

/** Roles inside an enterprise: 管理员 (one), 印章管理员, 普通成员. */
export type MemberRole = 'admin' | 'seal_admin' | 'member';

/** A user's relation to an enterprise: a join application (pending) or a membership (active). */
export type MembershipStatus = 'pending' | 'active' | 'rejected' | 'withdrawn' | 'removed';

export interface Membership {
  [OptionalProps]?: 'liveKey' | 'version';
  id: string;
  enterpriseId: string;
  userId: string;
  role: MemberRole;
  /** 业务类型 codes (JSON array). */
  businessTypes: string;
  status: MembershipStatus;
  message: string | null;
  rejectReason: string | null;
  appliedAt: Date;
  decidedAt: Date | null;
  decidedBy: string | null;
  /** `<enterpriseId>:<userId>` while pending or active, else NULL: unique, so one live application or membership per user and enterprise. */
  liveKey: string | null;
  /** Optimistic lock: two reviewers deciding the same application cannot both commit. */
  version: number;
}

export const MembershipSchema = new EntitySchema<Membership>({
  name: 'Membership',
  tableName: 'memberships',
  indexes: [{ properties: ['enterpriseId', 'status'] }, { properties: ['userId', 'status'] }],
  hooks: liveKeyHooks<Membership>((m) => (m.status === 'pending' || m.status === 'active' ? `${m.enterpriseId}:${m.userId}` : null)),
  properties: {
    id: { type: 'string', length: 36, primary: true },
    enterpriseId: references('Enterprise', 'enterprise_id'),
    userId: references('User', 'user_id'),
    role: { type: 'string', length: 20 },
    businessTypes: { type: 'text' },
    status: { type: 'string', length: 20 },
    message: { type: 'string', length: 500, nullable: true },
    rejectReason: { type: 'string', length: 500, nullable: true },
    appliedAt: { type: 'datetime', length: 3 },
    decidedAt: { type: 'datetime', length: 3, nullable: true },
    decidedBy: { type: 'string', length: 36, nullable: true },
    liveKey: { type: 'string', length: 80, nullable: true, unique: true },
    version: { type: 'integer', version: true },
  },
});
