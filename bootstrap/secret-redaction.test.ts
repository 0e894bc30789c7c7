import { formatWithOptions } from 'node:util';
import { describe, expect, it } from 'vitest';
import { LOG_INSPECT_OPTIONS, redactSecrets } from './secret-redaction';

describe('redactSecrets (what every line written to stdout/stderr goes through)', () => {
  it('masks the configured secrets, also URL-encoded', () => {
    expect(redactSecrets('connect mysql://app:p@ss/w0rd@db and p%40ss%2Fw0rd', ['p@ss/w0rd'])).toBe('connect mysql://app:***@db and ***');
  });

  it('masks the values of a failed statement in an error line (a new password hash was logged as is)', () => {
    const line = "[api] PUT /me/password DriverException: update `users` set `password_hash` = '$argon2id$v=19$m=19456,p=1,t=2$BjlJ$xy4R' where `id` = 'a9659dcd' - simulated database failure";
    expect(redactSecrets(line, [])).toBe("[api] PUT /me/password DriverException: update `users` set `password_hash` = '***' where `id` = '***' - simulated database failure");
  });

  it('masks a multi-line literal of a logged error\'s statement (printed as it is logged once redaction is installed)', () => {
    const pem = `-----BEGIN CERTIFICATE-----\n${'MIIBSECRETLINE'.repeat(4)}\n${'MIIBSECRETLINE'.repeat(4)}\n-----END CERTIFICATE-----`;
    const err = Object.assign(new Error('insert failed'), { sql: `insert into certificates (certificate_pem, private_key_encrypted) values ('${pem}', 'wrapped-key-blob')` });
    const printed = (options: object) => redactSecrets(formatWithOptions(options, '[api] POST /console/certificate-orders', err), []);
    // Node's default printing splits the literal into one quoted piece per line: its lines escaped the masking.
    expect(printed({})).toContain('MIIBSECRETLINE');
    const logged = printed(LOG_INSPECT_OPTIONS);
    expect(logged).not.toContain('MIIBSECRETLINE');
    expect(logged).not.toContain('wrapped-key-blob');
    expect(logged).toContain("values ('***', '***')");
  });
});
