import type { Client } from '@temporalio/client';
import type { Contract } from '../../domain/contracts/contract.entity';
import { contractSigningWorkflow } from '../contract-signing';
import { contractWorkflowId, SA_CONTRACT_ID, SA_CONTRACT_STATUS, SA_INITIATOR_ID } from '../search-attributes';

/** Client side: starts the signing workflow of a contract, with its search attributes. (Not bundled into the sandbox.) */
export async function startContractWorkflow(client: Client, taskQueue: string, contract: Contract, signers: { signerId: string; userId: string; order: number }[]) {
  await client.workflow.start(contractSigningWorkflow, {
    workflowId: contractWorkflowId(contract.id),
    taskQueue,
    args: [{ contractId: contract.id, signers, expiresAt: contract.expiresAt.toISOString() }],
    typedSearchAttributes: [
      { key: SA_CONTRACT_ID, value: contract.id },
      { key: SA_CONTRACT_STATUS, value: 'in_progress' },
      { key: SA_INITIATOR_ID, value: contract.initiatorId },
    ],
  });
}
