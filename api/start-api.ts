import path from 'node:path';
import type { AppConfig } from '../config';
import { ensureFirstOperator } from '../bootstrap/first-operator';
import type { RunningService } from '../bootstrap/run-service';
import { createServices } from '../bootstrap/services';
import { connectTemporalClient } from '../bootstrap/temporal';
import { closeDocumentWorkers } from '../documents';
import { createApp } from './app';
import { closeGracefully, listen } from './http/server-lifecycle';

/** Starts the API (database, first operator, Temporal client, HTTP listener) for api/main.ts. */
export async function startApi(config: AppConfig): Promise<RunningService> {
  const services = await createServices(config);
  await ensureFirstOperator(services.orm.em.fork(), config);
  const temporal = await connectTemporalClient(config);
  const app = createApp({ services, temporal }, { uiDir: path.resolve('dist') });
  const { server, address } = await listen(app, config.apiPort, undefined, config.maxUploadBytes);
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
}
