/**
 * 站内消息 of a re-certification or 变更法人 (issue 9), written in the same unit of work as the
 * change: to the enterprise's administrator, and to members whose seal authorisations were removed
 * or who cannot sign for the enterprise for now.
 */
import type { EntityManager } from '@mikro-orm/core';
import { notify } from '../../notifications/notify';
import type { Enterprise } from '../enterprise.entity';
import { MembershipSchema } from '../membership.entity';

export const ENTERPRISE_INFO_LINK = '/admin/enterprise-info';

export interface Notice {
  kind: string;
  title: string;
  body: string;
}

export function noticeToAdmin(em: EntityManager, enterprise: Pick<Enterprise, 'id' | 'adminUserId'>, notice: Notice, at: Date): void {
  if (enterprise.adminUserId) notify(em, { userId: enterprise.adminUserId, enterpriseId: enterprise.id, ...notice, link: ENTERPRISE_INFO_LINK, at });
}

/** To these users (the administrator and `exceptUserId` left out). */
export function noticeToUsers(em: EntityManager, enterprise: Pick<Enterprise, 'id' | 'adminUserId'>, userIds: readonly string[], notice: Notice, at: Date, exceptUserId?: string | null): void {
  for (const userId of new Set(userIds)) {
    if (userId === enterprise.adminUserId || userId === exceptUserId) continue;
    notify(em, { userId, enterpriseId: enterprise.id, ...notice, link: null, at });
  }
}

/** The enterprise's active members' user ids. */
export async function activeMemberIds(em: EntityManager, enterpriseId: string): Promise<string[]> {
  const rows = await em.find(MembershipSchema, { enterpriseId, status: 'active' });
  return rows.map((m) => m.userId);
}
