import { loadConfig } from '../config';
import { runService } from '../bootstrap/run-service';

/**
 * The worker process. Start-up failures are one line and exit 1 (Temporal unreachable after
 * TEMPORAL_CONNECT_TIMEOUT_SECONDS, database, DATA_DIR). SIGTERM/SIGINT: worker.shutdown() lets
 * running activities finish, then the Temporal connection and the database are closed, exit 0.
 *
 * As in the API, the configuration is read before the rest is loaded: a bad one is reported at once.
 */
await runService('worker', async () => {
  const config = loadConfig();
  const [{ Client }, { connectTemporal }, { createServices }, { closeDocumentWorkers }, { createWorker }, { ensureSearchAttributes }] = await Promise.all([
    import('@temporalio/client'),
    import('../bootstrap/preflight'),
    import('../bootstrap/services'),
    import('../documents'),
    import('./create-worker'),
    import('./search-attributes'),
  ]);
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
});
