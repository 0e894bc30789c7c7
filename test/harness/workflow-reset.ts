/**
 * What an operator's Reset in Temporal UI does: a new run of the workflow from the end of its first workflow task.
 * Temporal UI's default reapplies the signals and Updates the old run accepted after that point (they are delivered
 * to the new run again); `'none'` reapplies nothing.
 */
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import proto from '@temporalio/proto';

const { temporal } = proto;

export async function resetToFirstWorkflowTask(client: Client, workflowId: string, reapply: 'all' | 'none' = 'all') {
  const handle = client.workflow.getHandle(workflowId);
  const firstTask = (await handle.fetchHistory()).events!.find((e) => e.workflowTaskCompletedEventAttributes)!;
  const { runId } = await handle.describe();
  const { runId: newRunId } = await client.workflowService.resetWorkflowExecution({
    namespace: client.options.namespace,
    workflowExecution: { workflowId, runId },
    workflowTaskFinishEventId: firstTask.eventId,
    requestId: randomUUID(),
    reason: 'operator reset in Temporal UI',
    ...(reapply === 'none' ? { resetReapplyType: temporal.api.enums.v1.ResetReapplyType.RESET_REAPPLY_TYPE_NONE } : {}),
  });
  return { handle: client.workflow.getHandle(workflowId), oldRunId: runId, newRunId: newRunId ?? '' };
}
