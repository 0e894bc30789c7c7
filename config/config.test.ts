import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEV_CA_STAFF_PASSWORD, loadConfig, parseDatabaseUrl, parseTrustProxy, secretValues } from './index';

const STRONG_KEY = 'k'.repeat(40);
const GATEWAY = { SMS_PROVIDER: 'http', SMS_HTTP_URL: 'https://sms.example.com/send', SMS_HTTP_SECRET: 's'.repeat(32), CA_SERVICE_API_KEY: 'c'.repeat(40), OPERATOR_MOBILE: '13700000009' };

describe('configuration', () => {
  it('defaults to the embedded platform', () => {
    const c = loadConfig({});
    expect(c.appEnv).toBe('development');
    expect(c.database.dialect).toBe('sqlite');
    expect(c.temporal).toMatchObject({ address: '127.0.0.1:7233', namespace: 'default', taskQueue: 'sealflow' });
    expect(c.smsProvider).toBe('outbox');
    expect(c.maxUploadBytes).toBe(20 * 1024 * 1024);
    expect(c.trustProxy).toEqual(['loopback']);
    expect(c.cookieSecure).toBe(false);
  });

  it('reads .env.example as it is (empty values mean unset)', () => {
    const example = Object.fromEntries(
      fs.readFileSync(new URL('../.env.example', import.meta.url), 'utf8').split('\n').filter((l) => /^[A-Z_]+=/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    const c = loadConfig(example);
    expect(c.database).toEqual({ dialect: 'sqlite', file: path.resolve('.data/sealflow.sqlite') });
    expect(c.cookieSecure).toBe(false);
  });

  it('puts the default SQLite database inside DATA_DIR', () => {
    const c = loadConfig({ DATA_DIR: '/srv/sealflow-data' });
    expect(c.database).toEqual({ dialect: 'sqlite', file: path.resolve('/srv/sealflow-data/sealflow.sqlite') });
    expect(loadConfig({ DATA_DIR: '/srv/x', DATABASE_URL: 'sqlite:' }).database).toEqual({ dialect: 'sqlite', file: path.resolve('/srv/x/sealflow.sqlite') });
  });

  it('parses MySQL URLs', () => {
    expect(parseDatabaseUrl('mysql://u:p%40ss@db:3307/sealflow', '/tmp')).toEqual({ dialect: 'mysql', host: 'db', port: 3307, user: 'u', password: 'p@ss', dbName: 'sealflow' });
  });

  it('refuses malformed database URLs instead of guessing localhost, and never echoes a password', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql:sealflow' })).toThrow(/DATABASE_URL is not a valid mysql URL \(missing "\/\/" and host\)/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://u:p@db:3306/' })).toThrow(/no database name/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://db/sealflow' })).toThrow(/no user/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://u:p@db:99999/x' })).toThrow(/cannot be parsed/);
    expect(() => loadConfig({ DATABASE_URL: 'postgres://u:TopSecret1@x/db' })).toThrow(/^DATABASE_URL must start with sqlite: or mysql:, got "postgres:\/\/u:\*\*\*@x\/db"$/);
  });

  it('takes an OPERATOR_PASSWORD of 8–64 characters (a longer one could not be typed at login), and never echoes it', () => {
    expect(loadConfig({ OPERATOR_PASSWORD: 'Op#' + 'x'.repeat(61) }).operator.password).toHaveLength(64);
    expect(() => loadConfig({ OPERATOR_PASSWORD: 'Op#' + 'y'.repeat(62) })).toThrow(/OPERATOR_PASSWORD must be 8–64 characters/);
    expect(() => loadConfig({ OPERATOR_PASSWORD: 'Op#' + 'y'.repeat(62) })).not.toThrow(/yyyy/);
  });

  it('rejects unknown databases and weak master keys with a clear message', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://x' })).toThrow(/sqlite: or mysql:/);
    expect(() => loadConfig({ MASTER_KEY: 'short' })).toThrow(/MASTER_KEY/);
    expect(() => loadConfig({ API_PORT: 'abc' })).toThrow(/API_PORT/);
  });

  it('refuses to run in production with the development or a short MASTER_KEY', () => {
    for (const env of [{ NODE_ENV: 'production' }, { APP_ENV: 'production' }]) {
      expect(() => loadConfig({ ...env, ...GATEWAY })).toThrow(/MASTER_KEY must be set to a random secret of at least 32 characters in production/);
      expect(() => loadConfig({ ...env, ...GATEWAY, MASTER_KEY: 'only-twenty-chars-xx' })).toThrow(/MASTER_KEY/);
      expect(loadConfig({ ...env, ...GATEWAY, MASTER_KEY: STRONG_KEY }).appEnv).toBe('production');
    }
    // An explicit APP_ENV wins over NODE_ENV.
    expect(loadConfig({ NODE_ENV: 'production', APP_ENV: 'development' }).appEnv).toBe('development');
  });

  it('has no default first operator number in production (development: the demo operator\'s)', () => {
    const { OPERATOR_MOBILE: _given, ...withoutOperator } = GATEWAY;
    expect(loadConfig({ APP_ENV: 'production', MASTER_KEY: STRONG_KEY, ...withoutOperator }).operator.mobile).toBeNull();
    expect(loadConfig({ APP_ENV: 'production', MASTER_KEY: STRONG_KEY, ...GATEWAY }).operator.mobile).toBe('13700000009');
    expect(loadConfig({}).operator.mobile).toBe('13900000000');
  });

  it('refuses, in production, an API wait for Temporal shorter than a contract workflow may take to accept a request', () => {
    const production = { APP_ENV: 'production', MASTER_KEY: STRONG_KEY, ...GATEWAY };
    expect(() => loadConfig({ ...production, TEMPORAL_CALL_TIMEOUT_SECONDS: '4' })).toThrow(/TEMPORAL_CALL_TIMEOUT_SECONDS must be above 4.8 in production/);
    expect(loadConfig({ ...production, TEMPORAL_CALL_TIMEOUT_SECONDS: '5' }).contracts.callTimeoutMs).toBe(5000);
    // Tests and development may shorten it (a refusal then comes sooner).
    expect(loadConfig({ TEMPORAL_CALL_TIMEOUT_SECONDS: '2' }).contracts.callTimeoutMs).toBe(2000);
  });

  it('bounds the wait for an accepted Update (UPDATE_WAIT_SECONDS, 30 s by default, at most 300 s)', () => {
    expect(loadConfig({}).contracts.updateWaitMs).toBe(30_000);
    expect(loadConfig({ UPDATE_WAIT_SECONDS: '1.5' }).contracts.updateWaitMs).toBe(1500);
    expect(() => loadConfig({ UPDATE_WAIT_SECONDS: '0' })).toThrow(/UPDATE_WAIT_SECONDS/);
    expect(() => loadConfig({ UPDATE_WAIT_SECONDS: '301' })).toThrow(/UPDATE_WAIT_SECONDS/);
  });

  it('uses Secure cookies by default in production, unless told otherwise', () => {
    expect(loadConfig({ APP_ENV: 'production', MASTER_KEY: STRONG_KEY, ...GATEWAY }).cookieSecure).toBe(true);
    expect(loadConfig({ APP_ENV: 'production', MASTER_KEY: STRONG_KEY, ...GATEWAY, COOKIE_SECURE: 'false' }).cookieSecure).toBe(false);
    expect(loadConfig({ COOKIE_SECURE: 'true' }).cookieSecure).toBe(true);
  });

  it('allows the outbox SMS provider only outside production (development and demo)', () => {
    expect(() => loadConfig({ APP_ENV: 'production', MASTER_KEY: STRONG_KEY })).toThrow(/SMS_PROVIDER=outbox shows verification codes to operators/);
    expect(loadConfig({ APP_ENV: 'demo', MASTER_KEY: STRONG_KEY }).smsProvider).toBe('outbox');
  });

  it('configures the HTTP SMS gateway and refuses it half-configured', () => {
    expect(loadConfig(GATEWAY).sms).toEqual({ provider: 'http', url: 'https://sms.example.com/send', secret: 's'.repeat(32), timeoutMs: 5000, attempts: 3 });
    expect(() => loadConfig({ SMS_PROVIDER: 'http' })).toThrow(/SMS_HTTP_URL is required/);
    expect(() => loadConfig({ ...GATEWAY, SMS_HTTP_URL: 'ftp://x' })).toThrow(/SMS_HTTP_URL must be an http\(s\) URL/);
    // A secret in a URL would be quoted by every error about it (fetch's own message carries the whole URL).
    expect(() => loadConfig({ ...GATEWAY, SMS_HTTP_URL: 'https://user:pass@sms.example.com/send' })).toThrow(/SMS_HTTP_URL must not carry a user name or password/);
    expect(() => loadConfig({ ...GATEWAY, SMS_HTTP_SECRET: 'short' })).toThrow(/SMS_HTTP_SECRET must be set/);
  });

  it('CA order service: development defaults shared by platform and service; production needs its own API key and staff password', () => {
    const dev = loadConfig({ MASTER_KEY: 'm'.repeat(20) });
    expect(dev.caOrders.serviceUrl).toBe('http://127.0.0.1:3100');
    expect(dev.caService.port).toBe(3100);
    expect(dev.caService.publicUrl).toBe('http://localhost:3100');
    // Derived from MASTER_KEY: the platform and the service agree without configuration, and it is not the master key.
    expect(dev.caOrders.apiKey).toBe(dev.caService.apiKey);
    expect(dev.caOrders.apiKey).toHaveLength(43);
    expect(loadConfig({ MASTER_KEY: 'n'.repeat(20) }).caOrders.apiKey).not.toBe(dev.caOrders.apiKey);
    expect(dev.caService.staffPassword).toBe(DEV_CA_STAFF_PASSWORD);
    expect(dev.caService.staffPasswordIsDefault).toBe(true);
    expect(dev.caService.dataDir).toBe(path.join(dev.dataDir, 'ca-service'));
    const set = loadConfig({ CA_ORDER_SERVICE_URL: 'http://ca.internal:9000/', CA_SERVICE_API_KEY: 'a'.repeat(20), CA_SERVICE_STAFF_PASSWORD: 'staff-pass-1' });
    expect(set.caOrders).toEqual({ serviceUrl: 'http://ca.internal:9000', apiKey: 'a'.repeat(20), timeoutMs: 5000 });
    expect(set.caService).toMatchObject({ apiKey: 'a'.repeat(20), staffPassword: 'staff-pass-1', staffPasswordIsDefault: false });
    expect(() => loadConfig({ CA_ORDER_SERVICE_URL: 'not a url' })).toThrow(/CA_ORDER_SERVICE_URL must be an http\(s\) URL/);
    expect(() => loadConfig({ CA_ORDER_SERVICE_URL: 'http://ca:secret@ca.internal:9000/' })).toThrow(/CA_ORDER_SERVICE_URL must not carry a user name or password/);

    const prod = { APP_ENV: 'production', MASTER_KEY: STRONG_KEY, ...GATEWAY };
    expect(() => loadConfig({ ...prod, CA_SERVICE_API_KEY: '' })).toThrow(/CA_SERVICE_API_KEY must be set to a random secret of at least 32 characters/);
    expect(() => loadConfig({ ...prod, CA_SERVICE_API_KEY: 'short-but-16-chars' })).toThrow(/CA_SERVICE_API_KEY must be set/);
    // The API and the worker need no staff password; the CA service refuses to start without one (null here).
    expect(loadConfig(prod).caService.staffPassword).toBeNull();
    expect(() => loadConfig({ ...prod, CA_SERVICE_STAFF_PASSWORD: DEV_CA_STAFF_PASSWORD })).toThrow(/CA_SERVICE_STAFF_PASSWORD must be set/);
    expect(loadConfig({ ...prod, CA_SERVICE_STAFF_PASSWORD: 'a-long-staff-password' }).caService.staffPassword).toBe('a-long-staff-password');
    // Both are secrets: never printed.
    expect(secretValues({ CA_SERVICE_API_KEY: 'k'.repeat(32), CA_SERVICE_STAFF_PASSWORD: 'staff-pass-1' })).toEqual(['k'.repeat(32), 'staff-pass-1']);
  });

  it('parses TRUST_PROXY (default loopback) and refuses nonsense', () => {
    expect(parseTrustProxy('false')).toBe(false);
    expect(parseTrustProxy('2')).toBe(2);
    expect(parseTrustProxy('loopback, 10.0.0.0/8, fd00::/8, 192.168.1.7')).toEqual(['loopback', '10.0.0.0/8', 'fd00::/8', '192.168.1.7']);
    expect(() => parseTrustProxy('true')).toThrow(/TRUST_PROXY/);
    expect(() => parseTrustProxy('10.0.0.0/33')).toThrow(/TRUST_PROXY/);
    expect(() => loadConfig({ TRUST_PROXY: 'everyone' })).toThrow(/TRUST_PROXY: "everyone"/);
  });

  it('Word → PDF: warm converter by default, profiles under DATA_DIR/office, 3 GiB per LibreOffice process; simple selectable; bounds checked', () => {
    const dev = loadConfig({ DATA_DIR: '/tmp/sealflow-cfg' });
    expect(dev.office).toEqual({ converter: 'warm', processes: 2, maxQueue: 32, timeoutMs: 60_000, profileRoot: '/tmp/sealflow-cfg/office', memoryLimitBytes: 3072 * 1024 * 1024 });
    expect(loadConfig({ OFFICE_MEMORY_LIMIT_MB: '0' }).office.memoryLimitBytes).toBe(0);
    expect(() => loadConfig({ OFFICE_MEMORY_LIMIT_MB: '-1' })).toThrow(/OFFICE_MEMORY_LIMIT_MB/);
    expect(() => loadConfig({ OFFICE_MEMORY_LIMIT_MB: '400' })).toThrow(/OFFICE_MEMORY_LIMIT_MB/);
    expect(loadConfig({ OFFICE_CONVERTER: 'simple', OFFICE_PROCESSES: '3', OFFICE_TIMEOUT_SECONDS: '1.5', OFFICE_PROFILE_DIR: '/var/tmp/lo' }).office).toMatchObject({ converter: 'simple', processes: 3, timeoutMs: 1500, profileRoot: '/var/tmp/lo' });
    expect(() => loadConfig({ OFFICE_CONVERTER: 'cold' })).toThrow(/OFFICE_CONVERTER/);
    expect(() => loadConfig({ OFFICE_PROCESSES: '0' })).toThrow(/OFFICE_PROCESSES/);
  });
});
