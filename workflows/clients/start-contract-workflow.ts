import type { Client } from '@temporalio/client';
import type { Contract } from '../../domain/contracts/contract.entity';
import { CONTRACT_WORKFLOW_TASK_TIMEOUT_MS, type SigningTiming } from '../../domain/contracts/signing-timing';
import { contractLifecycleWorkflow, type StartRouting } from '../contract-lifecycle';
import { contractSigningWorkflow } from '../contract-signing';
import { contractWorkflowId, SA_CONTRACT_ID, SA_CONTRACT_STATUS, SA_ENTERPRISE_ID, SA_INITIATOR_ID } from '../search-attributes';

export interface StartContractWorkflowOptions {
  /** Give up after this long (Temporal unreachable answers 503 within seconds, not after gRPC's retries). */
  timeoutMs?: number;
  timing?: Partial<SigningTiming>;
  /** v2: the routing as the start wrote it; the workflow then runs no activation of its own. */
  routing?: StartRouting;
}

/** A v1 signer as the v1 workflow's input carries it. */
export interface V1WorkflowSigner {
  signerId: string;
  userId: string;
  order: number;
}

/**
 * Client side: starts the workflow of a contract, with its search attributes (ContractStatus
 * `starting` until its first activity activates the contract; EnterpriseId when the initiator acted
 * as an enterprise). Idempotent: starting a contract whose workflow is already running returns that one.
 * (Not bundled into the sandbox.)
 *
 * - `startContractWorkflow(client, taskQueue, contract, options)`: v2, `contractLifecycleWorkflow`
 *   (new contracts, `lifecycle = 2`; with `routing` the start hands it the participants, else its first
 *   activity loads them), with a short
 *   workflow task timeout (CONTRACT_WORKFLOW_TASK_TIMEOUT_MS: its signatures are local activities,
 *   see domain/contracts/signing-timing.ts);
 * - `startContractWorkflow(client, taskQueue, contract, signers, options)`: v1, `contractSigningWorkflow`,
 *   kept for v1 contracts (`lifecycle = 1`) until no v1 execution runs (ARCHITECTURE.md, "Changing a running workflow").
 */
export async function startContractWorkflow(client: Client, taskQueue: string, contract: Contract, options?: StartContractWorkflowOptions): Promise<void>;
export async function startContractWorkflow(client: Client, taskQueue: string, contract: Contract, signers: V1WorkflowSigner[], options?: StartContractWorkflowOptions): Promise<void>;
export async function startContractWorkflow(
  client: Client,
  taskQueue: string,
  contract: Contract,
  signersOrOptions: V1WorkflowSigner[] | StartContractWorkflowOptions = {},
  v1Options: StartContractWorkflowOptions = {},
): Promise<void> {
  const v1Signers = Array.isArray(signersOrOptions) ? signersOrOptions : null;
  const options = v1Signers ? v1Options : (signersOrOptions as StartContractWorkflowOptions);
  const common = {
    workflowId: contractWorkflowId(contract.id),
    taskQueue,
    workflowIdConflictPolicy: 'USE_EXISTING' as const,
    typedSearchAttributes: [
      { key: SA_CONTRACT_ID, value: contract.id },
      { key: SA_CONTRACT_STATUS, value: 'starting' },
      { key: SA_INITIATOR_ID, value: contract.initiatorId },
      ...(contract.initiatorEnterpriseId ? [{ key: SA_ENTERPRISE_ID, value: contract.initiatorEnterpriseId }] : []),
    ],
  };
  const base = { contractId: contract.id, expiresAt: contract.expiresAt.toISOString(), ...(options.timing ? { timing: options.timing } : {}) };
  const routing = !v1Signers && options.routing ? { routing: options.routing } : {};
  const start = async (): Promise<void> => {
    if (v1Signers) await client.workflow.start(contractSigningWorkflow, { ...common, args: [{ ...base, signers: v1Signers }] });
    else await client.workflow.start(contractLifecycleWorkflow, { ...common, workflowTaskTimeout: CONTRACT_WORKFLOW_TASK_TIMEOUT_MS, args: [{ ...base, ...routing }] });
  };
  await (options.timeoutMs ? client.withDeadline(Date.now() + options.timeoutMs, start) : start());
}
