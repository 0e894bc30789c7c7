import type { EntityManager } from '@mikro-orm/core';
import { allSql } from '../persistence/plain-sql';
import { lockingRead } from '../persistence/sql-dialect';
import type { Enterprise } from './enterprise.entity';

/** What a commit re-checks about a user acting for an enterprise (null status: the enterprise is gone). */
export interface ActingRows {
  status: Enterprise['status'] | null;
  standing: Enterprise['standing'] | null;
  member: boolean;
}

/**
 * Inside a transaction that acts for an enterprise (a signature's commit, a contract start): the enterprise's status
 * and standing, and whether `userId` is still an active member. On MariaDB the reads lock (shared), the enterprise
 * row before its memberships: the order in which an administrator's replacement writes them, so a 转让管理员
 * completing at the same moment waits instead of deadlocking. On SQLite the caller's transaction already holds the
 * write lock.
 */
export async function readActingRows(tx: EntityManager, enterpriseId: string, userId: string): Promise<ActingRows> {
  const lock = lockingRead(tx, 'share');
  const [enterprise] = await allSql(tx, `select status, standing from enterprises where id = ?${lock}`, [enterpriseId]);
  const [member] = await allSql(tx, `select 1 as ok from memberships where enterprise_id = ? and user_id = ? and status = 'active'${lock}`, [enterpriseId, userId]);
  return { status: (enterprise?.status as Enterprise['status'] | undefined) ?? null, standing: (enterprise?.standing as Enterprise['standing'] | undefined) ?? null, member: member !== undefined };
}
