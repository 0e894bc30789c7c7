import { Client } from '@temporalio/client';
import type { AppConfig } from '../config';
import { connectTemporal } from './preflight';

/** A Temporal client; fails with one clear StartupError after a bounded wait if Temporal is unreachable. */
export async function connectTemporalClient(config: AppConfig): Promise<Client> {
  const connection = await connectTemporal(config);
  return new Client({ connection, namespace: config.temporal.namespace });
}
