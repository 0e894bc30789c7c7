import { describe, expect, it } from 'vitest';
import { canTransition, isTerminal } from './contract-status';

describe('contract state machine', () => {
  it('moves from 创建中 to 签署中, and from 签署中 to 已完成 or 已作废 only', () => {
    expect(canTransition('starting', 'in_progress')).toBe(true);
    expect(canTransition('starting', 'completed')).toBe(false);
    expect(canTransition('in_progress', 'completed')).toBe(true);
    expect(canTransition('in_progress', 'voided')).toBe(true);
    expect(canTransition('completed', 'voided')).toBe(false);
    expect(canTransition('voided', 'in_progress')).toBe(false);
  });
  it('terminal states never change', () => {
    expect(isTerminal('completed')).toBe(true);
    expect(isTerminal('voided')).toBe(true);
    expect(isTerminal('in_progress')).toBe(false);
    expect(isTerminal('starting')).toBe(false);
  });
});
