/**
 * ContractReconcileWorkflow: one pass of the reconciler, started by the `contract-reconcile`
 * Temporal Schedule (worker/reconcile-schedule.ts). Fixes contracts whose workflow is closed or
 * missing (e.g. terminated from Temporal UI, which runs no workflow code), finishes or removes
 * 创建中 rows left by a crash, ends 转让管理员 rows whose workflow is gone or stuck past its deadline,
 * sweeps orphan files, prunes expired sessions and stale attempt counters, and restarts the workflow of
 * open certificate orders whose workflow is gone (terminated or lost) and cancels at the CA what recently ended
 * orders left there (settle-ended-orders-at-ca.ts, in the same step), and restarts the workflow of open
 * enterprise re-certifications whose workflow is gone, and ends 批量签署 batches whose workflow is gone
 * (terminated) or starts one whose start was lost. Every step is idempotent.
 */
import { ActivityFailure, ApplicationFailure, isCancellation, patched, proxyActivities } from '@temporalio/workflow';
import type { ReconcileOptions, ReconcileReport } from '../domain/contracts/reconcile-contracts';
import type { SweepOptions, SweepReport } from '../domain/contracts/sweep-documents';
import type { OrderReconcileOptions } from '../domain/certificates/reconcile-certificate-orders';
import type { EndedOrderSweepOptions } from '../domain/certificates/settle-ended-orders-at-ca';
import type { TransferReconcileOptions, TransferReconcileReport } from '../domain/enterprises/reconcile-transfers';
import type { RecertificationReconcileOptions, RecertificationReconcileReport } from '../domain/enterprises/recertification/reconcile-recertifications';
import type { BatchReconcileOptions, BatchReconcileReport } from '../domain/contracts/batch/reconcile-batches';
import type { CertificateOrdersStepReport, HousekeepingReport, ReconcileActivities } from '../activities/reconcile-activities';

const activities = proxyActivities<ReconcileActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumAttempts: 3 },
});

export interface ReconcileInput {
  contracts?: Partial<ReconcileOptions>;
  storage?: Partial<SweepOptions>;
  transfers?: Partial<TransferReconcileOptions>;
  certificateOrders?: Partial<OrderReconcileOptions> & { atCa?: Partial<EndedOrderSweepOptions> };
  recertifications?: Partial<RecertificationReconcileOptions>;
  batches?: Partial<BatchReconcileOptions>;
}

export interface ReconcileResult {
  contracts: ReconcileReport;
  storage: SweepReport;
  transfers?: TransferReconcileReport;
  pruned?: HousekeepingReport;
  certificateOrders?: CertificateOrdersStepReport;
  recertifications?: RecertificationReconcileReport;
  batches?: BatchReconcileReport;
}

/**
 * Versioned change: one step that fails (after its retries) no longer stops the pass. Every step runs, and
 * the pass then fails naming the steps that did (so Temporal UI shows it); before, the first failure
 * ended the pass and the steps after it did not run at all until it stopped failing.
 */
export const RECONCILE_STEPS_ISOLATED_PATCH = 'reconcile-steps-isolated-1';

export async function contractReconcileWorkflow(input: ReconcileInput = {}): Promise<ReconcileResult> {
  const isolated = patched(RECONCILE_STEPS_ISOLATED_PATCH);
  const failures: string[] = [];
  const step = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
    if (!isolated) return run();
    try {
      return await run();
    } catch (err) {
      if (isCancellation(err)) throw err;
      failures.push(`${name}: ${err instanceof ActivityFailure && err.cause ? err.cause.message : String(err)}`);
      return undefined as T; // the pass fails at its end
    }
  };
  const finish = (result: ReconcileResult): ReconcileResult => {
    if (failures.length) throw ApplicationFailure.nonRetryable(`reconcile steps failed (the others ran): ${failures.join('; ')}`, 'ReconcileStepsFailed');
    return result;
  };
  const contracts = await step('contracts', () => activities.reconcileContracts(input.contracts ?? {}));
  const storage = await step('storage', () => activities.sweepContractStorage(input.storage ?? {}));
  // New steps: behind a patch like every command change (ARCHITECTURE.md, "Changing a running workflow").
  if (!patched('reconcile-transfers-and-prune-1')) return finish({ contracts, storage });
  const transfers = await step('transfers', () => activities.reconcileTransfers(input.transfers ?? {}));
  const pruned = await step('housekeeping', () => activities.pruneExpiredRecords());
  if (!patched('reconcile-certificate-orders-1')) return finish({ contracts, storage, transfers, pruned });
  const certificateOrders = await step('certificateOrders', () => activities.reconcileCertificateOrders(input.certificateOrders ?? {}));
  if (!patched('reconcile-recertifications-1')) return finish({ contracts, storage, transfers, pruned, certificateOrders });
  const recertifications = await step('recertifications', () => activities.reconcileRecertifications(input.recertifications ?? {}));
  if (!patched('reconcile-batches-1')) return finish({ contracts, storage, transfers, pruned, certificateOrders, recertifications });
  const batches = await step('batches', () => activities.reconcileBatches(input.batches ?? {}));
  return finish({ contracts, storage, transfers, pruned, certificateOrders, recertifications, batches });
}
