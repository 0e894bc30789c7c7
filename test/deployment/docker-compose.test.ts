/**
 * docker-compose.yml describes the production shape; no Docker engine runs here, so this test
 * parses it and checks the services and that the app's environment matches config/index.ts.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CONFIG_KEYS, loadConfig } from '../../config';

const compose = parse(fs.readFileSync(new URL('../../docker-compose.yml', import.meta.url), 'utf8'), { merge: true });
const envExample = fs.readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');

describe('docker-compose.yml', () => {
  it('has MySQL 8, Temporal on MySQL, Temporal UI, scalable API and worker with shared storage', () => {
    const s = compose.services;
    expect(Object.keys(s).sort()).toEqual(['api', 'migrate', 'mysql', 'temporal', 'temporal-ui', 'worker']);
    expect(s.api.depends_on.migrate.condition).toBe('service_completed_successfully');
    expect(s.mysql.image).toMatch(/^mysql:8/);
    expect(s.temporal.environment.DB).toBe('mysql8');
    expect(s.temporal.environment.MYSQL_SEEDS).toBe('mysql');
    expect(s['temporal-ui'].environment.TEMPORAL_ADDRESS).toBe('temporal:7233');
    for (const name of ['api', 'worker']) {
      expect(s[name].deploy.replicas).toBeGreaterThan(1);
      expect(s[name].volumes).toContain('documents:/var/lib/sealflow');
      expect(s[name].environment.DATA_DIR).toBe('/var/lib/sealflow');
    }
    expect(s.api.command.join(' ')).toContain('api/main.ts');
    expect(s.worker.command.join(' ')).toContain('worker/main.ts');
  });

  it('gives the app exactly the variables the configuration understands, and they parse', () => {
    for (const name of ['api', 'worker', 'migrate']) {
      const env = compose.services[name].environment as Record<string, string>;
      for (const key of Object.keys(env)) expect(CONFIG_KEYS, `${name}: ${key}`).toContain(key);
      const resolved = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v).replace(/\$\{(\w+)(:[-?][^}]*)?\}/g, (_m, _n, d?: string) => (d?.startsWith(':-') ? d.slice(2) : 'x'.repeat(32)))]));
      const config = loadConfig(resolved);
      expect(config.database.dialect).toBe('mysql');
      expect(config.temporal.address).toBe('temporal:7233');
    }
  });

  it('.env.example documents every configuration variable', () => {
    for (const key of CONFIG_KEYS) expect(envExample, key).toMatch(new RegExp(`^${key}=`, 'm'));
  });
});
