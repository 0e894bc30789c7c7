/**
 * Starts the real platform inside a test process: services on the run's database, a worker on
 * its own task queue against the real Temporal dev server, and the HTTP app on a free port.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { Worker } from '@temporalio/worker';
import { inject } from 'vitest';
import { TEST_MASTER_KEY } from './ca-service-process';
import { quietRuntime } from './quiet-runtime';
import { loadConfig, type AppConfig } from '../../config';
import { createApp } from '../../api/app';
import { configureConnectionTimeouts } from '../../api/http/server-lifecycle';
import { createServices, type Services } from '../../bootstrap/services';
import { createWorker, type WorkerOptions } from '../../worker/create-worker';

export interface TestPlatform {
  config: AppConfig;
  services: Services;
  temporal: Client;
  worker: Worker;
  baseUrl: string;
  stop(): Promise<void>;
}

/**
 * The platform shared by the integration files of this test process that need no overrides. The
 * integration project runs all of a lane's files in one process (isolate: false); starting a platform
 * costs about a second of CPU (mostly the worker's workflow threads), and most files need nothing of their
 * own: 249 → 227 s for the SQLite lane alone. Its stop() leaves it running for the next file; it ends with
 * the process (vitest ends its worker processes, then global-setup's teardown stops the Temporal server and
 * drops the database). The e2e files keep their own: in a CI run with it shared there, the time between
 * files did not shrink and the files ran 10 % slower (perhaps earlier files' workflows running on).
 */
let shared: Promise<TestPlatform> | undefined;

/**
 * The real platform for a test file. Without arguments in the integration project: the process's shared
 * one. `overrides` (config variables) or `worker.overrideActivities` (e.g. a slow signature) start one of
 * the file's own.
 */
export async function startTestPlatform(overrides: Record<string, string> = {}, worker: Pick<WorkerOptions, 'overrideActivities'> = {}): Promise<TestPlatform> {
  if (!inject('sharePlatform') || Object.keys(overrides).length > 0 || worker.overrideActivities) return startPlatform(overrides, worker);
  shared ??= startPlatform({}, {}).then((platform) => ({ ...platform, stop: async () => {} }));
  // A failed start is not cached: the next file tries again.
  return shared.catch((err: unknown) => {
    shared = undefined;
    throw err;
  });
}

async function startPlatform(overrides: Record<string, string>, worker: Pick<WorkerOptions, 'overrideActivities'>): Promise<TestPlatform> {
  const config = loadConfig({
    DATABASE_URL: inject('databaseUrl'),
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TEMPORAL_TASK_QUEUE: `test-${randomUUID()}`,
    DATA_DIR: path.join(inject('runDir'), 'data'),
    MASTER_KEY: TEST_MASTER_KEY,
    API_PORT: '0',
    // The run's CA order service (started by global-setup on the same database and MASTER_KEY).
    CA_ORDER_SERVICE_URL: inject('caServiceUrl'),
    CA_SERVICE_API_KEY: inject('caServiceApiKey'),
    // A stalled wait for a database connection names who held it (the warning goes to the test's output).
    DB_POOL_TRACE: 'true',
    ...overrides,
  });
  quietRuntime();
  const services = await createServices(config);
  const connection = await Connection.connect({ address: config.temporal.address });
  const temporal = new Client({ connection, namespace: config.temporal.namespace });
  const created = await createWorker(services, { workflowBundle: { code: inject('workflowBundleCode') }, ...worker });
  const running = created.run();
  const app = createApp({ services, temporal }, { uiDir: path.resolve('dist') });
  // The connection timeouts of the platform's own server (start-api.ts).
  const server = configureConnectionTimeouts(app.listen(0, '127.0.0.1'), config.maxUploadBytes);
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    config,
    services,
    temporal,
    worker: created,
    baseUrl: `http://127.0.0.1:${port}`,
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      created.shutdown();
      await running;
      await connection.close();
      await services.close();
    },
  };
}
