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

/**
 * The chain check fed in seq order, a part at a time (the verification reads a long trail in pages and yields
 * between them): `add` each event in ascending seq, then `finish` against the contract's head. Stops checking at
 * the first break (later events change nothing).
 */
export class ChainCheck {
  private prev: string | null = null;
  private expected = 1;
  private checkedCount = 0;
  private last: StoredEvent | null = null;
  private broken: TrailBreak | null = null;

  /** The next event by seq (ascending; a gap is a missing event). */
  add(e: StoredEvent): void {
    if (this.broken) return;
    if (this.last && e.seq < this.last.seq) throw new Error(`ChainCheck: events must come in ascending seq (${e.seq} after ${this.last.seq})`);
    this.last = e;
    if (e.seq !== this.expected) {
      this.broken = { seq: this.expected, type: null, at: null, reason: 'missing' };
      return;
    }
    const at = { seq: e.seq, type: e.type, at: e.at };
    if (eventHash(e) !== e.hash) this.broken = { ...at, reason: 'hash_mismatch' };
    else if (e.prevHash !== this.prev) this.broken = { ...at, reason: 'prev_mismatch' };
    else if (!payloadIsCanonical(e.payload)) this.broken = { ...at, reason: 'payload_invalid' };
    if (this.broken) return;
    this.prev = e.hash;
    this.expected += 1;
    this.checkedCount += 1;
  }

  /** True once a break was found (the events after it need not be read for the chain). */
  get isBroken(): boolean {
    return this.broken !== null;
  }

  /** The events checked and the first break (also against the contract's head), or null. */
  finish(head: { seq: number; hash: string | null }): { checked: number; brokenAt: TrailBreak | null } {
    const checked = this.checkedCount;
    if (this.broken) return { checked, brokenAt: this.broken };
    const last = this.last;
    if (head.seq > checked) return { checked, brokenAt: { seq: checked + 1, type: null, at: null, reason: 'missing' } };
    if (head.seq < checked || head.hash !== (last?.hash ?? null)) {
      return { checked, brokenAt: last ? { seq: last.seq, type: last.type, at: last.at, reason: 'head_mismatch' } : { seq: head.seq, type: null, at: null, reason: 'head_mismatch' } };
    }
    return { checked, brokenAt: null };
  }
}

/** Checks events (any order; sorted here) against each other and the contract's head; the first break, or null. */
export function checkChain(events: readonly StoredEvent[], head: { seq: number; hash: string | null }): { checked: number; brokenAt: TrailBreak | null } {
  const check = new ChainCheck();
  for (const e of [...events].sort((a, b) => a.seq - b.seq)) check.add(e);
  return check.finish(head);
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
