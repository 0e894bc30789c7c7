/**
 * ContractReconcileWorkflow: one pass of the reconciler, started by the `contract-reconcile`
 * Temporal Schedule (worker/reconcile-schedule.ts). Fixes contracts whose workflow is closed or
 * missing (e.g. terminated from Temporal UI, which runs no workflow code), finishes or removes
 * 创建中 rows left by a crash, and sweeps orphan files. Every step is idempotent.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { ReconcileActivities } from '../activities/reconcile-activities';
import type { ReconcileOptions, ReconcileReport } from '../domain/contracts/reconcile-contracts';
import type { SweepOptions, SweepReport } from '../domain/contracts/sweep-documents';

const activities = proxyActivities<ReconcileActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumAttempts: 3 },
});

export interface ReconcileInput {
  contracts?: Partial<ReconcileOptions>;
  storage?: Partial<SweepOptions>;
}

export async function contractReconcileWorkflow(input: ReconcileInput = {}): Promise<{ contracts: ReconcileReport; storage: SweepReport }> {
  const contracts = await activities.reconcileContracts(input.contracts ?? {});
  const storage = await activities.sweepContractStorage(input.storage ?? {});
  return { contracts, storage };
}
