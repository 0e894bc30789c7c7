/**
 * The CA order service's entry point (`node --import tsx ca-service/main.ts`) as a real process:
 * its own SQLite file under DATA_DIR, one-line start-up failures, SIGTERM → graceful stop, exit 0.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanChildEnv } from '../harness/child-env';
import { freePort } from '../../scripts/lib/temporal-dev-server';
import { startCaServiceProcess } from '../harness/ca-service-process';

let root: string;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'sealflow-ca-process-'));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** Runs the entry point to its exit (a start-up failure): exit code and output. */
function runToExit(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'ca-service/main.ts'], { env: cleanChildEnv({ DATA_DIR: path.join(root, 'fail'), DATABASE_URL: `sqlite:${path.join(root, 'platform.sqlite')}`, ...env }), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const kill = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((resolve) => child.on('exit', (code) => {
    clearTimeout(kill);
    resolve({ code, stdout, stderr });
  }));
}

describe('CA service process', () => {
  it('serves on its own port with its own SQLite file; SIGTERM stops it gracefully with exit 0; secrets never printed', async () => {
    const dataDir = path.join(root, 'data');
    const ca = await startCaServiceProcess({ databaseUrl: `sqlite:${path.join(root, 'platform.sqlite')}`, dataDir });
    try {
      expect(fs.existsSync(path.join(dataDir, 'ca-service', 'orders.sqlite'))).toBe(true);
      expect(await (await fetch(`${ca.url}/healthz`)).json()).toEqual({ ok: true });
      expect((await fetch(`${ca.url}/api/orders/x`)).status).toBe(401);
      expect(ca.output()).toMatch(/\[ca-service\] listening on 0\.0\.0\.0:\d+ \(staff pages http:\/\/127\.0\.0\.1:\d+\/staff\/\)/);
    } finally {
      expect(await ca.stop()).toBe(0);
    }
    expect(ca.output()).toContain('[ca-service] SIGTERM: stopping');
    expect(ca.output()).toContain('[ca-service] stopped');
    expect(ca.output()).not.toContain(ca.apiKey);
    expect(ca.output()).not.toContain(ca.staffPassword);
    await expect(fetch(`${ca.url}/healthz`)).rejects.toThrow();
  }, 120_000);

  it('refuses to start in production without a staff password or API key (one line, exit 1)', async () => {
    const production = { APP_ENV: 'production', MASTER_KEY: 'm'.repeat(40), SMS_PROVIDER: 'http', SMS_HTTP_URL: 'https://sms.example/send', SMS_HTTP_SECRET: 's'.repeat(32), CA_SERVICE_PORT: '0' };
    const noPassword = await runToExit({ ...production, CA_SERVICE_API_KEY: 'k'.repeat(40) });
    expect(noPassword.code).toBe(1);
    expect(noPassword.stderr.trim()).toBe('[ca-service] cannot start: CA_SERVICE_STAFF_PASSWORD must be set to a password of at least 12 characters in production');
    const noKey = await runToExit({ ...production, CA_SERVICE_STAFF_PASSWORD: 'a-long-staff-password' });
    expect(noKey.code).toBe(1);
    expect(noKey.stderr.trim()).toMatch(/^\[ca-service\] cannot start: CA_SERVICE_API_KEY must be set/);
    expect(noKey.stdout + noKey.stderr).not.toContain('a-long-staff-password');
  }, 120_000);

  it('exits 1 naming the address when its port is taken', async () => {
    const port = await freePort();
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(port, '0.0.0.0', resolve));
    try {
      const run = await runToExit({ CA_SERVICE_PORT: String(port) });
      expect(run.code).toBe(1);
      expect(run.stderr.trim()).toBe(`[ca-service] cannot start: cannot listen on 0.0.0.0:${port}: address already in use`);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  }, 120_000);
});
