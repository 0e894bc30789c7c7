/**
 * CertificateOrderWorkflow past its unpaid deadline with a CA cancel that keeps failing as
 * infrastructure (CA down, or its 401/403 thrown as a plain Error by the HTTP gateway): the cancel
 * is retried (bounded attempts) once per poll interval, not in a loop without a wait. There is no
 * time-skipping server offline (test/harness/workflow-env.ts), so the proportions are scaled down:
 * a 1 s interval observed for WINDOW_S seconds stands for a 60 s interval over minutes. The bound is
 * (window / interval + 1) × attempts; the code before DEADLINE_INTERVAL_PATCH made several times
 * as many calls. Recorded as the replay fixture certificate-order-deadline-cancel-failing
 * (RECORD_HISTORY=certificate-order-deadline-cancel-failing).
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { OrderProgress } from '../../domain/certificates/certificate-order-progress';
import type { CertificateOrderStatus } from '../../domain/certificates/certificate-order-status';
import { certificateOrderWorkflow, orderStatusQuery, type CertificateOrderInput } from '../../workflows/certificate-order';
import { certificateOrderWorkflowId } from '../../workflows/clients/certificate-orders';
import { SA_ENTERPRISE_ID } from '../../workflows/search-attributes';
import { eventually, recordHistory, withWorkflowWorker } from '../harness/workflow-env';

const INTERVAL_S = 1;
const ATTEMPTS = 2;
const WINDOW_S = 6;

const progress = (status: CertificateOrderStatus): OrderProgress => ({ status, caIssued: false, nextPollSeconds: INTERVAL_S });

describe('CertificateOrderWorkflow past the unpaid deadline', () => {
  it('a CA cancel that keeps failing (not a refusal) is tried once per poll interval, not in a tight loop; the order is cancelled once the CA answers', async () => {
    const cancels: number[] = [];
    let failing = true;
    const activities = {
      submitOrder: async () => progress('pending_payment'),
      pollOrder: async () => progress('pending_payment'),
      storeCertificate: async () => progress('issued'),
      async cancelOrder() {
        cancels.push(Date.now());
        // What http-ca-order-gateway.ts throws for a 401/403: a plain Error, retried as infrastructure.
        if (failing) throw new Error('CA service POST /api/orders/x/cancel: HTTP 401 (CA_SERVICE_API_KEY does not match the CA service\'s)');
        return progress('cancelled');
      },
    };
    await withWorkflowWorker({ activities }, async ({ client, taskQueue }) => {
      const args: CertificateOrderInput = {
        orderId: randomUUID(),
        enterpriseId: randomUUID(),
        unpaidDeadline: new Date(Date.now() - 60_000).toISOString(),
        // Ahead: the order is submitted first (without it the submit deadline is the unpaid one, passed, and the 待提交 order would end unsubmitted).
        submitDeadline: new Date(Date.now() + 3600_000).toISOString(),
        retry: { initialIntervalMs: 100, maximumAttempts: ATTEMPTS },
      };
      const handle = await client.workflow.start(certificateOrderWorkflow, {
        taskQueue,
        workflowId: certificateOrderWorkflowId(args.orderId),
        args: [args],
        typedSearchAttributes: [{ key: SA_ENTERPRISE_ID, value: args.enterpriseId }],
      });
      const first = await eventually(async () => cancels[0], 15_000, 'a first cancel');
      await eventually(async () => Date.now() >= first + WINDOW_S * 1000, WINDOW_S * 1000 + 5_000, 'the window');
      const inWindow = cancels.filter((t) => t <= first + WINDOW_S * 1000).length;
      expect(await handle.query(orderStatusQuery)).toBe('pending_payment');
      failing = false;
      expect(await handle.result()).toEqual({ status: 'cancelled' });
      await recordHistory(handle, 'certificate-order-deadline-cancel-failing');
      expect(inWindow).toBeGreaterThanOrEqual(2 * ATTEMPTS); // it kept trying
      expect(inWindow).toBeLessThanOrEqual((WINDOW_S / INTERVAL_S + 1) * ATTEMPTS);
    });
  }, 60_000);
});
