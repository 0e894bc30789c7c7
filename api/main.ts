import { loadConfig } from '../config';
import { runService } from '../bootstrap/run-service';

/**
 * The API process. Start-up checks configuration, DATA_DIR, the database and Temporal, and only
 * then listens; any failure is one line and exit 1. SIGTERM/SIGINT: stop accepting, let requests
 * in flight finish (SHUTDOWN_GRACE_SECONDS), stop the PDF threads, close Temporal and the database,
 * exit 0.
 *
 * The configuration is read before the rest of the app is loaded (start-api.ts): a bad one is
 * reported in 0.5 s (loading the database, Temporal and PDF modules first took 3 s).
 */
await runService('api', async () => {
  const config = loadConfig();
  const { startApi } = await import('./start-api');
  return startApi(config);
});
