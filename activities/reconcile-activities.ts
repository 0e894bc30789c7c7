/**
 * Activities of the reconciler (workflows/contract-reconcile.ts, run by a Temporal Schedule):
 * adapters to domain/contracts/reconcile-contracts.ts, sweep-documents.ts and
 * domain/enterprises/reconcile-transfers.ts, domain/certificates/reconcile-certificate-orders.ts,
 * domain/enterprises/recertification/reconcile-recertifications.ts and
 * domain/identity/prune-expired.ts, with the
 * Temporal client as the view of which workflows exist.
 */
import type { EntityManager, MikroORM } from '@mikro-orm/core';
import { ContractSignerSchema } from '../domain/contracts/contract-signer.entity';
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import type { AppConfig } from '../config';
import { reconcileContracts, type ContractWorkflows, type ReconcileOptions, type ReconcileReport, type WorkflowState, DEFAULT_RECONCILE_OPTIONS } from '../domain/contracts/reconcile-contracts';
import { DEFAULT_ORDER_RECONCILE_OPTIONS, reconcileCertificateOrders, type CertificateOrderWorkflows, type OrderReconcileOptions, type OrderReconcileReport } from '../domain/certificates/reconcile-certificate-orders';
import { DEFAULT_ENDED_ORDER_SWEEP_OPTIONS, settleEndedOrdersAtCa, type EndedOrderSweepOptions, type EndedOrderSweepReport } from '../domain/certificates/settle-ended-orders-at-ca';
import type { CaOrderGateway } from '../integrations/ca-orders/ca-order-gateway';
import { DEFAULT_SWEEP_OPTIONS, sweepContractStorage, type SweepOptions, type SweepReport } from '../domain/contracts/sweep-documents';
import type { DocumentStore } from '../integrations/storage/document-store';
import type { PassCursor } from '../domain/persistence/pass-cursor';
import type { SmsSender } from '../integrations/sms';
import { DEFAULT_TRANSFER_RECONCILE_OPTIONS, reconcileTransfers, type TransferReconcileOptions, type TransferReconcileReport, type TransferWorkflows } from '../domain/enterprises/reconcile-transfers';
import { pruneExpiredIdentityRecords, type PruneReport } from '../domain/identity/prune-expired';
import { DEFAULT_BATCH_RECONCILE_OPTIONS, reconcileBatches, type BatchReconcileOptions, type BatchReconcileReport, type BatchWorkflows } from '../domain/contracts/batch/reconcile-batches';
import { pruneStaleCaptureSessions } from '../domain/signatures/signature-capture';
import { pruneCodeRecords, type CodeRecordsPruneReport } from '../domain/sms/prune-code-records';
import { forgetEndedOrderKeys } from '../domain/certificates/forget-ended-order-keys';
import { pruneTemplateGenerations } from '../domain/templates/prune-template-generations';
import { DEFAULT_RECERTIFICATION_RECONCILE_OPTIONS, reconcileRecertifications, type RecertificationReconcileOptions, type RecertificationReconcileReport, type RecertificationWorkflows } from '../domain/enterprises/recertification/reconcile-recertifications';

/** What the reconcile pass's housekeeping removed. */
export type HousekeepingReport = PruneReport & { captureLinks: number; templateGenerations?: { rows: number; files: number }; smsCodes?: CodeRecordsPruneReport; endedOrderKeys?: number };
import { adminTransferWorkflowId } from '../workflows/clients/admin-transfer-client';
import { certificateOrderWorkflowId, startCertificateOrderWorkflow } from '../workflows/clients/certificate-orders';
import { startContractWorkflow } from '../workflows/clients/start-contract-workflow';
import { startRecertificationWorkflow } from '../workflows/clients/start-recertification-workflow';
import { startBatchSignWorkflow } from '../workflows/clients/start-batch-sign-workflow';
import { batchSignWorkflowId } from '../workflows/batch-sign-api';
import { contractWorkflowId, recertificationWorkflowId } from '../workflows/search-attributes';
import { asActivityFailure } from './activity-errors';

export interface ReconcileActivityDeps {
  orm: MikroORM;
  store: DocumentStore;
  config: Pick<AppConfig, 'temporal' | 'publicUrl'>;
  sms(em: EntityManager): SmsSender;
  /** The CA, for the CA side of ended certificate orders (settle-ended-orders-at-ca.ts). */
  caOrders: CaOrderGateway;
}

/** The certificate orders step: open orders whose workflow is gone restarted, and the CA side of recently ended ones settled. */
export type CertificateOrdersStepReport = OrderReconcileReport & { atCa: EndedOrderSweepReport };

/** Whether the workflow with this id is running, closed, or unknown to Temporal. */
async function workflowState(client: Client, workflowId: string): Promise<WorkflowState> {
  try {
    return (await client.workflow.getHandle(workflowId).describe()).status.name === 'RUNNING' ? 'running' : 'closed';
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return 'missing';
    throw err;
  }
}

/** Terminates the workflow with this id (a stuck one); one that ended meanwhile is left as it is. */
async function terminateIfRunning(client: Client, workflowId: string, reason: string): Promise<void> {
  await client.workflow
    .getHandle(workflowId)
    .terminate(reason)
    .catch((err: unknown) => {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    });
}

/** Listed contract ids asked at once whether a newer run of their workflow id is running (one visibility query each). */
const RUNNING_CHECK_BATCH = 100;

/**
 * ContractWorkflows over a Temporal client: describe by id, and visibility for closed workflows still marked open. The
 * listing leaves out the runs whose workflow id runs again (an operator's Reset closes the old run while the contract goes
 * on in the new one): one visibility query per batch of listed ids, so a mass Reset costs a pass a few queries rather
 * than a describe per contract. Visibility may lag behind; the reconciler still asks `state` of each id it is given.
 */
export function temporalContractWorkflows(client: Client, taskQueue: string, em: () => EntityManager, lookbackMs = 24 * 3600_000): ContractWorkflows {
  /** The workflow ids among these contracts' that have a running execution (ids unfit for a query literal are not asked). */
  const runningAmong = async (ids: string[]): Promise<Set<string>> => {
    const asked = ids.map(contractWorkflowId).filter((workflowId) => /^[\w:.-]+$/.test(workflowId));
    const running = new Set<string>();
    if (asked.length === 0) return running;
    const query = `ExecutionStatus = 'Running' AND WorkflowId IN (${asked.map((workflowId) => `'${workflowId}'`).join(', ')})`;
    for await (const wf of client.workflow.list({ query, pageSize: asked.length })) running.add(wf.workflowId);
    return running;
  };
  return {
    state: (contractId) => workflowState(client, contractWorkflowId(contractId)),
    terminate: (contractId, reason) => terminateIfRunning(client, contractWorkflowId(contractId), reason),
    async *closedButOpen() {
      const since = new Date(Date.now() - lookbackMs).toISOString();
      const query = `WorkflowType IN ('contractSigningWorkflow', 'contractLifecycleWorkflow') AND ExecutionStatus != 'Running' AND CloseTime > '${since}' AND (ContractStatus = 'in_progress' OR ContractStatus = 'starting')`;
      let batch: string[] = [];
      async function* notRunning() {
        // Unanswered, every id is given (the reconciler's own `state` tells the runs that go on).
        const running = await runningAmong(batch).catch(() => new Set<string>());
        const closed = batch.filter((id) => !running.has(contractWorkflowId(id)));
        batch = [];
        yield* closed;
      }
      for await (const wf of client.workflow.list({ query, pageSize: 500 })) {
        const id = wf.searchAttributes?.ContractId?.[0];
        if (typeof id !== 'string') continue;
        batch.push(id);
        if (batch.length >= RUNNING_CHECK_BATCH) yield* notRunning();
      }
      if (batch.length > 0) yield* notRunning();
    },
    // v2 contracts start contractLifecycleWorkflow, routed (the reconciler's launch has no SMS sender, so the
    // workflow sends step 1's notice); a v1 contract (lifecycle 1, from before the upgrade) keeps its v1 workflow type.
    async start(contract, routing) {
      if (contract.lifecycle === 2) return startContractWorkflow(client, taskQueue, contract, { routing });
      const signers = await em().find(ContractSignerSchema, { contractId: contract.id }, { orderBy: { order: 'asc' } });
      return startContractWorkflow(client, taskQueue, contract, signers.map((s) => ({ signerId: s.id, userId: s.userId ?? '', order: s.order })));
    },
  };
}

/**
 * TransferWorkflows over a Temporal client. A transfer's workflow is `admin-transfer:<transferId>`;
 * transfers started before that id scheme ran as `admin-transfer:<enterpriseId>` (one running per
 * enterprise, so a running one there is this row's).
 */
export function temporalTransferWorkflows(client: Client): TransferWorkflows {
  const running = (workflowId: string) => workflowState(client, workflowId);
  const legacyId = (enterpriseId: string) => `admin-transfer:${enterpriseId}`;
  const liveId = async (t: { id: string; enterpriseId: string }) => {
    if ((await running(adminTransferWorkflowId(t.id))) === 'running') return adminTransferWorkflowId(t.id);
    if ((await running(legacyId(t.enterpriseId))) === 'running') return legacyId(t.enterpriseId);
    return null;
  };
  return {
    async state(t) {
      if (await liveId(t)) return 'running';
      return running(adminTransferWorkflowId(t.id));
    },
    async terminate(t, reason) {
      const id = await liveId(t);
      if (id) await client.workflow.getHandle(id).terminate(reason);
    },
  };
}

/** CertificateOrderWorkflows over a Temporal client: one workflow per order, `ca-order:<orderId>`. */
export function temporalCertificateOrderWorkflows(client: Client, taskQueue: string): CertificateOrderWorkflows {
  return {
    state: (orderId) => workflowState(client, certificateOrderWorkflowId(orderId)),
    start: (order) => startCertificateOrderWorkflow(client, taskQueue, order),
  };
}

/** RecertificationWorkflows over a Temporal client: one workflow per change, `recertification:<enterpriseId>:<seq>`. */
export function temporalRecertificationWorkflows(client: Client, taskQueue: string): RecertificationWorkflows {
  return {
    state: (change) => workflowState(client, recertificationWorkflowId(change.enterpriseId, change.seq)),
    start: (change) => startRecertificationWorkflow(client, taskQueue, change, { mode: 'reconciler' }),
    terminate: (change, reason) => terminateIfRunning(client, recertificationWorkflowId(change.enterpriseId, change.seq), reason),
    cancelRequested: async (change) => {
      const history = await client.workflow.getHandle(recertificationWorkflowId(change.enterpriseId, change.seq)).fetchHistory();
      return (history.events ?? []).some((e) => e.workflowExecutionCancelRequestedEventAttributes);
    },
  };
}

/** BatchWorkflows over a Temporal client: one workflow per batch, `batch-sign:<batchId>`. */
export function temporalBatchWorkflows(client: Client, taskQueue: string): BatchWorkflows {
  return {
    state: (batchId) => workflowState(client, batchSignWorkflowId(batchId)),
    terminate: (batchId, reason) => terminateIfRunning(client, batchSignWorkflowId(batchId), reason),
    async start(batch) {
      await startBatchSignWorkflow(client, taskQueue, batch, 30_000);
      return (await workflowState(client, batchSignWorkflowId(batch.id))) === 'running';
    },
  };
}

export function createReconcileActivities(deps: ReconcileActivityDeps) {
  // Where this worker's previous pass stopped, per reconciler of open rows (in memory: after a restart a pass starts from the oldest).
  const cursors: Record<'certificateOrders' | 'endedOrdersAtCa' | 'recertifications' | 'batches' | 'transfers', PassCursor> = {
    certificateOrders: { after: null },
    endedOrdersAtCa: { after: null },
    recertifications: { after: null },
    batches: { after: null },
    transfers: { after: null },
  };
  const withClient = async <T>(run: (client: Client) => Promise<T>): Promise<T> => {
    const connection = await Connection.connect({ address: deps.config.temporal.address });
    try {
      return await run(new Client({ connection, namespace: deps.config.temporal.namespace }));
    } finally {
      await connection.close();
    }
  };
  return {
    async reconcileContracts(options: Partial<ReconcileOptions> = {}): Promise<ReconcileReport> {
      return asActivityFailure(() =>
        withClient((client) => reconcileContracts(deps.orm.em.fork(), deps.store, temporalContractWorkflows(client, deps.config.temporal.taskQueue, () => deps.orm.em.fork()), { ...DEFAULT_RECONCILE_OPTIONS, ...options }, new Date(), { sms: deps.sms, publicUrl: deps.config.publicUrl })),
      );
    },
    async reconcileTransfers(options: Partial<TransferReconcileOptions> = {}): Promise<TransferReconcileReport> {
      return asActivityFailure(() => withClient((client) => reconcileTransfers(deps.orm.em.fork(), temporalTransferWorkflows(client), { ...DEFAULT_TRANSFER_RECONCILE_OPTIONS, ...options }, new Date(), cursors.transfers)));
    },
    async reconcileCertificateOrders(options: Partial<OrderReconcileOptions> & { atCa?: Partial<EndedOrderSweepOptions> } = {}): Promise<CertificateOrdersStepReport> {
      const { atCa, ...open } = options;
      return asActivityFailure(async () => ({
        ...(await withClient((client) => reconcileCertificateOrders(deps.orm.em.fork(), temporalCertificateOrderWorkflows(client, deps.config.temporal.taskQueue), { ...DEFAULT_ORDER_RECONCILE_OPTIONS, ...open }, new Date(), cursors.certificateOrders))),
        atCa: await settleEndedOrdersAtCa(deps.orm.em.fork(), deps.caOrders, { ...DEFAULT_ENDED_ORDER_SWEEP_OPTIONS, ...atCa }, new Date(), cursors.endedOrdersAtCa),
      }));
    },
    async reconcileRecertifications(options: Partial<RecertificationReconcileOptions> = {}): Promise<RecertificationReconcileReport> {
      return asActivityFailure(() =>
        withClient((client) => reconcileRecertifications(deps.orm.em.fork(), temporalRecertificationWorkflows(client, deps.config.temporal.taskQueue), { ...DEFAULT_RECERTIFICATION_RECONCILE_OPTIONS, ...options }, new Date(), cursors.recertifications)),
      );
    },
    async reconcileBatches(options: Partial<BatchReconcileOptions> = {}): Promise<BatchReconcileReport> {
      return asActivityFailure(() => withClient((client) => reconcileBatches(deps.orm.em.fork(), temporalBatchWorkflows(client, deps.config.temporal.taskQueue), { ...DEFAULT_BATCH_RECONCILE_OPTIONS, ...options }, new Date(), cursors.batches)));
    },
    async pruneExpiredRecords(): Promise<HousekeepingReport> {
      return asActivityFailure(async () => {
        const em = deps.orm.em.fork();
        return {
          ...(await pruneExpiredIdentityRecords(em)),
          captureLinks: await pruneStaleCaptureSessions(em),
          templateGenerations: await pruneTemplateGenerations(em, deps.store),
          smsCodes: await pruneCodeRecords(em),
          endedOrderKeys: await forgetEndedOrderKeys(em),
        };
      });
    },
    async sweepContractStorage(options: Partial<SweepOptions> = {}): Promise<SweepReport> {
      return asActivityFailure(() => sweepContractStorage(deps.orm.em.fork(), deps.store, { ...DEFAULT_SWEEP_OPTIONS, ...options }));
    },
  };
}

export type ReconcileActivities = ReturnType<typeof createReconcileActivities>;
