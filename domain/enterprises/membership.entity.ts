import { EntitySchema } from '@mikro-orm/core';

/** Roles inside an enterprise: 管理员 (one), 印章管理员, 普通成员. */
export type MemberRole = 'admin' | 'seal_admin' | 'member';

/** A user's relation to an enterprise: a join application (pending) or a membership (active). */
export type MembershipStatus = 'pending' | 'active' | 'rejected' | 'withdrawn' | 'removed';

export interface Membership {
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
}

export const MembershipSchema = new EntitySchema<Membership>({
  name: 'Membership',
  tableName: 'memberships',
  indexes: [{ properties: ['enterpriseId', 'status'] }, { properties: ['userId', 'status'] }],
  properties: {
    id: { type: 'string', length: 36, primary: true },
    enterpriseId: { type: 'string', length: 36 },
    userId: { type: 'string', length: 36 },
    role: { type: 'string', length: 20 },
    businessTypes: { type: 'text' },
    status: { type: 'string', length: 20 },
    message: { type: 'string', length: 500, nullable: true },
    rejectReason: { type: 'string', length: 500, nullable: true },
    appliedAt: { type: 'datetime' },
    decidedAt: { type: 'datetime', nullable: true },
    decidedBy: { type: 'string', length: 36, nullable: true },
  },
});
