/** What `startContract` (domain/contracts/start-contract.ts) needs, wired as the API wires it, for tests that start contracts without HTTP. */
import type { Client } from '@temporalio/client';
import type { Services } from '../../bootstrap/services';
import type { AppConfig } from '../../config';
import type { StartContractDeps } from '../../domain/contracts/start-contract';
import { createSmsSender } from '../../integrations/sms';
import { startContractWorkflow, type StartContractWorkflowOptions } from '../../workflows/clients/start-contract-workflow';

export function startContractDeps(
  services: Services,
  config: AppConfig,
  client: Client,
  options: { minTtlMs?: number; workflow?: StartContractWorkflowOptions } = {},
): StartContractDeps {
  return {
    em: services.orm.em.fork(),
    store: services.store,
    limits: { maxBytes: config.maxUploadBytes, maxPages: config.maxPages },
    sms: (em) => createSmsSender(config, em),
    publicUrl: config.publicUrl,
    ...(options.minTtlMs !== undefined ? { minTtlMs: options.minTtlMs } : {}),
    startWorkflow: (c, routing) => startContractWorkflow(client, config.temporal.taskQueue, c, { ...options.workflow, routing }),
  };
}
