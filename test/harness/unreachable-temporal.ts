/**
 * The platform's HTTP app on the same services and database, bound to a Temporal that never answers
 * (nothing listens on port 1): what users get while Temporal is down. Its Temporal calls give up after
 * `callTimeoutMs` (1 s by default; the platform's own is 5 s). The tests that use it check the 503, its
 * Retry-After and what is left behind; how long the bound is comes from the configuration (config tests).
 */
import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { createApp } from '../../api/app';
import type { Services } from '../../bootstrap/services';

export interface ApiWithoutTemporal {
  baseUrl: string;
  close(): Promise<void>;
}

export async function startApiWithoutTemporal(services: Services, callTimeoutMs = 1_000): Promise<ApiWithoutTemporal> {
  const temporal = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }), namespace: 'default' });
  const config = { ...services.config, contracts: { ...services.config.contracts, callTimeoutMs } };
  const server = createApp({ services: { ...services, config }, temporal }).listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
