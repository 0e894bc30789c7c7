import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { batchSignWorkflow } from '../batch-sign';
import { batchSignWorkflowId, type BatchSignInput } from '../batch-sign-api';

/**
 * Client side: starts the batch's workflow (`batch-sign:<batchId>`). Idempotent: a batch whose
 * workflow already started (a retried submission, the progress endpoint's restart of a batch whose
 * start failed) keeps it. Gives up after `timeoutMs` (Temporal unreachable → the caller answers 503).
 * (Not bundled into the sandbox.)
 */
export async function startBatchSignWorkflow(client: Client, taskQueue: string, input: BatchSignInput, timeoutMs: number): Promise<void> {
  try {
    await client.withDeadline(Date.now() + timeoutMs, () =>
      client.workflow.start(batchSignWorkflow, { workflowId: batchSignWorkflowId(input.batchId), taskQueue, args: [input], workflowIdReusePolicy: 'REJECT_DUPLICATE' }),
    );
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return;
    throw err;
  }
}
