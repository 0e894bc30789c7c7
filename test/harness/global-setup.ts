/**
 * Vitest globalSetup for the integration and e2e suites: one real Temporal dev server
 * (in-memory, headless) and one fresh database per run, chosen by TEST_DATABASE_URL
 * (`mysql://…` for MariaDB, `sqlite` for the embedded default). Stopped at teardown.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import type { TestProject } from 'vitest/node';
import { startTemporalDevServer, type DevServer, temporalBin } from '../../scripts/lib/temporal-dev-server';
import { startCaServiceProcess, type CaServiceProcess } from './ca-service-process';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    databaseUrl: string;
    workflowBundleCode: string;
    runDir: string;
    /** The CA order service (ca-service/main.ts) started once per run on the run's database. */
    caServiceUrl: string;
    caServiceApiKey: string;
    caServiceStaffPassword: string;
    /** Files without overrides share one platform per test process (integration only: test/harness/platform.ts). */
    sharePlatform: boolean;
  }
}

let server: DevServer | undefined;
let dropDatabase: (() => void) | undefined;
let caService: CaServiceProcess | undefined;


function prepareDatabase(runDir: string): string {
  const wanted = process.env.TEST_DATABASE_URL ?? 'sqlite';
  if (wanted === 'sqlite') return `sqlite:${path.join(runDir, 'app.sqlite')}`;
  const url = new URL(wanted);
  const name = `sealflow_test_${process.pid}_${Date.now()}`;
  const admin = (sql: string) => execFileSync('mariadb', ['-h', url.hostname, '-P', url.port || '3306', '-u', decodeURIComponent(url.username), `-p${decodeURIComponent(url.password)}`, '-e', sql]);
  admin(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  dropDatabase = () => admin(`DROP DATABASE IF EXISTS \`${name}\``);
  url.pathname = `/${name}`;
  return url.toString();
}

export default async function setup(project: TestProject) {
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sealflow-test-'));
  const databaseUrl = prepareDatabase(runDir);
  const starting = [
    startTemporalDevServer({ bin: temporalBin() }),
    bundleWorkflowCode({ workflowsPath: path.resolve('workflows/index.ts'), logger: { info() {}, warn() {}, error: console.error, debug() {}, trace() {}, log() {} } }),
    startCaServiceProcess({ databaseUrl, dataDir: path.join(runDir, 'ca-service-data') }),
  ] as const;
  const [started, bundle, ca] = await Promise.all(starting).catch(async (err: unknown) => {
    // Whatever did start must not outlive a failed set-up.
    const settled = await Promise.allSettled(starting);
    if (settled[0].status === 'fulfilled') await settled[0].value.stop();
    if (settled[2].status === 'fulfilled') await settled[2].value.stop();
    dropDatabase?.();
    throw err;
  });
  server = started;
  caService = ca;
  project.provide('temporalAddress', server.address);
  project.provide('databaseUrl', databaseUrl);
  project.provide('caServiceUrl', ca.url);
  project.provide('caServiceApiKey', ca.apiKey);
  project.provide('caServiceStaffPassword', ca.staffPassword);
  project.provide('workflowBundleCode', bundle.code);
  project.provide('runDir', runDir);
  project.provide('sharePlatform', project.name === 'integration');
  return async () => {
    await caService?.stop();
    await server?.stop();
    dropDatabase?.();
    fs.rmSync(runDir, { recursive: true, force: true });
  };
}
