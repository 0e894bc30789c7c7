import { describe, expect, it } from 'vitest';
import { redactSecrets } from './secret-redaction';

describe('redactSecrets (what every line written to stdout/stderr goes through)', () => {
  it('masks the configured secrets, also URL-encoded', () => {
    expect(redactSecrets('connect mysql://app:p@ss/w0rd@db and p%40ss%2Fw0rd', ['p@ss/w0rd'])).toBe('connect mysql://app:***@db and ***');
  });

  it('masks the values of a failed statement in an error line (a new password hash was logged as is)', () => {
    const line = "[api] PUT /me/password DriverException: update `users` set `password_hash` = '$argon2id$v=19$m=19456,p=1,t=2$BjlJ$xy4R' where `id` = 'a9659dcd' - simulated database failure";
    expect(redactSecrets(line, [])).toBe("[api] PUT /me/password DriverException: update `users` set `password_hash` = '***' where `id` = '***' - simulated database failure");
  });
});
