import type { EntityManager } from '@mikro-orm/core';
import type { AppConfig } from '../config';
import { createSmsSender } from '../integrations/sms';
import { createAdminTransferActivities } from './admin-transfer-activities';
import { createContractActivities, type ContractActivityDeps } from './contract-activities';

export type ActivityDeps = ContractActivityDeps & { config: Pick<AppConfig, 'smsProvider'> };

/** Every activity the worker registers, built from real dependencies (tests pass their own). */
export function createActivities(deps: ActivityDeps) {
  const sms = (em: EntityManager) => createSmsSender(deps.config, em);
  return { ...createContractActivities(deps), ...createAdminTransferActivities({ orm: deps.orm, sms }) };
}
