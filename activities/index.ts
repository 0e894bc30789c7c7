import { createContractActivities, type ContractActivityDeps } from './contract-activities';

export type ActivityDeps = ContractActivityDeps;

/** Every activity the worker registers, built from real dependencies (tests pass their own). */
export function createActivities(deps: ActivityDeps) {
  return { ...createContractActivities(deps) };
}
