import { loadConfig } from '../config';
import { createServices } from '../bootstrap/services';
import { connectTemporalClient } from '../bootstrap/temporal';
import { seedDemoData } from '../templates/demo/demo-data';

const config = loadConfig();
const services = await createServices(config);
const temporal = await connectTemporalClient(config);
const { created } = await seedDemoData(services, temporal);
console.log(created.length ? `[seed] created ${created.join(', ')}` : '[seed] demo data already present');
await temporal.connection.close();
await services.close();
