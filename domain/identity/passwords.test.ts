import argon2 from 'argon2';
import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from './passwords';

describe('password hashing', () => {
  it('hashes with argon2id at the OWASP configuration (19 MiB, 2 iterations, 1 lane), salted per hash', async () => {
    const [a, b] = await Promise.all([hashPassword('Test@123456'), hashPassword('Test@123456')]);
    expect(a).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword(a, 'Test@123456')).toBe(true);
    expect(await verifyPassword(a, 'Test@123457')).toBe(false);
  });

  it('still verifies hashes made with other parameters (the library defaults used before)', async () => {
    const old = await argon2.hash('Test@123456', { type: argon2.argon2id });
    expect(old).toMatch(/m=65536,p=4,t=3/);
    expect(await verifyPassword(old, 'Test@123456')).toBe(true);
    expect(await verifyPassword(old, 'wrong')).toBe(false);
  });

  it('answers false for a malformed hash instead of throwing', async () => {
    expect(await verifyPassword('not-a-hash', 'Test@123456')).toBe(false);
  });
});
