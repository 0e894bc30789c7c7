import { ConfigError, loadConfig, productionStaffPasswordMessage } from '../config';
import { runService } from '../bootstrap/run-service';

/**
 * The CA order service: a stand-in for a commercial CA vendor, in its own process with its own
 * database (<DATA_DIR>/ca-service/orders.sqlite) and port (CA_SERVICE_PORT). It issues with the
 * platform CA, which it loads from the platform database (DATABASE_URL + MASTER_KEY) at the first
 * issuance. Start-up failures print one line and exit 1; SIGTERM/SIGINT finish requests in flight
 * (SHUTDOWN_GRACE_SECONDS), close both databases and exit 0. As in the API, the configuration is read
 * before the rest is loaded (start-ca-service.ts): a bad one is reported at once.
 */
await runService('ca-service', async () => {
  const config = loadConfig();
  if (!config.caService.staffPassword) throw new ConfigError(productionStaffPasswordMessage);
  const { startCaService } = await import('./start-ca-service');
  return startCaService(config);
});
