import { describe, expect, it } from 'vitest';
import { afterSigned, currentStep, pendingParticipants, refuseAction, type RoutingParticipant, type RoutingState, type RoutingStatus } from './routing';

/** Three steps: a (1), then b and c in parallel (2), then d (3). */
const parts = (statuses: Partial<Record<'a' | 'b' | 'c' | 'd', RoutingStatus>> = {}, canRefuse: string[] = []): RoutingParticipant[] =>
  (
    [
      ['a', 1],
      ['b', 2],
      ['c', 2],
      ['d', 3],
    ] as const
  ).map(([id, step]) => ({ participantId: id, step, status: statuses[id] ?? (step === 1 ? 'pending' : 'waiting'), canRefuse: canRefuse.includes(id) }));

const state = (ps: RoutingParticipant[], patch: Partial<RoutingState> = {}): RoutingState => ({ inProgress: true, expired: false, participants: ps, ...patch });

describe('routing: steps', () => {
  it('the current step is the lowest step with a participant not signed', () => {
    expect(currentStep(parts())).toBe(1);
    expect(currentStep(parts({ a: 'signed', b: 'pending', c: 'pending' }))).toBe(2);
    expect(currentStep(parts({ a: 'signed', b: 'signed', c: 'pending' }))).toBe(2);
    expect(currentStep(parts({ a: 'signed', b: 'signed', c: 'signed', d: 'pending' }))).toBe(3);
    expect(currentStep(parts({ a: 'signed', b: 'signed', c: 'signed', d: 'signed' }))).toBeNull();
  });

  it('a signature that completes a step starts the next one with all its participants; a parallel one waits for its peer', () => {
    expect(afterSigned(parts(), 'a')).toEqual({ nextStep: 2, newlyPending: ['b', 'c'], completed: false });
    expect(afterSigned(parts({ a: 'signed', b: 'pending', c: 'pending' }), 'b')).toEqual({ nextStep: null, newlyPending: [], completed: false });
    expect(afterSigned(parts({ a: 'signed', b: 'signed', c: 'pending' }), 'c')).toEqual({ nextStep: 3, newlyPending: ['d'], completed: false });
    expect(afterSigned(parts({ a: 'signed', b: 'signed', c: 'signed', d: 'pending' }), 'd')).toEqual({ nextStep: null, newlyPending: [], completed: true });
  });

  it('pending participants are those of the current step still to act', () => {
    expect(pendingParticipants(parts({ a: 'signed', b: 'signed', c: 'pending' })).map((p) => p.participantId)).toEqual(['c']);
    expect(pendingParticipants(parts({ a: 'signed', b: 'signed', c: 'signed', d: 'signed' }))).toEqual([]);
  });
});

describe('routing: who may act now', () => {
  it('only participants of the current step may sign; both parallel participants may', () => {
    expect(refuseAction(state(parts()), 'a', 'sign')).toBeNull();
    expect(refuseAction(state(parts()), 'b', 'sign')?.code).toBe('NOT_YOUR_TURN');
    const step2 = parts({ a: 'signed', b: 'pending', c: 'pending' });
    expect(refuseAction(state(step2), 'b', 'sign')).toBeNull();
    expect(refuseAction(state(step2), 'c', 'sign')).toBeNull();
    expect(refuseAction(state(step2), 'd', 'sign')?.code).toBe('NOT_YOUR_TURN');
    expect(refuseAction(state(step2), 'a', 'sign')?.code).toBe('ALREADY_SIGNED');
    expect(refuseAction(state(step2), 'x', 'sign')?.code).toBe('NOT_A_PARTICIPANT');
  });

  it('expiry wins over everything; a contract not in progress refuses every action', () => {
    expect(refuseAction(state(parts(), { expired: true, inProgress: false }), 'a', 'sign')?.code).toBe('CONTRACT_EXPIRED');
    expect(refuseAction(state(parts(), { inProgress: false }), 'a', 'sign')?.code).toBe('CONTRACT_NOT_IN_PROGRESS');
    expect(refuseAction(state(parts(), { inProgress: false }), 'x', 'refuse')?.code).toBe('CONTRACT_NOT_IN_PROGRESS');
  });

  it('refusal only where the initiator allowed it, and only in turn', () => {
    expect(refuseAction(state(parts()), 'a', 'refuse')?.code).toBe('REFUSAL_NOT_ALLOWED');
    expect(refuseAction(state(parts({}, ['a'])), 'a', 'refuse')).toBeNull();
    expect(refuseAction(state(parts({}, ['b'])), 'b', 'refuse')?.code).toBe('NOT_YOUR_TURN');
    expect(refuseAction(state(parts({ a: 'refused' }, ['a'])), 'a', 'refuse')?.code).toBe('ALREADY_REFUSED');
  });

  it('in flight: the one being signed hears SIGNING_IN_PROGRESS, the next step is accepted as if it had committed, a parallel peer still may', () => {
    expect(refuseAction(state(parts(), { inFlightParticipantId: 'a' }), 'a', 'sign')?.code).toBe('SIGNING_IN_PROGRESS');
    expect(refuseAction(state(parts(), { inFlightParticipantId: 'a' }), 'b', 'sign')).toBeNull();
    const step2 = parts({ a: 'signed', b: 'pending', c: 'pending' });
    expect(refuseAction(state(step2, { inFlightParticipantId: 'b' }), 'c', 'sign')).toBeNull();
    expect(refuseAction(state(step2, { inFlightParticipantId: 'b' }), 'd', 'sign')?.code).toBe('NOT_YOUR_TURN');
  });

  it('every refusal has a Chinese and an English message', () => {
    const r = refuseAction(state(parts()), 'b', 'sign')!;
    expect(r.message).toMatch(/[\u4e00-\u9fff]/);
    expect(r.messageEn).toMatch(/turn/);
  });
});
