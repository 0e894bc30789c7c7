/**
 * docker-compose.yml describes the production shape; no Docker engine runs here, so this test
 * parses it and checks the services and that the app's environment matches config/index.ts.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CONFIG_KEYS, loadConfig, parseTrustProxy } from '../../config';

const compose = parse(fs.readFileSync(new URL('../../docker-compose.yml', import.meta.url), 'utf8'), { merge: true });
const envExample = fs.readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');

describe('docker-compose.yml', () => {
  it('has MySQL 8, Temporal on MySQL, Temporal UI, scalable API and worker with shared storage', () => {
    const s = compose.services;
    expect(Object.keys(s).sort()).toEqual(['api', 'ca-service', 'migrate', 'mysql', 'temporal', 'temporal-ui', 'worker']);
    expect(s.api.depends_on.migrate.condition).toBe('service_completed_successfully');
    // The one-off set-up: migrations, CA (root key opened only there), first operator.
    expect(s.migrate.command.join(' ')).toContain('scripts/platform-setup.ts');
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
    // Docker's default 10 s before SIGKILL would cut the graceful shutdown short.
    for (const name of ['api', 'worker', 'ca-service']) expect(parseInt(s[name].stop_grace_period, 10)).toBeGreaterThan(20);
  });

  it('publishes every port on 127.0.0.1 only (Temporal and its UI have no authentication), and trusts only the proxy that arrives through the compose network\'s gateway', () => {
    const published = Object.entries(compose.services as Record<string, { ports?: string[] }>).flatMap(([name, svc]) => (svc.ports ?? []).map((p) => [name, String(p)] as const));
    expect(published.map(([name]) => name)).toEqual(expect.arrayContaining(['temporal', 'temporal-ui']));
    for (const [name, port] of published) expect(port, name).toMatch(/^127\.0\.0\.1:/);
    // Trusted: loopback and the compose network's gateway only (every private range would let an intranet client spoof its address).
    const trustDefault = /^\$\{TRUST_PROXY:-(.+)\}$/.exec(String(compose.services.api.environment.TRUST_PROXY))?.[1];
    const gateway = compose.networks.default.ipam.config[0].gateway as string;
    expect(trustDefault?.split(',')).toEqual(['loopback', gateway]);
    expect(() => parseTrustProxy(trustDefault!)).not.toThrow();
  });

  it('runs Temporal (one node) writing each task queue to one partition, still reading all: its dynamic config file is mounted where the variable points', () => {
    const t = compose.services.temporal;
    const mount = (t.volumes as string[]).map((v) => v.split(':')).find(([, target]) => target === `/etc/temporal/${t.environment.DYNAMIC_CONFIG_FILE_PATH}`);
    expect(mount?.[2]).toBe('ro');
    const dynamic = parse(fs.readFileSync(new URL(`../../${mount![0]!.replace(/^\.\//, '')}`, import.meta.url), 'utf8')) as Record<string, { value: unknown }[]>;
    expect(dynamic['matching.numTaskqueueWritePartitions']?.[0]?.value).toBe(1);
    expect(dynamic['matching.numTaskqueueReadPartitions']).toBeUndefined(); // fewer read partitions would strand tasks already written to the others
  });

  it('runs the CA order service as its own container with its own volume, reached by API and worker', () => {
    const s = compose.services;
    const ca = s['ca-service'];
    expect(ca.command.join(' ')).toContain('ca-service/main.ts');
    expect(ca.volumes).toEqual(['ca-service:/var/lib/sealflow-ca']);
    expect(ca.environment.DATA_DIR).toBe('/var/lib/sealflow-ca');
    expect(ca.depends_on.migrate.condition).toBe('service_completed_successfully');
    expect(Object.keys(compose.volumes)).toContain('ca-service');
    expect(s.worker.depends_on['ca-service']).toBeDefined();
    for (const name of ['api', 'worker']) {
      expect(s[name].environment.CA_ORDER_SERVICE_URL).toBe(`http://ca-service:${ca.environment.CA_SERVICE_PORT}`);
      // The platform and the service share the key (and the platform database + MASTER_KEY, to load the CA).
      expect(s[name].environment.CA_SERVICE_API_KEY).toBe(ca.environment.CA_SERVICE_API_KEY);
      expect(s[name].environment.DATABASE_URL).toBe(ca.environment.DATABASE_URL);
      expect(s[name].environment.MASTER_KEY).toBe(ca.environment.MASTER_KEY);
    }
  });

  it('gives the app exactly the variables the configuration understands, and they parse', () => {
    for (const name of ['api', 'worker', 'migrate', 'ca-service']) {
      const env = compose.services[name].environment as Record<string, string>;
      for (const key of Object.keys(env)) expect(CONFIG_KEYS, `${name}: ${key}`).toContain(key);
      // ${X:-default} takes the default; ${X:?message} (must be set) a plausible value.
      const required = (name: string) => (name.endsWith('_URL') ? 'https://gateway.example/send' : name === 'CA_SERVICE_STAFF_PASSWORD' ? 'a-long-staff-password' : name === 'OPERATOR_MOBILE' ? '13700000001' : 'x'.repeat(32));
      const resolved = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v).replace(/\$\{(\w+)(:[-?][^}]*)?\}/g, (_m, n: string, d?: string) => (d?.startsWith(':-') ? d.slice(2) : required(n)))]));
      const config = loadConfig(resolved);
      expect(config.database.dialect).toBe('mysql');
      expect(config.temporal.address).toBe('temporal:7233');
      // Production: strong key enforced, a real SMS gateway, Secure cookies.
      expect(config.appEnv).toBe('production');
      expect(config.smsProvider).toBe('http');
      expect(config.cookieSecure).toBe(true);
      // The first operator's own number, never a default.
      if (name !== 'ca-service') expect(config.operator.mobile).toBe('13700000001');
    }
    expect(() => loadConfig({ ...(compose.services.api.environment as Record<string, string>), MASTER_KEY: 'dev-only-master-key-change-me', SMS_HTTP_URL: 'https://gateway.example/send', SMS_HTTP_SECRET: 'x'.repeat(32), DATABASE_URL: 'mysql://u:p@h:3306/d', CA_SERVICE_PUBLIC_URL: 'https://ca.example', OPERATOR_MOBILE: '13700000001' })).toThrow(/MASTER_KEY/);
    expect(() => loadConfig({ ...(compose.services.api.environment as Record<string, string>), MASTER_KEY: 'x'.repeat(32), SMS_HTTP_URL: 'https://gateway.example/send', SMS_HTTP_SECRET: 'x'.repeat(32), DATABASE_URL: 'mysql://u:p@h:3306/d', CA_SERVICE_PUBLIC_URL: 'https://ca.example', CA_SERVICE_API_KEY: 'short', OPERATOR_MOBILE: '13700000001' })).toThrow(/CA_SERVICE_API_KEY/);
  });

  it('.env.example documents every configuration variable', () => {
    for (const key of CONFIG_KEYS) expect(envExample, key).toMatch(new RegExp(`^${key}=`, 'm'));
  });
});
