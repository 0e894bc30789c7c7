import type { MemberRole, Permissions, RealNameStatus } from '../../../ui-shared/src/types';

/** A member or a join application of the acting enterprise (GET /api/console/members, …/join-applications). */
export interface Member {
  id: string;
  userId: string;
  name: string;
  mobileMasked: string;
  realNameStatus: RealNameStatus;
  role: MemberRole;
  roleLabel: string;
  roleLabelEn?: string;
  businessTypes: string[];
  sealIds: string[];
  sealNames: string[];
  status: 'pending' | 'active';
  statusLabel: string;
  message: string | null;
  appliedAt: string;
  decidedAt: string | null;
}

/** GET /api/console/seals. */
export interface Seal {
  id: string;
  name: string;
  type: string;
  status: string;
  createdAt: string;
}

/** Role, 业务类型 and 印章授权 as approve / PUT send them. */
export interface MemberTerms {
  role: 'seal_admin' | 'member';
  businessTypes: string[];
  sealIds: string[];
}

/** Seals being granted that the member does not hold yet: these need the granter's SMS code. */
export const addedSeals = (terms: MemberTerms, current: string[]) => terms.sealIds.filter((id) => !current.includes(id));

export const isEnterpriseAdmin = (p: Permissions | null | undefined) => p?.actingRole === 'admin';
