/**
 * Starts the whole platform on the embedded default: Temporal dev server (SQLite file, Web UI),
 * migrations + demo data, the CA order service (its own process and port), the worker and the API
 * (serving both UIs). Ctrl-C stops everything.
 * Data lives in DATA_DIR (.data/), so a second start keeps it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config';
import { demoUsersFor } from '../templates/demo/demo-data';
import { firstOperatorPasswordFile } from '../bootstrap/first-operator';
import { canConnect, startTemporalDevServer, type DevServer } from './lib/temporal-dev-server';

// A .env file (see .env.example) configures the platform when present; children inherit it.
if (fs.existsSync('.env')) process.loadEnvFile('.env');
const config = (() => {
  try {
    return loadConfig();
  } catch (err) {
    // One line, like the API and the worker (ConfigError messages never contain secrets).
    console.error(`[dev] cannot start: ${(err as Error).message}`);
    process.exit(1);
  }
})();
const temporalBin = process.env.TEMPORAL_BIN ?? 'temporal';
const [host, portText] = config.temporal.address.split(':');
const temporalPort = Number(portText ?? 7233);
const uiPort = Number(new URL(config.temporal.uiUrl).port || 8233);
const children: ChildProcess[] = [];
let temporal: DevServer | null = null;
let stopping = false;

async function main() {
  fs.mkdirSync(config.dataDir, { recursive: true });
  if (await canConnect(temporalPort, host)) {
    console.log(`[dev] using the Temporal server already on ${config.temporal.address}`);
  } else {
    console.log('[dev] starting Temporal dev server …');
    temporal = await startTemporalDevServer({ bin: temporalBin, port: temporalPort, uiPort, dbFile: path.join(config.dataDir, 'temporal.sqlite') });
  }
  await run('seed', 'scripts/seed.ts');
  // The CA order service first: the worker's certificate orders call it.
  children.push(launch('ca-service', 'ca-service/main.ts'));
  children.push(launch('worker', 'worker/main.ts'));
  children.push(launch('api', 'api/main.ts'));
  while (!(await canConnect(config.apiPort, '127.0.0.1')) || !(await canConnect(config.caService.port, '127.0.0.1'))) await new Promise((r) => setTimeout(r, 300));
  // The development default staff password is shown here only; a configured one is never printed.
  const staffLogin = config.caService.staffPasswordIsDefault ? `password ${config.caService.staffPassword}` : 'password: CA_SERVICE_STAFF_PASSWORD';
  console.log(`
SealFlow is running.
  Portal (signers)        ${config.publicUrl}/
  Admin console           ${config.publicUrl}/admin/
  Temporal Web UI         ${config.temporal.uiUrl}
  API                     ${config.publicUrl}/api
  CA staff pages (CA)     ${config.caService.publicUrl}/staff/   (${staffLogin})
Demo logins (mobile / password):
${demoUsersFor(config.appEnv).map((u) => `  ${u.name.padEnd(6, '　')} ${u.mobile} / ${u.password}${u.platformRole ? '   (admin console)' : ''}`).join('\n')}${config.appEnv === 'development' ? '' : `\n  Platform operator: ${config.operator.mobile ?? 'OPERATOR_MOBILE'} (password: OPERATOR_PASSWORD, or generated into ${firstOperatorPasswordFile(config.dataDir)})`}
SMS codes go to the outbox: admin console → 短信发件箱.
Press Ctrl-C to stop.`);
}

/**
 * libuv's thread pool of each process (read once, when the process starts: it cannot be set from inside). Node's
 * default of 4 is shared by fs, crypto, argon2 (logins), sharp and resvg (seal drawings): a few seal drawings
 * took all of it. The Dockerfile (the image docker-compose.yml runs) sets the same.
 */
const childEnv = { ...process.env, UV_THREADPOOL_SIZE: process.env.UV_THREADPOOL_SIZE || '8' };

/** Runs a TypeScript entry point in its own Node process (tsx loader), so signals reach it directly. */
const node = (script: string) => spawn(process.execPath, ['--import', 'tsx', script], { stdio: 'inherit', env: childEnv });

function launch(name: string, script: string): ChildProcess {
  const child = node(script);
  child.on('exit', (code) => {
    if (!stopping) {
      console.error(`[dev] ${name} exited with code ${code}; stopping`);
      void shutdown(1);
    }
  });
  return child;
}

function run(name: string, script: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = node(script);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${name} failed with code ${code}`))));
  });
}

async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  console.log('\n[dev] stopping …');
  await Promise.all(
    children.map((c) => new Promise<void>((resolve) => {
      if (c.exitCode !== null) return resolve();
      c.once('exit', () => resolve());
      c.kill('SIGTERM');
    })),
  );
  await temporal?.stop();
  process.exit(code);
}

process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
main().catch((err) => {
  console.error('[dev]', err);
  void shutdown(1);
});
