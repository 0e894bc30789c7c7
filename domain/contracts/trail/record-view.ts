/**
 * The `viewed` event of the 签署轨迹: one per viewer and contract per VIEW_DEDUP_MS (a page reload or a
 * second tab is not news). The check runs twice: once without a transaction (the usual answer: seen
 * recently, nothing to write), then inside the event's transaction after locking the contract row,
 * so parallel views of one viewer (two tabs, a double fetch) record one event, never two in the
 * permanent, hash-chained trail.
 */
import type { EntityManager } from '@mikro-orm/core';
import type { AuditActor } from '../../audit/record-audit';
import { AuditEventSchema } from '../../audit/audit-event.entity';
import { retryOnDeadlock } from '../../persistence/concurrency';
import { allSql } from '../../persistence/plain-sql';
import { lockingRead } from '../../persistence/sql-dialect';
import { recordContractEvent } from './record-contract-event';

export const VIEW_DEDUP_MS = 10 * 60_000;

/** Records that `actor` viewed the contract unless they did within VIEW_DEDUP_MS; answers whether it was recorded. */
export async function recordContractView(em: EntityManager, actor: AuditActor & { id: string }, contractId: string, now = new Date()): Promise<boolean> {
  const since = new Date(now.getTime() - VIEW_DEDUP_MS);
  const seenRecently = async (e: EntityManager) => (await e.count(AuditEventSchema, { targetId: contractId, actorId: actor.id, action: 'contract.viewed', at: { $gt: since } })) > 0;
  if (await seenRecently(em)) return false;
  return retryOnDeadlock(() =>
    em.fork().transactional(async (tx) => {
      // Parallel views of this contract queue here (SQLite: the write transaction does); the second one then sees the first's event.
      await allSql(tx, `select id from contracts where id = ?${lockingRead(tx, 'update')}`, [contractId]);
      if (await seenRecently(tx)) return false;
      await recordContractEvent(tx, actor, { contractId, type: 'viewed', payload: {}, at: now });
      return true;
    }),
  );
}
