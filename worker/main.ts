import { loadConfig } from '../config';
import { runService } from '../bootstrap/run-service';

/**
 * The worker process. Start-up failures are one line and exit 1 (Temporal unreachable after
 * TEMPORAL_CONNECT_TIMEOUT_SECONDS, database, DATA_DIR). SIGTERM/SIGINT: worker.shutdown() lets
 * running activities finish, then the Temporal connection and the database are closed, exit 0.
 *
 * As in the API, the configuration is read before the rest is loaded (start-worker.ts): a bad one is
 * reported at once.
 */
await runService('worker', async () => {
  const config = loadConfig();
  const { startWorker } = await import('./start-worker');
  return startWorker(config);
});
