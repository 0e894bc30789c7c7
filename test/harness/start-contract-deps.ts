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

/**
 * The start as an API process that stops right after its workflow started: `deps.startWorkflow` starts it,
 * records the contract id, then waits until `release()` (the row stays 创建中 meanwhile).
 */
export function stalledAfterWorkflowStart(deps: StartContractDeps) {
  let release: () => void = () => undefined;
  const released = new Promise<void>((r) => (release = r));
  const stalled = { contractId: '', release: () => release(), deps: { ...deps } };
  stalled.deps.startWorkflow = async (c, routing) => {
    stalled.contractId = c.id;
    await deps.startWorkflow(c, routing);
    await released;
  };
  return stalled;
}
