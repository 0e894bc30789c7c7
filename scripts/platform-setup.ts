/**
 * One-off set-up before the API and worker replicas start (docker compose `migrate` service):
 * migrations, CA, legacy key re-encryption, first operator. Exits 0, or 1 with one line.
 */
import { loadConfig } from '../config';
import { runTask } from '../bootstrap/run-service';
import { setUpPlatform } from '../bootstrap/set-up';

await runTask('setup', async () => {
  const services = await setUpPlatform(loadConfig());
  await services.close();
  console.log('[setup] done');
});
