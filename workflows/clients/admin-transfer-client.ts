import type { Client } from '@temporalio/client';
import { adminTransferWorkflow } from '../admin-transfer';
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
