import { describe, expect, it } from 'vitest';
import { idNumberHash, normaliseIdNumber } from './real-name-id-hash';

const KEY = 'test-master-key-0123456789';

describe('idNumberHash', () => {
  it('is 64 hex characters, the same for the same number however it was typed', () => {
    const h = idNumberHash('11010519491231002X', KEY);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(idNumberHash('11010519491231002x', KEY)).toBe(h);
    expect(idNumberHash(' 110105 19491231002X ', KEY)).toBe(h);
    expect(normaliseIdNumber(' 11010519491231002x')).toBe('11010519491231002X');
  });

  it('differs for another number and under another master key (keyed: not reversible by enumeration without the key)', () => {
    const h = idNumberHash('11010519491231002X', KEY);
    expect(idNumberHash('110101199003077774', KEY)).not.toBe(h);
    expect(idNumberHash('11010519491231002X', `${KEY}-other`)).not.toBe(h);
    expect(h).not.toContain('11010519491231002X');
  });

  it('refuses an empty master key', () => {
    expect(() => idNumberHash('11010519491231002X', '')).toThrow(/master key/);
  });
});
