/**
 * The `viewed` and `downloaded` events of the 签署轨迹: one per person, contract (and, for downloads,
 * document version) per ACCESS_DEDUP_MS. A page reload, a second tab or a repeated download is not
 * news, and the trail is permanent and hash-chained: without this a user could grow it without limit.
 * The check runs twice: once without a transaction (the usual answer: seen recently, nothing to
 * write), then in the event's transaction after locking the contract row, so parallel requests of one
 * person record one event, never several.
 */
import type { EntityManager } from '@mikro-orm/core';
import type { AuditActor } from '../../audit/record-audit';
import { retryOnDeadlock } from '../../persistence/concurrency';
import { allSql, sqlDate } from '../../persistence/plain-sql';
import { lockingRead } from '../../persistence/sql-dialect';
import type { ContractEventInput } from './contract-event-types';
import { recordContractEvent } from './record-contract-event';

export const ACCESS_DEDUP_MS = 10 * 60_000;

export type AccessEvent = Extract<ContractEventInput, { type: 'viewed' | 'downloaded' }>;
type Actor = AuditActor & { id: string };

/** Whether `actor` has this access recorded since `since` (a download: of the same document version). */
async function recordedSince(em: EntityManager, actor: Actor, event: AccessEvent, since: Date): Promise<boolean> {
  const rows = await allSql(em, 'select payload from contract_events where contract_id = ? and type = ? and actor_id = ? and at > ?', [event.contractId, event.type, actor.id, sqlDate(em, since)]);
  if (event.type === 'viewed') return rows.length > 0;
  return rows.some((r) => (JSON.parse(String(r.payload)) as { documentVersion?: unknown }).documentVersion === event.payload.documentVersion);
}

/** Inside the caller's transaction: locks the contract row, then records the access unless it is recorded already; answers whether it was recorded. */
export async function recordAccessInTransaction(tx: EntityManager, actor: Actor, event: AccessEvent, now = new Date()): Promise<boolean> {
  // Parallel requests for this contract queue here (SQLite: the write transaction does); the second one then sees the first's event.
  await allSql(tx, `select id from contracts where id = ?${lockingRead(tx, 'update')}`, [event.contractId]);
  if (await recordedSince(tx, actor, event, new Date(now.getTime() - ACCESS_DEDUP_MS))) return false;
  await recordContractEvent(tx, actor, { ...event, at: now });
  return true;
}

/** Records that `actor` viewed / downloaded the contract unless they did within ACCESS_DEDUP_MS; answers whether it was recorded. */
export async function recordContractAccess(em: EntityManager, actor: Actor, event: AccessEvent, now = new Date()): Promise<boolean> {
  if (await recordedSince(em, actor, event, new Date(now.getTime() - ACCESS_DEDUP_MS))) return false;
  return retryOnDeadlock(() => em.fork().transactional((tx) => recordAccessInTransaction(tx, actor, event, now)));
}
