import type { Client } from '@temporalio/client';
import type { CertificateOrder } from '../../domain/certificates/certificate-order.entity';
import { certificateOrderWorkflow, type CertificateOrderInput } from '../certificate-order';
import { SA_ENTERPRISE_ID, SA_ORDER_STATUS } from '../search-attributes';

/** One workflow per certificate order. */
export const certificateOrderWorkflowId = (orderId: string) => `ca-order:${orderId}`;

/** How long an order may stay 待支付 before the platform cancels it at the CA. */
export const DEFAULT_UNPAID_DEADLINE_MS = 30 * 86_400_000;
/**
 * How long an order may stay 待提交 (its submit failing: CA down, wrong API key, unreadable answers)
 * before the platform ends it and frees its seal. A submit normally takes seconds; a week covers a
 * long CA outage and an operator fixing the CA configuration.
 */
export const DEFAULT_SUBMIT_DEADLINE_MS = 7 * 86_400_000;

export interface StartCertificateOrderOptions {
  /** Give up after this long (Temporal unreachable answers 503 within seconds). */
  timeoutMs?: number;
  unpaidDeadlineMs?: number;
  submitDeadlineMs?: number;
  /** Tests: fewer polls per run, short retries. */
  input?: Partial<Pick<CertificateOrderInput, 'maxPollsPerRun' | 'retry'>>;
}

/**
 * Client side: starts the order's workflow, findable in Temporal UI by EnterpriseId and OrderStatus.
 * Idempotent: an order whose workflow already runs keeps it (the reconciler restarts lost ones).
 * (Not bundled into the sandbox.)
 */
export async function startCertificateOrderWorkflow(client: Client, taskQueue: string, order: Pick<CertificateOrder, 'id' | 'enterpriseId' | 'status' | 'createdAt'>, options: StartCertificateOrderOptions = {}) {
  const start = () =>
    client.workflow.start(certificateOrderWorkflow, {
      workflowId: certificateOrderWorkflowId(order.id),
      taskQueue,
      args: [
        {
          orderId: order.id,
          enterpriseId: order.enterpriseId,
          unpaidDeadline: new Date(order.createdAt.getTime() + (options.unpaidDeadlineMs ?? DEFAULT_UNPAID_DEADLINE_MS)).toISOString(),
          submitDeadline: new Date(order.createdAt.getTime() + (options.submitDeadlineMs ?? DEFAULT_SUBMIT_DEADLINE_MS)).toISOString(),
          ...options.input,
          ...(order.status !== 'pending_submission' ? { carried: { status: order.status, nextPollSeconds: 1 } } : {}),
        },
      ],
      workflowIdConflictPolicy: 'USE_EXISTING',
      typedSearchAttributes: [
        { key: SA_ENTERPRISE_ID, value: order.enterpriseId },
        { key: SA_ORDER_STATUS, value: order.status },
      ],
    });
  await (options.timeoutMs ? client.withDeadline(Date.now() + options.timeoutMs, start) : start());
}
