/**
 * Who may act as a contract's initiator (撤销, and 催办 as the initiator): the user who started it —
 * and, for a contract started for an enterprise, only while they are an active member of it. Someone
 * who left the enterprise still sees the contracts they started, but no longer changes them; the
 * enterprise's administrator may still urge and revoke them (`mayManageAsInitiator`).
 * The API, the contract view and the workflow's activities all ask this rule.
 */
import type { EntityManager } from '@mikro-orm/core';
import { MembershipSchema } from '../enterprises/membership.entity';
import { AppError } from '../errors';
import { findRows } from '../persistence/plain-rows';
import { allSql } from '../persistence/plain-sql';
import { lockingRead } from '../persistence/sql-dialect';
import type { Contract } from './contract.entity';

type Initiated = Pick<Contract, 'initiatorId' | 'initiatorEnterpriseId'>;

/** The rule, given whether the user is an active member of the initiating enterprise (ignored for a personal contract). */
export function isActingInitiator(contract: Initiated, userId: string, memberOfInitiatingEnterprise: boolean): boolean {
  return contract.initiatorId === userId && (contract.initiatorEnterpriseId === null || memberOfInitiatingEnterprise);
}

/** Enterprises (of `enterpriseIds`) where the user is an active member: what `isActingInitiator` needs, for many contracts at once. */
export async function activeMemberships(em: EntityManager, userId: string, enterpriseIds: readonly string[]): Promise<Set<string>> {
  if (enterpriseIds.length === 0) return new Set();
  // Plain rows: no partially loaded memberships left in the caller's identity map.
  const rows = await findRows(em, MembershipSchema, { userId, enterpriseId: [...new Set(enterpriseIds)], status: 'active' });
  return new Set(rows.map((m) => m.enterpriseId));
}

/** `isActingInitiator`, reading the membership. */
export async function actsAsInitiator(em: EntityManager, contract: Initiated, userId: string): Promise<boolean> {
  if (contract.initiatorId !== userId) return false;
  if (contract.initiatorEnterpriseId === null) return true;
  return (await activeMemberships(em, userId, [contract.initiatorEnterpriseId])).has(contract.initiatorEnterpriseId);
}

export const notAllowedToUrge = () => new AppError('forbidden', 'NOT_ALLOWED_TO_URGE', '只有发起方或发起企业的管理员可以催办', 'Only the initiator or an administrator of the initiating enterprise can urge');

/** Whether the viewer acts as an administrator of the contract's initiating enterprise (API and view: acting for it). */
export const isInitiatingEnterpriseAdmin = (contract: Initiated, viewer: { actingEnterpriseId: string | null; actingRole?: string | null }) =>
  contract.initiatorEnterpriseId !== null && viewer.actingEnterpriseId === contract.initiatorEnterpriseId && viewer.actingRole === 'admin';

/**
 * 催办 and 撤销: the acting initiator, or an active administrator of the initiating enterprise — the
 * enterprise's contracts stay manageable when the member who started them has left (the workflow's
 * re-check; the API also requires the administrator to act for the enterprise). Asked before the change and
 * again inside its commit (void-by-request.ts, urge-contract.ts): there, on MariaDB, the membership is read
 * locking (a removal or an administrator's replacement running at the same time waits for the commit); on
 * SQLite the commit's transaction serialises it.
 */
export async function mayManageAsInitiator(em: EntityManager, contract: Initiated, userId: string): Promise<boolean> {
  if (contract.initiatorEnterpriseId === null) return contract.initiatorId === userId;
  const [membership] = await allSql(
    em,
    `select role from memberships where enterprise_id = ? and user_id = ? and status = 'active'${lockingRead(em, 'share')}`,
    [contract.initiatorEnterpriseId, userId],
  );
  return isActingInitiator(contract, userId, membership !== undefined) || membership?.role === 'admin';
}
