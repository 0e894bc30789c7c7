import { ConfigError, loadConfig, productionStaffPasswordMessage } from '../config';
import { runService } from '../bootstrap/run-service';
import { reasonOf, StartupError } from '../bootstrap/startup-error';

/**
 * The CA order service: a stand-in for a commercial CA vendor, in its own process with its own
 * database (<DATA_DIR>/ca-service/orders.sqlite) and port (CA_SERVICE_PORT). It issues with the
 * platform CA, which it loads from the platform database (DATABASE_URL + MASTER_KEY) at the first
 * issuance. Start-up failures print one line and exit 1; SIGTERM/SIGINT finish requests in flight
 * (SHUTDOWN_GRACE_SECONDS), close both databases and exit 0. As in the API, the configuration is read
 * before the rest is loaded: a bad one is reported at once.
 */
await runService('ca-service', async () => {
  const config = loadConfig();
  const { caService } = config;
  if (!caService.staffPassword) throw new ConfigError(productionStaffPasswordMessage);
  const [{ checkDataDir }, { closeGracefully, listen }, { createCaServiceApp }, { caServiceDatabaseFile, openCaServiceOrm }, { createPlatformCa }] = await Promise.all([
    import('../bootstrap/preflight'),
    import('../api/http/server-lifecycle'),
    import('./http/app'),
    import('./persistence/orm'),
    import('./platform-ca'),
  ]);
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
});
