import { describe, expect, it } from 'vitest';
import { pendingSigner, refuseSign, type SigningState } from './signing-order';

const signers = (signed: boolean[]) => signed.map((s, i) => ({ signerId: `s${i + 1}`, userId: `u${i + 1}`, order: i + 1, signed: s }));
const state = (signed: boolean[], patch: Partial<SigningState> = {}): SigningState => ({ inProgress: true, expired: false, signers: signers(signed), ...patch });

describe('sequential signing order', () => {
  it('the pending signer is the lowest order not yet signed', () => {
    expect(pendingSigner(signers([false, false]))?.userId).toBe('u1');
    expect(pendingSigner(signers([true, false]))?.userId).toBe('u2');
    expect(pendingSigner(signers([true, true]))).toBeUndefined();
  });
  it('allows only the pending signer', () => {
    expect(refuseSign(state([false, false]), 'u1')).toBeNull();
    expect(refuseSign(state([false, false]), 'u2')?.code).toBe('NOT_YOUR_TURN');
    expect(refuseSign(state([true, false]), 'u1')?.code).toBe('ALREADY_SIGNED');
    expect(refuseSign(state([true, false]), 'u2')).toBeNull();
    expect(refuseSign(state([false, false]), 'stranger')?.code).toBe('NOT_A_SIGNER');
    expect(refuseSign(state([false, false], { inProgress: false }), 'u1')?.code).toBe('CONTRACT_NOT_IN_PROGRESS');
  });
  it('expiry wins over every other answer and says 已过期', () => {
    const r = refuseSign(state([false, false], { expired: true, inProgress: false }), 'u1');
    expect(r?.code).toBe('CONTRACT_EXPIRED');
    expect(r?.message).toContain('已过期');
  });
  it('while a signature is in flight, the next signer is accepted (as the database may already show) and the signer in flight is told to wait', () => {
    const inFlight = state([false, false, false], { inFlightSignerId: 's1' });
    expect(refuseSign(inFlight, 'u2')).toBeNull();
    expect(refuseSign(inFlight, 'u1')?.code).toBe('SIGNING_IN_PROGRESS');
    expect(refuseSign(inFlight, 'u3')?.code).toBe('NOT_YOUR_TURN');
  });
  it('every refusal carries a Chinese and an English message', () => {
    const r = refuseSign(state([false, false]), 'u2')!;
    expect(r.message).toMatch(/[\u4e00-\u9fa5]/);
    expect(r.messageEn).toMatch(/turn/);
  });
});
