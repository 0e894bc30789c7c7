import { Client } from '@temporalio/client';
import type { AppConfig } from '../config';
import { connectTemporal } from '../bootstrap/preflight';
import type { RunningService } from '../bootstrap/run-service';
import { createServices } from '../bootstrap/services';
import { closeDocumentWorkers } from '../documents';
import { createWorker } from './create-worker';
import { ensureSearchAttributes } from './search-attributes';

/** Starts the Temporal worker (database, search attributes, schedules, polling) for worker/main.ts. */
export async function startWorker(config: AppConfig): Promise<RunningService> {
  const services = await createServices(config);
  // One client connection for the start-up work: search attributes and the reconcile Schedule.
  const connection = await connectTemporal(config);
  let worker;
  try {
    await ensureSearchAttributes(connection, config.temporal.namespace);
    worker = await createWorker(services, { client: new Client({ connection, namespace: config.temporal.namespace }) });
  } finally {
    await connection.close();
  }
  const running = worker.run();
  console.log(`[worker] polling task queue "${config.temporal.taskQueue}" on ${config.temporal.address}`);
  return {
    ended: running,
    async stop() {
      // The Temporal runtime may already have begun the shutdown on the same signal.
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      await closeDocumentWorkers();
      await worker.connection?.close();
      await services.close();
    },
  };
}
