import { loadConfig } from '../config';
import { runTask } from '../bootstrap/run-service';
import { setUpPlatform } from '../bootstrap/set-up';
import { connectTemporalClient } from '../bootstrap/temporal';
import { seedDemoData } from '../templates/demo/demo-data';

/**
 * Set-up plus demo data (npm start runs it before the worker and the API). Production gets the set-up and its first
 * operator only; a demonstration its first operator with a generated password (demo-data.ts `demoUsersFor`).
 */
await runTask('seed', async () => {
  const config = loadConfig();
  const services = await setUpPlatform(config, { firstOperator: config.appEnv !== 'development' });
  if (config.appEnv === 'production') {
    console.log('[seed] production: no demo data');
    await services.close();
    return;
  }
  try {
    const temporal = await connectTemporalClient(config);
    const { created } = await seedDemoData(services, temporal);
    console.log(created.length ? `[seed] created ${created.join(', ')}` : '[seed] demo data already present');
    await temporal.connection.close();
  } finally {
    await services.close();
  }
});
