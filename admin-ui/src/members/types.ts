import type { MemberView } from '../../../domain/enterprises/members';
import type { SealView } from '../../../domain/seals/seal-view';
import type { Permissions } from '../../../ui-shared/src/types';

/** A member or a join application of the acting enterprise (GET /api/console/members, …/join-applications): the server's own view (domain/enterprises/members.ts). */
export type Member = MemberView;

/** GET /api/console/seals: the fields of the server's seal view (domain/seals/seal-view.ts) that 印章授权 reads. */
export type Seal = Pick<SealView, 'id' | 'name' | 'type' | 'status' | 'createdAt'>;

/** Role, 业务类型 and 印章授权 as approve / PUT send them. */
export interface MemberTerms {
  role: 'seal_admin' | 'member';
  businessTypes: string[];
  sealIds: string[];
}

/** Seals being granted that the member does not hold yet: these need the granter's SMS code. */
export const addedSeals = (terms: MemberTerms, current: string[]) => terms.sealIds.filter((id) => !current.includes(id));

export const isEnterpriseAdmin = (p: Permissions | null | undefined) => p?.actingRole === 'admin';
