import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json';
import { ChainCheck, checkChain, eventHash, type ChainedFields, type StoredEvent } from './trail-chain';

const CONTRACT = '00000000-0000-4000-8000-000000000001';

/** A valid chain of n events, built the way record-contract-event.ts builds rows. */
function chain(n: number): StoredEvent[] {
  const out: StoredEvent[] = [];
  let prev: string | null = null;
  for (let seq = 1; seq <= n; seq++) {
    const fields: ChainedFields = {
      contractId: CONTRACT,
      seq,
      type: seq === 1 ? 'created' : 'viewed',
      actorId: 'u1',
      actorName: '张三',
      ip: '127.0.0.1',
      at: new Date(Date.UTC(2026, 11, 1, 12, 0, seq, 123)),
      payload: canonicalJson(seq === 1 ? { title: '合同' } : {}),
      documentSha256: 'a'.repeat(64),
      prevHash: prev,
    };
    const e: StoredEvent = { ...fields, hash: eventHash(fields) };
    out.push(e);
    prev = e.hash;
  }
  return out;
}
const headOf = (events: StoredEvent[]) => ({ seq: events.length, hash: events.at(-1)?.hash ?? null });

describe('trail hash chain', () => {
  it('the hash covers every column: changing any one changes it', () => {
    const [e] = chain(1);
    const base = eventHash(e!);
    const variants: Partial<StoredEvent>[] = [
      { contractId: 'other' },
      { seq: 2 },
      { type: 'signed' },
      { actorId: null },
      { actorName: '李四' },
      { ip: null },
      { at: new Date(e!.at.getTime() + 1) },
      { payload: '{"title":"合同2"}' },
      { documentSha256: 'b'.repeat(64) },
      { prevHash: 'c'.repeat(64) },
    ];
    for (const v of variants) expect(eventHash({ ...e!, ...v }), JSON.stringify(v)).not.toBe(base);
    expect(base).toMatch(/^[0-9a-f]{64}$/);
  });

  it('an untouched chain is intact and every event is checked', () => {
    const events = chain(5);
    expect(checkChain(events, headOf(events))).toEqual({ checked: 5, brokenAt: null });
    expect(checkChain([], { seq: 0, hash: null })).toEqual({ checked: 0, brokenAt: null });
  });

  it('an edited payload is named by seq and type (hash_mismatch)', () => {
    const events = chain(5);
    const head = headOf(events);
    events[2] = { ...events[2]!, payload: '{"forged":true}' };
    expect(checkChain(events, head).brokenAt).toMatchObject({ seq: 3, type: 'viewed', reason: 'hash_mismatch' });
  });

  it('an edited row whose hash was recomputed breaks the link to the next event (prev_mismatch)', () => {
    const events = chain(5);
    const head = headOf(events);
    const forged = { ...events[1]!, actorName: '王五' };
    events[1] = { ...forged, hash: eventHash(forged) };
    expect(checkChain(events, head).brokenAt).toMatchObject({ seq: 3, reason: 'prev_mismatch' });
  });

  it('two events swapped in order are named at the first swapped seq', () => {
    const events = chain(5);
    const head = headOf(events);
    const [a, b] = [events[1]!, events[2]!];
    events[1] = { ...b, seq: 2 };
    events[2] = { ...a, seq: 3 };
    expect(checkChain(events, head).brokenAt).toMatchObject({ seq: 2, reason: 'hash_mismatch' });
  });

  it('a deleted event is named by its seq (missing), also the last one (the head names it)', () => {
    const events = chain(5);
    const head = headOf(events);
    expect(checkChain(events.filter((e) => e.seq !== 3), head)).toEqual({ checked: 2, brokenAt: { seq: 3, type: null, at: null, reason: 'missing' } });
    expect(checkChain(events.slice(0, 4), head).brokenAt).toMatchObject({ seq: 5, reason: 'missing' });
  });

  it('a head that does not name the last event is a break (head_mismatch)', () => {
    const events = chain(3);
    expect(checkChain(events, { seq: 3, hash: 'f'.repeat(64) }).brokenAt).toMatchObject({ seq: 3, reason: 'head_mismatch' });
    expect(checkChain(events, { seq: 2, hash: events[1]!.hash }).brokenAt).toMatchObject({ seq: 3, reason: 'head_mismatch' });
  });

  it('a payload rewritten into non-canonical text with a recomputed hash is named (payload_invalid)', () => {
    const events = chain(1);
    const forged = { ...events[0]!, payload: '{ "title": "合同" }' };
    const e = { ...forged, hash: eventHash(forged) };
    expect(checkChain([e], { seq: 1, hash: e.hash }).brokenAt).toMatchObject({ seq: 1, reason: 'payload_invalid' });
  });

  it('ChainCheck fed a part at a time gives the whole check\'s answer, and stops at the first break', () => {
    const fed = (events: StoredEvent[], head: { seq: number; hash: string | null }, part: number) => {
      const check = new ChainCheck();
      for (let i = 0; i < events.length; i += part) for (const e of events.slice(i, i + part)) check.add(e);
      return check.finish(head);
    };
    const events = chain(12);
    const head = headOf(events);
    const edited = events.map((e) => (e.seq === 7 ? { ...e, actorName: '冒名者' } : e));
    const gap = events.filter((e) => e.seq !== 5);
    for (const [list, h] of [[events, head], [edited, head], [gap, head], [events.slice(0, 11), head], [events, { seq: 12, hash: 'f'.repeat(64) }]] as const) {
      for (const part of [1, 5, 100]) expect(fed([...list], h, part)).toEqual(checkChain(list, h));
    }
    const check = new ChainCheck();
    for (const e of edited.slice(0, 7)) check.add(e);
    expect(check.isBroken).toBe(true);
    expect(() => check.add(edited[2]!)).not.toThrow(); // after a break nothing more is looked at
    const fresh = new ChainCheck();
    fresh.add(events[0]!);
    fresh.add(events[1]!);
    expect(() => fresh.add(events[0]!)).toThrow(/ascending seq/);
  });
});
