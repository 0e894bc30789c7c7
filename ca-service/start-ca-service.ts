import type { AppConfig } from '../config';
import { checkDataDir } from '../bootstrap/preflight';
import type { RunningService } from '../bootstrap/run-service';
import { reasonOf, StartupError } from '../bootstrap/startup-error';
import { closeGracefully, listen } from '../api/http/server-lifecycle';
import { createCaServiceApp } from './http/app';
import { caServiceDatabaseFile, openCaServiceOrm } from './persistence/orm';
import { createPlatformCa } from './platform-ca';

/** Starts the CA order service (DATA_DIR, its database, the platform CA, HTTP listener) for ca-service/main.ts. */
export async function startCaService(config: AppConfig): Promise<RunningService> {
  const { caService } = config;
  checkDataDir(caService.dataDir);
  const file = caServiceDatabaseFile(caService.dataDir);
  const orm = await openCaServiceOrm(file).catch((err: unknown) => {
    throw new StartupError(`cannot open the CA service database sqlite:${file} (${reasonOf(err)})`);
  });
  const platformCa = createPlatformCa(config);
  const app = createCaServiceApp({
    orm,
    platformCa,
    settings: {
      publicUrl: caService.publicUrl,
      apiKey: caService.apiKey,
      staffPassword: caService.staffPassword,
      priceFen: caService.priceFen,
      cookieSecure: config.cookieSecure,
      caName: config.caName,
      trustProxy: config.trustProxy,
    },
  });
  const { server, address } = await listen(app, caService.port).catch(async (err: unknown) => {
    await orm.close().catch(() => undefined);
    throw err;
  });
  console.log(`[ca-service] listening on ${address} (staff pages ${caService.publicUrl}/staff/)`);
  return {
    async stop() {
      const { cut } = await closeGracefully(server, config.shutdownGraceMs);
      if (cut) console.error(`[ca-service] requests still running after ${config.shutdownGraceMs / 1000} s were cut`);
      await platformCa.close();
      await orm.close();
    },
  };
}
