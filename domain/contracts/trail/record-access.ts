/**
 * The `viewed` and `downloaded` events of the 签署轨迹: one per person, contract (and, for downloads,
 * document version) per ACCESS_DEDUP_MS. A page reload, a second tab or a repeated download is not
 * news, and the trail is permanent and hash-chained: without this a user could grow it without limit.
 * The check runs twice: once without a transaction (the usual answer: seen recently, nothing to
 * write), then in the events' transaction after locking the contract rows, so parallel requests of one
 * person record one event, never several.
 */
import type { EntityManager } from '@mikro-orm/core';
import type { AuditActor } from '../../audit/record-audit';
import { retryOnDeadlock } from '../../persistence/concurrency';
import { allSql, lockRows, placeholders, sqlDate } from '../../persistence/plain-sql';
import type { ContractEventInput } from './contract-event-types';
import { recordContractEvent } from './record-contract-event';

export const ACCESS_DEDUP_MS = 10 * 60_000;

export type AccessEvent = Extract<ContractEventInput, { type: 'viewed' | 'downloaded' }>;
type Actor = AuditActor & { id: string };

/** What makes two accesses the same: contract, type and, for a download, the document version. */
const accessKey = (contractId: string, type: string, documentVersion: unknown) => `${contractId}:${type}:${type === 'downloaded' ? String(documentVersion) : ''}`;

/** The accesses among `events` that `actor` has recorded since `since` (a download: of the same document version), as indexes into `events`. */
async function recordedSince(em: EntityManager, actor: Actor, events: readonly AccessEvent[], since: Date): Promise<Set<number>> {
  const ids = [...new Set(events.map((e) => e.contractId))];
  const rows = await allSql(em, `select contract_id, type, payload from contract_events where contract_id in (${placeholders(ids.length)}) and actor_id = ? and type in ('viewed', 'downloaded') and at > ?`, [
    ...ids,
    actor.id,
    sqlDate(em, since),
  ]);
  const seen = new Set<string>();
  for (const r of rows) {
    const version = r.type === 'downloaded' ? (JSON.parse(String(r.payload)) as { documentVersion?: unknown }).documentVersion : null;
    seen.add(accessKey(String(r.contract_id), String(r.type), version));
  }
  // An access listed twice counts once: the later ones as recorded.
  return new Set(
    events.flatMap((e, i) => {
      const key = accessKey(e.contractId, e.type, e.type === 'downloaded' ? e.payload.documentVersion : null);
      if (seen.has(key)) return [i];
      seen.add(key);
      return [];
    }),
  );
}

/**
 * The name an access is recorded under, as the contract knows its viewer: the initiator (and anyone not named on
 * the contract, e.g. an enterprise's member) by their account name, a person participant by the name the initiator
 * gave them, a 抄送 by their masked number. Opening a contract thus never shows the other parties a real name they
 * were not given (an owner of a recycled number, a CC, an invitee: see participant-actor.ts NAME_MISMATCH).
 */
async function contractFacingActor(tx: EntityManager, actor: Actor, contractId: string): Promise<Actor> {
  const [row] = await allSql(
    tx,
    `select c.initiator_id,
       (select s.name from contract_signers s where s.contract_id = c.id and s.kind = 'person' and s.user_id = ? order by s.sign_order limit 1) as participant_name,
       (select r.name from contract_cc r where r.contract_id = c.id and r.user_id = ? limit 1) as cc_name
     from contracts c where c.id = ?`,
    [actor.id, actor.id, contractId],
  );
  if (!row || row.initiator_id === actor.id) return actor;
  const name = row.participant_name ?? row.cc_name;
  return name === null || name === undefined ? actor : { ...actor, name: String(name) };
}

/**
 * Inside the caller's transaction: locks the contracts' rows (all of them first, in id order), then records each
 * access not recorded already; answers how many were recorded. Locking first matters on MariaDB: its repeatable
 * read fixes the snapshot at the first plain read, which must come after every lock, or an event another
 * transaction committed meanwhile would be missed. (SQLite: the process's single connection serialises these
 * transactions; a concurrent writer in another process makes this one fail busy, and the caller retries.)
 */
export async function recordAccessesInTransaction(tx: EntityManager, actor: Actor, events: readonly AccessEvent[], now = new Date()): Promise<number> {
  if (events.length === 0) return 0;
  await lockRows(tx, 'contracts', events.map((e) => e.contractId));
  const recorded = await recordedSince(tx, actor, events, new Date(now.getTime() - ACCESS_DEDUP_MS));
  let n = 0;
  for (const [i, event] of events.entries()) {
    if (recorded.has(i)) continue;
    await recordContractEvent(tx, await contractFacingActor(tx, actor, event.contractId), { ...event, at: now });
    n++;
  }
  return n;
}

/** Records that `actor` viewed / downloaded contracts unless they did within ACCESS_DEDUP_MS (one transaction); answers how many were recorded. */
export async function recordContractAccesses(em: EntityManager, actor: Actor, events: readonly AccessEvent[], now = new Date()): Promise<number> {
  // Usually all recorded recently: answered without a transaction or a lock.
  if ((await recordedSince(em, actor, events, new Date(now.getTime() - ACCESS_DEDUP_MS))).size === events.length) return 0;
  return retryOnDeadlock(() => em.fork().transactional((tx) => recordAccessesInTransaction(tx, actor, events, now)));
}

/** One access (recordContractAccesses); answers whether it was recorded. */
export async function recordContractAccess(em: EntityManager, actor: Actor, event: AccessEvent, now = new Date()): Promise<boolean> {
  return (await recordContractAccesses(em, actor, [event], now)) > 0;
}
