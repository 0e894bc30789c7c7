import { NativeConnection, Worker, type Runtime } from '@temporalio/worker';
import { createActivities } from '../activities';
import type { Services } from '../bootstrap/services';

export interface WorkerOptions {
  /** Prebuilt workflow bundle (tests share one); otherwise workflows/index.ts is bundled. */
  workflowBundle?: { code: string };
  runtime?: Runtime;
}

/** Builds a Worker on the task queue with the real activities. */
export async function createWorker(services: Services, options: WorkerOptions = {}): Promise<Worker> {
  const { config } = services;
  const connection = await NativeConnection.connect({ address: config.temporal.address });
  return Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath: new URL('../workflows/index.ts', import.meta.url).pathname }),
    activities: createActivities({ orm: services.orm, store: services.store, ca: services.ca, masterKey: config.masterKey, config }),
  });
}
