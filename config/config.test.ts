import { describe, expect, it } from 'vitest';
import { loadConfig, parseDatabaseUrl } from './index';

describe('configuration', () => {
  it('defaults to the embedded platform', () => {
    const c = loadConfig({});
    expect(c.database.dialect).toBe('sqlite');
    expect(c.temporal).toMatchObject({ address: '127.0.0.1:7233', namespace: 'default', taskQueue: 'sealflow' });
    expect(c.smsProvider).toBe('outbox');
    expect(c.maxUploadBytes).toBe(20 * 1024 * 1024);
  });
  it('parses MySQL URLs', () => {
    expect(parseDatabaseUrl('mysql://u:p%40ss@db:3307/sealflow', '/tmp')).toEqual({ dialect: 'mysql', host: 'db', port: 3307, user: 'u', password: 'p@ss', dbName: 'sealflow' });
  });
  it('rejects unknown databases and weak master keys with a clear message', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://x' })).toThrow(/sqlite: or mysql:/);
    expect(() => loadConfig({ MASTER_KEY: 'short' })).toThrow(/MASTER_KEY/);
    expect(() => loadConfig({ API_PORT: 'abc' })).toThrow(/API_PORT/);
  });
});
