/**
 * Start-up and shutdown of the real processes: `node --import tsx api/main.ts` / `worker/main.ts`
 * spawned with bad configurations (exit code + the one line they print) and stopped with SIGTERM
 * while a request is in flight.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { cleanChildEnv } from '../harness/child-env';
import { freePort } from '../../scripts/lib/temporal-dev-server';

const SECRETS = { MASTER_KEY: `mk-${randomUUID()}-${randomUUID()}`, SMS_HTTP_SECRET: `sms-${randomUUID()}`, DB_PASSWORD: `dbpw-${randomUUID().slice(0, 12)}` };

interface Run {
  child: ChildProcess;
  stdout: string;
  stderr: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
}

let root: string;
const runs: ChildProcess[] = [];

/** The environment of a child: nothing of ours leaks in except what the test sets. */
function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  return cleanChildEnv({ TEMPORAL_ADDRESS: inject('temporalAddress'), TEMPORAL_TASK_QUEUE: `startup-${randomUUID()}`, MASTER_KEY: SECRETS.MASTER_KEY, ...env });
}

function start(script: 'api/main.ts' | 'worker/main.ts', env: Record<string, string>): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', script], { env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  runs.push(child);
  const run: Run = {
    child,
    stdout: '',
    stderr: '',
    exited: new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal }))),
    waitFor(pattern, timeoutMs = 90_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}; stdout: ${run.stdout}\nstderr: ${run.stderr}`)), timeoutMs);
        const check = () => {
          if (pattern.test(run.stdout) || pattern.test(run.stderr)) {
            clearTimeout(timer);
            resolve();
          }
        };
        child.stdout!.on('data', check);
        child.stderr!.on('data', check);
        child.on('exit', () => {
          clearTimeout(timer);
          if (pattern.test(run.stdout) || pattern.test(run.stderr)) resolve();
          else reject(new Error(`exited before ${pattern}; stdout: ${run.stdout}\nstderr: ${run.stderr}`));
        });
        check();
      });
    },
  };
  child.stdout!.on('data', (c: Buffer) => (run.stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (run.stderr += c.toString()));
  return run;
}

/** Waits for the exit, killing the process if it does not end in time (the "before" behaviour: it keeps running). */
async function exitOf(run: Run, timeoutMs = 60_000) {
  const timer = setTimeout(() => run.child.kill('SIGKILL'), timeoutMs);
  const result = await run.exited;
  clearTimeout(timer);
  return result;
}

const lines = (text: string) => text.split('\n').map((l) => l.trim()).filter(Boolean);

let dataDir: string;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'sealflow-startup-'));
  dataDir = path.join(root, 'data');
});

afterAll(() => {
  for (const child of runs) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  fs.rmSync(root, { recursive: true, force: true });
});

describe('API start-up fails with one clear line', () => {
  it('exits 1 naming the address when its port is taken (it used to print "listening" and run without a socket)', async () => {
    const blocker = net.createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => blocker.listen(port, '0.0.0.0', resolve));
    try {
      const run = start('api/main.ts', { DATA_DIR: dataDir, API_PORT: String(port) });
      const { code } = await exitOf(run, 90_000);
      expect(code).toBe(1);
      expect(lines(run.stderr)).toEqual([`[api] cannot start: cannot listen on 0.0.0.0:${port}: address already in use`]);
      expect(run.stdout).not.toContain('listening');
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  }, 120_000);

  it('exits 1 at start when DATA_DIR is not writable (found before the first upload)', async () => {
    const file = path.join(root, 'a-file');
    fs.writeFileSync(file, 'not a directory');
    const run = start('api/main.ts', { DATA_DIR: path.join(file, 'data'), DATABASE_URL: `sqlite:${path.join(root, 'elsewhere.sqlite')}`, API_PORT: '0' });
    const { code } = await exitOf(run);
    expect(code).toBe(1);
    expect(lines(run.stderr)).toEqual([`[api] cannot start: DATA_DIR ${path.join(file, 'data')} is not writable (ENOTDIR: not a directory, mkdir '${path.join(file, 'data')}')`]);
  });

  it('refuses a malformed DATABASE_URL instead of connecting to localhost', async () => {
    const run = start('api/main.ts', { DATA_DIR: dataDir, DATABASE_URL: 'mysql:sealflow', API_PORT: '0' });
    expect((await exitOf(run)).code).toBe(1);
    expect(lines(run.stderr)).toEqual(['[api] cannot start: DATABASE_URL is not a valid mysql URL (missing "//" and host); expected mysql://user:password@host:3306/dbname']);
  });

  it('refuses production with the default or a short MASTER_KEY', async () => {
    const envs: Record<string, string>[] = [{ NODE_ENV: 'production', MASTER_KEY: '' }, { APP_ENV: 'production', MASTER_KEY: 'only-twenty-chars-xx' }];
    for (const env of envs) {
      const run = start('api/main.ts', { DATA_DIR: dataDir, API_PORT: '0', ...env });
      expect((await exitOf(run)).code).toBe(1);
      expect(lines(run.stderr)).toEqual(['[api] cannot start: MASTER_KEY must be set to a random secret of at least 32 characters in production (e.g. openssl rand -base64 32)']);
    }
  });

  it('names the MASTER_KEY when the stored CA key cannot be decrypted with it', async () => {
    const run = start('api/main.ts', { DATA_DIR: dataDir, API_PORT: '0', MASTER_KEY: `another-${SECRETS.MASTER_KEY}` });
    expect((await exitOf(run)).code).toBe(1);
    expect(lines(run.stderr)).toEqual(['[api] cannot start: cannot load the platform CA (decryptSecret: authentication failed (wrong master key or corrupted data)); MASTER_KEY must be the key the platform was set up with']);
  });

  it('gives up on an unreachable Temporal after the bounded wait with one line', async () => {
    const closed = await freePort();
    const run = start('api/main.ts', { DATA_DIR: dataDir, API_PORT: '0', TEMPORAL_ADDRESS: `127.0.0.1:${closed}`, TEMPORAL_CONNECT_TIMEOUT_SECONDS: '2' });
    const { code } = await exitOf(run, 90_000);
    expect(code).toBe(1);
    expect(lines(run.stderr)).toHaveLength(1);
    expect(run.stderr).toMatch(new RegExp(`^\\[api\\] cannot start: Temporal is unreachable at 127\\.0\\.0\\.1:${closed} after 2 s`));
  }, 120_000);

  it('never prints secrets, even when the configuration or the database is wrong', async () => {
    const closed = await freePort();
    const outputs: string[] = [];
    const envs: Record<string, string>[] = [
      { DATABASE_URL: `postgres://sealflow:${SECRETS.DB_PASSWORD}@db/sealflow` },
      { DATABASE_URL: `mysql://sealflow:${SECRETS.DB_PASSWORD}@127.0.0.1:${closed}/sealflow` },
      { DATABASE_URL: `mysql://sealflow:${encodeURIComponent(SECRETS.DB_PASSWORD + '@/')}@127.0.0.1:${closed}/sealflow` },
      { SMS_PROVIDER: 'http', SMS_HTTP_SECRET: SECRETS.SMS_HTTP_SECRET, SMS_HTTP_URL: 'not a url' },
      { APP_ENV: 'production', SMS_PROVIDER: 'outbox' },
    ];
    for (const env of envs) {
      const run = start('api/main.ts', { DATA_DIR: dataDir, API_PORT: '0', ...env });
      expect((await exitOf(run)).code).toBe(1);
      outputs.push(run.stdout + run.stderr);
    }
    const all = outputs.join('\n');
    expect(all).toContain('cannot open the database mysql://sealflow@127.0.0.1');
    for (const secret of [SECRETS.MASTER_KEY, SECRETS.SMS_HTTP_SECRET, SECRETS.DB_PASSWORD]) expect(all).not.toContain(secret);
  }, 120_000);
});

describe('graceful shutdown', () => {
  it('API: on SIGTERM stops accepting, finishes the request in flight, closes Temporal and the database, exits 0', async () => {
    const port = await freePort();
    const run = start('api/main.ts', { DATA_DIR: dataDir, API_PORT: String(port) });
    await run.waitFor(/\[api\] listening on 0\.0\.0\.0:\d+/);
    // The default database follows DATA_DIR.
    expect(fs.existsSync(path.join(dataDir, 'sealflow.sqlite'))).toBe(true);

    // A request in flight: headers and half of the body now, the rest after SIGTERM.
    const body = JSON.stringify({ mobile: '13800000009', password: 'Wrong@123456' });
    const socket = net.connect(port, '127.0.0.1');
    let answer = '';
    socket.on('data', (c) => (answer += c.toString()));
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write(`POST /api/auth/login HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, 12)}`);
    await new Promise((r) => setTimeout(r, 300));

    run.child.kill('SIGTERM');
    await run.waitFor(/\[api\] SIGTERM: stopping/);
    // No new connections are accepted any more (the listener closes within a moment of the log line).
    const connectRefused = () =>
      new Promise<boolean>((resolve) => {
        const probe = net.connect(port, '127.0.0.1');
        probe.once('connect', () => {
          probe.destroy();
          resolve(false);
        });
        probe.once('error', () => resolve(true));
      });
    let refused = false;
    for (let i = 0; i < 20 && !refused; i++) {
      refused = await connectRefused();
      if (!refused) await new Promise((r) => setTimeout(r, 100));
    }
    expect(refused).toBe(true);
    expect(run.child.exitCode).toBeNull();

    socket.write(body.slice(12));
    await closed; // the server answers, then closes the connection (it is shutting down)
    expect(answer).toMatch(/^HTTP\/1\.1 (401|400|423|429) /);
    expect(answer).toContain('"error"');
    const { code } = await exitOf(run);
    expect(code).toBe(0);
    expect(run.stdout).toContain('[api] stopped');
    expect(run.stdout + run.stderr).not.toContain(SECRETS.MASTER_KEY);
  }, 150_000);

  it('worker: on SIGTERM shuts the Temporal worker down, closes its connections and exits 0', async () => {
    const run = start('worker/main.ts', { DATA_DIR: dataDir });
    await run.waitFor(/\[worker\] polling task queue/, 120_000);
    run.child.kill('SIGTERM');
    const { code, signal } = await exitOf(run, 60_000);
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(run.stdout).toContain('[worker] stopped');
  }, 180_000);

  it('worker: an unreachable Temporal is one line and exit 1', async () => {
    const closed = await freePort();
    const run = start('worker/main.ts', { DATA_DIR: dataDir, TEMPORAL_ADDRESS: `127.0.0.1:${closed}`, TEMPORAL_CONNECT_TIMEOUT_SECONDS: '2' });
    expect((await exitOf(run, 90_000)).code).toBe(1);
    expect(lines(run.stderr)).toHaveLength(1);
    expect(run.stderr).toMatch(/^\[worker\] cannot start: Temporal is unreachable at 127\.0\.0\.1:\d+ after 2 s/);
  }, 120_000);
});
