import type { Client } from '@temporalio/client';
import { administratorReplacedSignal, adminTransferWorkflow } from '../admin-transfer';
import { SA_ENTERPRISE_ID } from '../search-attributes';

/** One workflow per transfer. One running transfer per enterprise is a database rule (admin_transfers.live_key). */
export const adminTransferWorkflowId = (transferId: string) => `admin-transfer:${transferId}`;

/** Client side: starts the transfer workflow, findable in Temporal UI by EnterpriseId; gives up after `timeoutMs` (Temporal unreachable). */
export async function startAdminTransferWorkflow(client: Client, taskQueue: string, t: { id: string; enterpriseId: string; fromUserId: string; toUserId: string; deadline: Date }, timeoutMs: number) {
  const start = () => client.workflow.start(adminTransferWorkflow, {
    workflowId: adminTransferWorkflowId(t.id),
    taskQueue,
    args: [{ transferId: t.id, enterpriseId: t.enterpriseId, adminUserId: t.fromUserId, targetUserId: t.toUserId, deadline: t.deadline.toISOString() }],
    typedSearchAttributes: [{ key: SA_ENTERPRISE_ID, value: t.enterpriseId }],
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
  });
  await client.withDeadline(Date.now() + timeoutMs, start);
}

/**
 * After an operator replaced the enterprise's administrator: the running transfer (at most one per
 * enterprise) that the former administrator started ends. Within `timeoutMs`; if Temporal cannot be
 * reached, the completion's re-check refuses the transfer anyway (ADMIN_CHANGED).
 */
export async function endTransferOfReplacedAdministrator(client: Client, transferId: string, timeoutMs: number): Promise<void> {
  const handle = client.workflow.getHandle(adminTransferWorkflowId(transferId));
  await client
    .withDeadline(Date.now() + timeoutMs, () => handle.signal(administratorReplacedSignal))
    .catch((err: unknown) => console.warn(`[api] transfer ${transferId}: administrator-replaced signal not delivered`, err));
}
