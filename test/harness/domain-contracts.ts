/** Starting a v2 contract straight through the domain (test set-up; the API would insist on a 10-minute lifetime). */
import { startContract, startContractSpecSchema } from '../../domain/contracts/start-contract';
import type { User } from '../../domain/identity/user.entity';
import { createSmsSender } from '../../integrations/sms';
import { startContractWorkflow } from '../../workflows/clients/start-contract-workflow';
import type { TestPlatform } from './platform';

export async function startContractThroughDomain(platform: TestPlatform, initiator: Pick<User, 'id' | 'name'>, spec: unknown, pdf: Uint8Array) {
  const { config, services } = platform;
  return startContract(
    {
      em: services.orm.em.fork(),
      store: services.store,
      limits: { maxBytes: config.maxUploadBytes, maxPages: config.maxPages },
      sms: (e) => createSmsSender(config, e),
      publicUrl: config.publicUrl,
      minTtlMs: 0,
      startWorkflow: (c, routing) => startContractWorkflow(platform.temporal, config.temporal.taskQueue, c, { timeoutMs: 10_000, routing }),
    },
    { id: initiator.id, name: initiator.name, ip: null },
    startContractSpecSchema.parse(spec),
    pdf,
  );
}
