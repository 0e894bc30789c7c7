import type { Client } from '@temporalio/client';
import { adminTransferWorkflow } from '../admin-transfer';
import { SA_ENTERPRISE_ID } from '../search-attributes';

export const adminTransferWorkflowId = (enterpriseId: string) => `admin-transfer:${enterpriseId}`;

/** Client side: starts the transfer workflow, findable in Temporal UI by EnterpriseId. */
export async function startAdminTransferWorkflow(client: Client, taskQueue: string, t: { id: string; enterpriseId: string; fromUserId: string; toUserId: string; deadline: Date }) {
  await client.workflow.start(adminTransferWorkflow, {
    workflowId: adminTransferWorkflowId(t.enterpriseId),
    taskQueue,
    args: [{ transferId: t.id, enterpriseId: t.enterpriseId, adminUserId: t.fromUserId, targetUserId: t.toUserId, deadline: t.deadline.toISOString() }],
    typedSearchAttributes: [{ key: SA_ENTERPRISE_ID, value: t.enterpriseId }],
    workflowIdReusePolicy: 'ALLOW_DUPLICATE',
  });
}
