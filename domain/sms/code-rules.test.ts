import { describe, expect, it } from 'vitest';
import { CODE_RULES, checkCode, generateCode, hashCode, resendWaitMs, setCodeHashKey } from './code-rules';

setCodeHashKey('unit-test-master-key');

const subject = 'contract:c1';
const challenge = (code: string, over: Partial<{ attempts: number; consumedAt: Date | null; expiresAt: Date }> = {}) => ({
  codeHash: hashCode(subject, code),
  expiresAt: new Date(1_000_000 + CODE_RULES.ttlMs),
  attempts: 0,
  consumedAt: null,
  ...over,
});
const now = new Date(1_000_000);

describe('SMS code rules', () => {
  it('generates 6-digit codes', () => {
    for (let i = 0; i < 50; i++) expect(generateCode()).toMatch(/^\d{6}$/);
  });
  it('accepts the right code for the right subject only', () => {
    expect(checkCode(challenge('123456'), subject, '123456', now)).toBe('ok');
    expect(checkCode(challenge('123456'), subject, ' 123456 ', now)).toBe('ok');
    expect(checkCode(challenge('123456'), subject, '654321', now)).toBe('wrong');
    expect(checkCode(challenge('123456'), 'contract:c2', '123456', now)).toBe('wrong');
  });
  it('expires after 5 minutes', () => {
    expect(checkCode(challenge('123456'), subject, '123456', new Date(now.getTime() + CODE_RULES.ttlMs + 1))).toBe('expired');
    expect(CODE_RULES.ttlMs).toBe(5 * 60_000);
  });
  it('locks after 5 wrong attempts, even for the right code', () => {
    expect(checkCode(challenge('123456', { attempts: 5 }), subject, '123456', now)).toBe('too_many_attempts');
    expect(checkCode(challenge('123456', { attempts: 4 }), subject, '123456', now)).toBe('ok');
  });
  it('refuses a used code', () => {
    expect(checkCode(challenge('123456', { consumedAt: now }), subject, '123456', now)).toBe('consumed');
  });
  it('enforces the resend cooldown', () => {
    expect(resendWaitMs(null, now)).toBe(0);
    expect(resendWaitMs(now, new Date(now.getTime() + 10_000))).toBe(CODE_RULES.resendCooldownMs - 10_000);
    expect(resendWaitMs(now, new Date(now.getTime() + CODE_RULES.resendCooldownMs))).toBe(0);
  });

  it('hashes codes with a key derived from MASTER_KEY: no key, no hash; another key, another hash (a dump does not give codes back by enumeration)', async () => {
    const { createHash } = await import('node:crypto');
    const keyed = hashCode(subject, '123456');
    expect(keyed).toMatch(/^[0-9a-f]{64}$/);
    expect(keyed).not.toBe(createHash('sha256').update(`${subject}\u0000123456`).digest('hex'));
    setCodeHashKey('another-master-key');
    expect(hashCode(subject, '123456')).not.toBe(keyed);
    setCodeHashKey('unit-test-master-key');
    expect(hashCode(subject, '123456')).toBe(keyed);
    expect(() => setCodeHashKey('')).toThrow(/master key/);
  });
});
