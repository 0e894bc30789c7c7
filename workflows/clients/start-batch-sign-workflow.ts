import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { batchSignWorkflow } from '../batch-sign';
import { batchSignWorkflowId, type BatchSignInput } from '../batch-sign-api';
import { SA_ENTERPRISE_ID, SA_INITIATOR_ID, SA_PROCESS_STATUS } from '../search-attributes';

/**
 * Client side: starts the batch's workflow (`batch-sign:<batchId>`). Idempotent: a batch whose
 * workflow already started (a retried submission, the progress endpoint's restart of a batch whose
 * start failed) keeps it. Gives up after `timeoutMs` (Temporal unreachable → the caller answers 503).
 * Findable in Temporal UI by InitiatorId (the signer), EnterpriseId (the enterprise they acted for, if any) and
 * ProcessStatus (`running`; the workflow upserts its end). `options`: tests' timings.
 * (Not bundled into the sandbox.)
 */
export async function startBatchSignWorkflow(
  client: Client,
  taskQueue: string,
  batch: { id: string; userId: string; actingEnterpriseId: string | null },
  timeoutMs: number,
  options: Omit<BatchSignInput, 'batchId'> = {},
): Promise<void> {
  try {
    await client.withDeadline(Date.now() + timeoutMs, () =>
      client.workflow.start(batchSignWorkflow, {
        workflowId: batchSignWorkflowId(batch.id),
        taskQueue,
        args: [{ ...options, batchId: batch.id }],
        typedSearchAttributes: [
          { key: SA_INITIATOR_ID, value: batch.userId },
          ...(batch.actingEnterpriseId ? [{ key: SA_ENTERPRISE_ID, value: batch.actingEnterpriseId }] : []),
          { key: SA_PROCESS_STATUS, value: 'running' },
        ],
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      }),
    );
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return;
    throw err;
  }
}
