import path from 'node:path';
import { loadConfig } from '../config';
import { runService } from '../bootstrap/run-service';

/**
 * The API process. Start-up checks configuration, DATA_DIR, the database and Temporal, and only
 * then listens; any failure is one line and exit 1. SIGTERM/SIGINT: stop accepting, let requests
 * in flight finish (SHUTDOWN_GRACE_SECONDS), stop the PDF threads, close Temporal and the database,
 * exit 0.
 *
 * The configuration is read before the rest of the app is loaded: a bad one is reported in well under
 * a second (loading the database, Temporal and PDF modules first took 3 s).
 */
await runService('api', async () => {
  const config = loadConfig();
  const [{ ensureFirstOperator }, { createServices }, { connectTemporalClient }, { closeDocumentWorkers }, { createApp }, { closeGracefully, listen }] = await Promise.all([
    import('../bootstrap/first-operator'),
    import('../bootstrap/services'),
    import('../bootstrap/temporal'),
    import('../documents'),
    import('./app'),
    import('./http/server-lifecycle'),
  ]);
  const services = await createServices(config);
  await ensureFirstOperator(services.orm.em.fork(), config);
  const temporal = await connectTemporalClient(config);
  const app = createApp({ services, temporal }, { uiDir: path.resolve('dist') });
  const { server, address } = await listen(app, config.apiPort);
  console.log(`[api] listening on ${address} (${config.publicUrl})`);
  return {
    async stop() {
      const { cut } = await closeGracefully(server, config.shutdownGraceMs);
      if (cut) console.error(`[api] requests still running after ${config.shutdownGraceMs / 1000} s were cut`);
      await closeDocumentWorkers();
      await temporal.connection.close();
      await services.close();
    },
  };
});
