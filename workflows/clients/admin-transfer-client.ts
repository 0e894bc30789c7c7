import type { Client } from '@temporalio/client';
import type { SignalDefinition } from '@temporalio/workflow';
import { adminTransferWorkflow } from '../admin-transfer';
import { SA_ENTERPRISE_ID, SA_INITIATOR_ID, SA_PROCESS_STATUS } from '../search-attributes';

/** One workflow per transfer. One running transfer per enterprise is a database rule (admin_transfers.live_key). */
export const adminTransferWorkflowId = (transferId: string) => `admin-transfer:${transferId}`;

/**
 * Client side: starts the transfer workflow, findable in Temporal UI by EnterpriseId, InitiatorId (the administrator)
 * and ProcessStatus (its step, upserted by the workflow from here on); gives up after `timeoutMs` (Temporal unreachable).
 */
export async function startAdminTransferWorkflow(client: Client, taskQueue: string, t: { id: string; enterpriseId: string; fromUserId: string; toUserId: string; deadline: Date }, timeoutMs: number) {
  const start = () => client.workflow.start(adminTransferWorkflow, {
    workflowId: adminTransferWorkflowId(t.id),
    taskQueue,
    args: [{ transferId: t.id, enterpriseId: t.enterpriseId, adminUserId: t.fromUserId, targetUserId: t.toUserId, deadline: t.deadline.toISOString() }],
    typedSearchAttributes: [
      { key: SA_ENTERPRISE_ID, value: t.enterpriseId },
      { key: SA_INITIATOR_ID, value: t.fromUserId },
      { key: SA_PROCESS_STATUS, value: 'awaiting_admin_code' },
    ],
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
  });
  await client.withDeadline(Date.now() + timeoutMs, start);
}

/**
 * Tells a running transfer that one of its parties changed (the target removed, the administrator
 * replaced): it ends. Within `timeoutMs`; if Temporal cannot be reached, the completion's re-check of
 * both parties refuses the transfer anyway.
 */
export async function signalTransfer<Args extends unknown[]>(client: Client, transferId: string, timeoutMs: number, signal: SignalDefinition<Args>, ...args: Args): Promise<void> {
  const handle = client.workflow.getHandle(adminTransferWorkflowId(transferId));
  await client
    .withDeadline(Date.now() + timeoutMs, () => handle.signal(signal, ...args))
    .catch((err: unknown) => console.warn(`[api] transfer ${transferId}: ${signal.name} signal not delivered`, err));
}
