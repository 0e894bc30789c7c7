import type { Client } from '@temporalio/client';
import type { Contract } from '../../domain/contracts/contract.entity';
import type { SigningTiming } from '../../domain/contracts/signing-timing';
import { contractSigningWorkflow } from '../contract-signing';
import { contractWorkflowId, SA_CONTRACT_ID, SA_CONTRACT_STATUS, SA_INITIATOR_ID } from '../search-attributes';

export interface StartContractWorkflowOptions {
  /** Give up after this long (Temporal unreachable answers 503 within seconds, not after gRPC's retries). */
  timeoutMs?: number;
  timing?: Partial<SigningTiming>;
}

/**
 * Client side: starts the signing workflow of a contract, with its search attributes (ContractStatus
 * `starting` until its first activity activates the contract). Idempotent: starting a contract whose
 * workflow is already running returns that one. (Not bundled into the sandbox.)
 */
export async function startContractWorkflow(client: Client, taskQueue: string, contract: Contract, signers: { signerId: string; userId: string; order: number }[], options: StartContractWorkflowOptions = {}) {
  const start = () =>
    client.workflow.start(contractSigningWorkflow, {
      workflowId: contractWorkflowId(contract.id),
      taskQueue,
      args: [{ contractId: contract.id, signers, expiresAt: contract.expiresAt.toISOString(), ...(options.timing ? { timing: options.timing } : {}) }],
      workflowIdConflictPolicy: 'USE_EXISTING',
      typedSearchAttributes: [
        { key: SA_CONTRACT_ID, value: contract.id },
        { key: SA_CONTRACT_STATUS, value: 'starting' },
        { key: SA_INITIATOR_ID, value: contract.initiatorId },
      ],
    });
  await (options.timeoutMs ? client.withDeadline(Date.now() + options.timeoutMs, start) : start());
}
