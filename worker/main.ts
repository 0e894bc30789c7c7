import { Connection } from '@temporalio/client';
import { loadConfig } from '../config';
import { createServices } from '../bootstrap/services';
import { createWorker } from './create-worker';
import { ensureSearchAttributes } from './search-attributes';

const config = loadConfig();
const services = await createServices(config);
const connection = await Connection.connect({ address: config.temporal.address });
await ensureSearchAttributes(connection, config.temporal.namespace);
await connection.close();
const worker = await createWorker(services);
console.log(`[worker] polling task queue "${config.temporal.taskQueue}" on ${config.temporal.address}`);
await worker.run();
await services.close();
