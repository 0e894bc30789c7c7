import path from 'node:path';
import { loadConfig } from '../config';
import { createServices } from '../bootstrap/services';
import { ensureFirstOperator } from '../bootstrap/first-operator';
import { connectTemporalClient } from '../bootstrap/temporal';
import { createApp } from './app';

const config = loadConfig();
const services = await createServices(config);
await ensureFirstOperator(services.orm.em.fork(), config);
const temporal = await connectTemporalClient(config);
const app = createApp({ services, temporal }, { uiDir: path.resolve('dist') });
app.listen(config.apiPort, () => console.log(`[api] listening on ${config.publicUrl}`));
