import { loadConfig } from '../config';
import { runTask } from '../bootstrap/run-service';
import { setUpPlatform } from '../bootstrap/set-up';
import { connectTemporalClient } from '../bootstrap/temporal';
import { seedDemoData } from '../templates/demo/demo-data';

/** Set-up plus demo data (npm start runs it before the worker and the API). */
await runTask('seed', async () => {
  const config = loadConfig();
  const services = await setUpPlatform(config, { firstOperator: false });
  try {
    const temporal = await connectTemporalClient(config);
    const { created } = await seedDemoData(services, temporal);
    console.log(created.length ? `[seed] created ${created.join(', ')}` : '[seed] demo data already present');
    await temporal.connection.close();
  } finally {
    await services.close();
  }
});
