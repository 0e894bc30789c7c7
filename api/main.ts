import path from 'node:path';
import { loadConfig } from '../config';
import { createServices } from '../bootstrap/services';
import { connectTemporalClient } from '../bootstrap/temporal';
import { createApp } from './app';

const config = loadConfig();
const services = await createServices(config);
const temporal = await connectTemporalClient(config);
const app = createApp({ services, temporal }, { uiDir: path.resolve('dist') });
app.listen(config.apiPort, () => console.log(`[api] listening on ${config.publicUrl}`));
