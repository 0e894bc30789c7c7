/**
 * The hash chain of the 签署轨迹, pure: how one event's hash is computed, and the check of a
 * contract's stored events against each other and against the head kept on the contract row.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';

/** The columns the hash covers (every column of the row except `id` and `hash`). */
export interface ChainedFields {
  contractId: string;
  seq: number;
  type: string;
  actorId: string | null;
  actorName: string;
  ip: string | null;
  at: Date;
  /** Canonical JSON text, hashed as stored. */
  payload: string;
  documentSha256: string | null;
  prevHash: string | null;
}

export const TRAIL_HASH_VERSION = 1;

export function eventHash(e: ChainedFields): string {
  const text = canonicalJson({
    v: TRAIL_HASH_VERSION,
    contractId: e.contractId,
    seq: e.seq,
    type: e.type,
    actorId: e.actorId,
    actorName: e.actorName,
    ip: e.ip,
    at: e.at.toISOString(),
    payload: e.payload,
    documentSha256: e.documentSha256,
    prevHash: e.prevHash,
  });
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * Why the chain is broken at an event:
 * - `hash_mismatch`: the row's content no longer gives its stored hash (edited, or moved to another seq);
 * - `prev_mismatch`: the row does not follow the event before it (an earlier row was replaced or re-hashed);
 * - `payload_invalid`: the payload is not canonical JSON text of an object (it was rewritten by hand);
 * - `missing`: an event of this seq is gone (deleted), also the last one (the contract's head names it);
 * - `head_mismatch`: the last event is not the one the contract row's head names.
 */
export type TrailBreakReason = 'hash_mismatch' | 'prev_mismatch' | 'payload_invalid' | 'missing' | 'head_mismatch';

export interface TrailBreak {
  seq: number;
  /** null when the event itself is missing. */
  type: string | null;
  at: Date | null;
  reason: TrailBreakReason;
}

export interface StoredEvent extends ChainedFields {
  hash: string;
}

/** Checks events (any order; sorted here) against each other and the contract's head; the first break, or null. */
export function checkChain(events: readonly StoredEvent[], head: { seq: number; hash: string | null }): { checked: number; brokenAt: TrailBreak | null } {
  const sorted = [...events].sort((a, b) => a.seq - b.seq);
  let prev: string | null = null;
  let expected = 1;
  let checked = 0;
  for (const e of sorted) {
    if (e.seq !== expected) return { checked, brokenAt: { seq: expected, type: null, at: null, reason: 'missing' } };
    const at = { seq: e.seq, type: e.type, at: e.at };
    if (eventHash(e) !== e.hash) return { checked, brokenAt: { ...at, reason: 'hash_mismatch' } };
    if (e.prevHash !== prev) return { checked, brokenAt: { ...at, reason: 'prev_mismatch' } };
    if (!payloadIsCanonical(e.payload)) return { checked, brokenAt: { ...at, reason: 'payload_invalid' } };
    prev = e.hash;
    expected += 1;
    checked += 1;
  }
  const last = sorted.at(-1);
  if (head.seq > checked) return { checked, brokenAt: { seq: checked + 1, type: null, at: null, reason: 'missing' } };
  if (head.seq < checked || head.hash !== (last?.hash ?? null)) {
    return { checked, brokenAt: last ? { seq: last.seq, type: last.type, at: last.at, reason: 'head_mismatch' } : { seq: head.seq, type: null, at: null, reason: 'head_mismatch' } };
  }
  return { checked, brokenAt: null };
}

/** Only the form: payload schemas may grow over time, so an old event is not judged by today's schema. */
function payloadIsCanonical(text: string): boolean {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return false;
  }
  return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) && canonicalJson(parsed) === text;
}
