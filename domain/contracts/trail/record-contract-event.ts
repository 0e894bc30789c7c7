/**
 * Appends one event to a contract's 签署轨迹, inside the transaction of the change it records:
 * 1. `UPDATE contracts SET trail_seq = trail_seq + 1` — the first write, so it takes the contract
 *    row's write lock; parallel events of one contract queue here (both dialects) and each gets the
 *    next seq with no gap;
 * 2. reads back the new seq, the previous head and the current document version (our own update
 *    makes the read see the latest committed row, also under MariaDB's repeatable read);
 * 3. inserts the hash-chained `contract_events` row and moves `contracts.trail_head` to its hash
 *    (conditional on the seq we hold);
 * 4. writes the `audit_events` row and, for events that change what the lists show, recomputes
 *    the contract's list entries (lists/refresh-list-entries.ts).
 * Every contract state change calls this instead of `recordAudit`; a change that records several
 * events (a signature that starts the next step) calls `recordContractEvents` once.
 */
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { auditRow, insertAuditRows, type AuditActor } from '../../audit/record-audit';
import { retryOnDeadlock } from '../../persistence/concurrency';
import { DocumentVersionSchema } from '../document-version.entity';
import { refreshContractListEntries } from '../lists/refresh-list-entries';
import { sqlDialect } from '../../persistence/sql-dialect';
import { allSql, placeholders, runSql, sqlDate } from '../../persistence/plain-sql';
import { canonicalJson } from './canonical-json';
import { CONTRACT_EVENT_META, parseContractEventPayload, type ContractEventInput } from './contract-event-types';
import type { ContractEvent } from './contract-event.entity';
import { eventHash } from './trail-chain';

const SHA256_HEX = /^[0-9a-f]{64}$/;

export async function recordContractEvent(tx: EntityManager, actor: AuditActor, event: ContractEventInput): Promise<void> {
  await appendContractEvents(tx, [{ actor, event }]);
}

/** `recordContractEvent`, answering the row it appended (for tests and callers that show it). */
export async function appendContractEvent(tx: EntityManager, actor: AuditActor, event: ContractEventInput): Promise<ContractEvent> {
  return (await appendContractEvents(tx, [{ actor, event }]))[0]!;
}

/**
 * Several events of ONE contract recorded by one change (a signature that starts the next step, an
 * activation with the first step), in order: the same rows, hashes and audit rows as one
 * `recordContractEvent` after the other, in fewer statements — one `trail_seq + n`, one read, one
 * multi-row insert, one head move, and the lists refreshed once, after the last event.
 */
export async function recordContractEvents(tx: EntityManager, events: readonly { actor: AuditActor; event: ContractEventInput }[]): Promise<void> {
  await appendContractEvents(tx, events);
}

async function appendContractEvents(tx: EntityManager, events: readonly { actor: AuditActor; event: ContractEventInput }[]): Promise<ContractEvent[]> {
  const first = events[0]?.event;
  if (!first) return [];
  const contractId = first.contractId;
  if (!tx.isInTransaction()) throw new Error(`recordContractEvent(${first.type}) must run inside the transaction of the change it records`);
  const checked = events.map(({ actor, event }) => {
    if (event.contractId !== contractId) throw new Error('recordContractEvents: the events must be of one contract');
    if (event.documentSha256 != null && !SHA256_HEX.test(event.documentSha256)) throw new Error(`recordContractEvent(${event.type}): documentSha256 must be 64 lower-case hex digits`);
    if (event.type === 'completed' && !event.documentSha256) throw new Error('recordContractEvent(completed): documentSha256 (the final document) is required');
    return { actor, event, meta: CONTRACT_EVENT_META[event.type], payload: canonicalJson(parseContractEventPayload(event.type, event.payload)) };
  });

  // The change being recorded is written first, so what we read below (and the lists) include it.
  await tx.flush();
  const row = await bumpTrail(tx, contractId, checked.length);
  if (!row) throw new Error(`recordContractEvent(${first.type}): contract ${contractId} does not exist`);

  let currentSha: string | null | undefined;
  const stored: ContractEvent[] = [];
  let prevHash = row.trailHead;
  for (const [i, { actor, event, payload }] of checked.entries()) {
    const documentSha256 = event.documentSha256 ?? (currentSha === undefined ? (currentSha = await currentDocumentSha256(tx, contractId, row.documentVersion)) : currentSha);
    const fields = {
      contractId,
      seq: row.trailSeq - checked.length + 1 + i,
      type: event.type,
      actorId: actor.id,
      actorName: actor.name.slice(0, 100),
      ip: actor.ip,
      at: event.at ?? new Date(),
      payload,
      documentSha256,
      prevHash,
    };
    const e: ContractEvent = { id: randomUUID(), ...fields, hash: eventHash(fields) };
    stored.push(e);
    prevHash = e.hash;
  }
  // One multi-row insert in plain SQL (plain-sql.ts): the same rows insertMany wrote.
  const columns = '(id, contract_id, seq, type, actor_id, actor_name, ip, at, payload, document_sha256, prev_hash, hash)';
  await runSql(
    tx,
    `insert into contract_events ${columns} values ${stored.map(() => `(${placeholders(12)})`).join(', ')}`,
    stored.flatMap((e) => [e.id, e.contractId, e.seq, e.type, e.actorId, e.actorName, e.ip, sqlDate(tx, e.at), e.payload, e.documentSha256, e.prevHash, e.hash]),
  );
  const last = stored[stored.length - 1]!;
  const moved = await runSql(tx, 'update contracts set trail_head = ? where id = ? and trail_seq = ?', [last.hash, contractId, last.seq]);
  if (moved !== 1) throw new Error(`recordContractEvent(${first.type}): the trail of ${contractId} moved under the row lock`);

  await insertAuditRows(
    tx,
    checked.map(({ actor, meta, payload }, i) =>
      auditRow(actor, {
        action: meta.audit,
        targetType: 'contract',
        targetId: contractId,
        enterpriseId: row.initiatorEnterpriseId,
        detail: { ...(JSON.parse(payload) as Record<string, unknown>), trailSeq: stored[i]!.seq },
        at: stored[i]!.at,
      }),
    ),
  );
  if (checked.some((c) => c.meta.changesLists)) await refreshContractListEntries(tx, contractId);
  await tx.flush();
  return stored;
}

type TrailRow = { trailSeq: number; trailHead: string | null; documentVersion: number; initiatorEnterpriseId: string | null };

/**
 * Step 1 + 2 in plain SQL on the transaction's connection (the hot path of every contract change:
 * no query builder, no entity hydration): `trail_seq + n`, then the new seq, the previous head,
 * the document version and the initiator's enterprise — one `UPDATE … RETURNING` on SQLite, the
 * update and a read of the row we now hold locked on MySQL/MariaDB. Null when the contract does not exist.
 */
async function bumpTrail(tx: EntityManager, contractId: string, n: number): Promise<TrailRow | null> {
  const columns = 'trail_seq, trail_head, document_version, initiator_enterprise_id';
  let rows: Record<string, unknown>[];
  if (sqlDialect(tx) === 'sqlite') {
    rows = await allSql(tx, `update contracts set trail_seq = trail_seq + ? where id = ? returning ${columns}`, [n, contractId]);
  } else {
    if ((await runSql(tx, 'update contracts set trail_seq = trail_seq + ? where id = ?', [n, contractId])) !== 1) return null;
    rows = await allSql(tx, `select ${columns} from contracts where id = ?`, [contractId]);
  }
  const r = rows[0];
  if (!r) return null;
  return { trailSeq: Number(r.trail_seq), trailHead: (r.trail_head as string | null) ?? null, documentVersion: Number(r.document_version), initiatorEnterpriseId: (r.initiator_enterprise_id as string | null) ?? null };
}

/**
 * For events that are the whole change (viewed, downloaded, urged by a request of its own): runs
 * `recordContractEvent` in a transaction of its own, retried when the database picks it as a
 * deadlock victim.
 */
export async function recordContractEventAlone(em: EntityManager, actor: AuditActor, event: ContractEventInput): Promise<ContractEvent> {
  return retryOnDeadlock(() => em.fork().transactional((tx) => appendContractEvent(tx, actor, event)));
}

async function currentDocumentSha256(tx: EntityManager, contractId: string, version: number): Promise<string | null> {
  const [doc] = await tx.find(DocumentVersionSchema, { contractId, version }, { fields: ['sha256'], disableIdentityMap: true });
  return doc?.sha256 ?? null;
}
