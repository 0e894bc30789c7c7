import { describe, expect, it } from 'vitest';
import { pendingSigner, refuseSign } from './signing-order';

const signers = (signed: boolean[]) => signed.map((s, i) => ({ signerId: `s${i + 1}`, userId: `u${i + 1}`, order: i + 1, signed: s }));

describe('sequential signing order', () => {
  it('the pending signer is the lowest order not yet signed', () => {
    expect(pendingSigner(signers([false, false]))?.userId).toBe('u1');
    expect(pendingSigner(signers([true, false]))?.userId).toBe('u2');
    expect(pendingSigner(signers([true, true]))).toBeUndefined();
  });
  it('allows only the pending signer', () => {
    expect(refuseSign(true, signers([false, false]), 'u1')).toBeNull();
    expect(refuseSign(true, signers([false, false]), 'u2')?.code).toBe('NOT_YOUR_TURN');
    expect(refuseSign(true, signers([true, false]), 'u1')?.code).toBe('ALREADY_SIGNED');
    expect(refuseSign(true, signers([true, false]), 'u2')).toBeNull();
    expect(refuseSign(true, signers([false, false]), 'stranger')?.code).toBe('NOT_A_SIGNER');
    expect(refuseSign(false, signers([false, false]), 'u1')?.code).toBe('CONTRACT_NOT_IN_PROGRESS');
  });
  it('every refusal carries a Chinese and an English message', () => {
    const r = refuseSign(true, signers([false, false]), 'u2')!;
    expect(r.message).toMatch(/[\u4e00-\u9fa5]/);
    expect(r.messageEn).toMatch(/turn/);
  });
});
