/**
 * CertificateOrderWorkflow paths with fake activities (no database, no CA) against the suite's
 * Temporal dev server. The poll interval comes from the activities' answers (the platform setting
 * in production): the fakes answer 1 s, so "every five minutes" is exercised without waiting.
 * Each finished path is recorded as a replay fixture with RECORD_HISTORY=1
 * (workflows/fixtures/certificate-order-*.history.json, replayed by the unit suite).
 */
import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import type { CertificateOrderActivities } from '../../activities/certificate-order-activities';
import type { OrderProgress } from '../../domain/certificates/certificate-order-progress';
import type { CertificateOrderStatus } from '../../domain/certificates/certificate-order-status';
import { cancelOrderUpdate, certificateOrderWorkflow, orderStatusQuery, refreshOrderUpdate, SUBMIT_DEADLINE_REASON, type CertificateOrderInput } from '../../workflows/certificate-order';
import { certificateOrderWorkflowId } from '../../workflows/clients/certificate-orders';
import { SA_ENTERPRISE_ID, SA_ORDER_STATUS } from '../../workflows/search-attributes';
import { eventually, recordHistory, withWorkflowWorker } from '../harness/workflow-env';

type Call = { name: string; input: unknown; at: number };

const progress = (status: CertificateOrderStatus, nextPollSeconds = 1, caIssued = false): OrderProgress => ({ status, caIssued, nextPollSeconds });
const refusal = (code: string, message: string, messageEn: string) => ApplicationFailure.create({ type: code, message, nonRetryable: true, details: [{ code, message, messageEn }] });

/** Fake activities that log their calls; `ca` is the fake CA's current status, changed by the test. */
function fakes(over: Partial<CertificateOrderActivities> = {}, pollSeconds = 1) {
  const calls: Call[] = [];
  const ca = { status: 'pending_payment' as CertificateOrderStatus | 'ca_issued' };
  const log = <A extends unknown[], R>(name: string, fn: (...a: A) => Promise<R>) => async (...a: A) => {
    calls.push({ name, input: a[0], at: Date.now() });
    return fn(...a);
  };
  const base: CertificateOrderActivities = {
    submitOrder: async () => progress('pending_payment', pollSeconds),
    pollOrder: async () => (ca.status === 'ca_issued' ? progress('auditing', pollSeconds, true) : progress(ca.status, pollSeconds)),
    cancelOrder: async () => progress('cancelled', pollSeconds),
    storeCertificate: async () => progress('issued', 0),
  };
  const merged = { ...base, ...over };
  const activities = Object.fromEntries(Object.entries(merged).map(([k, fn]) => [k, log(k, fn as (...a: unknown[]) => Promise<unknown>)]));
  return { activities, calls, ca, called: (name: string) => calls.filter((c) => c.name === name) };
}

function input(over: Partial<CertificateOrderInput> = {}): CertificateOrderInput {
  return { orderId: randomUUID(), enterpriseId: randomUUID(), unpaidDeadline: new Date(Date.now() + 3600_000).toISOString(), retry: { initialIntervalMs: 100, maximumAttempts: 2 }, ...over };
}

async function start(client: Client, taskQueue: string, args: CertificateOrderInput) {
  return client.workflow.start(certificateOrderWorkflow, {
    taskQueue,
    workflowId: certificateOrderWorkflowId(args.orderId),
    args: [args],
    typedSearchAttributes: [{ key: SA_ENTERPRISE_ID, value: args.enterpriseId }],
  });
}

const failureOf = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) return { type: err.cause.type, detail: err.cause.details?.[0] };
    throw err;
  }
  throw new Error('the Update was accepted');
};

describe('CertificateOrderWorkflow paths', () => {
  it('submits, polls at the configured interval, stores the certificate once the CA has issued it, and ends 已签发', async () => {
    const f = fakes();
    await withWorkflowWorker({ activities: f.activities }, async ({ client, taskQueue }) => {
      const args = input();
      const handle = await start(client, taskQueue, args);
      await eventually(async () => f.called('pollOrder').length >= 2, 10_000, 'two polls');
      f.ca.status = 'paid';
      await eventually(async () => (await handle.query(orderStatusQuery)) === 'paid', 10_000, 'paid');
      f.ca.status = 'ca_issued';
      expect(await handle.result()).toEqual({ status: 'issued' });
      const polls = f.called('pollOrder').map((c) => c.at);
      expect(polls.length).toBeGreaterThanOrEqual(3);
      // One poll per interval (1 s here, from the activity's nextPollSeconds), not a busy loop.
      for (let i = 1; i < polls.length; i++) expect(polls[i]! - polls[i - 1]!).toBeGreaterThanOrEqual(900);
      expect(f.called('submitOrder')).toHaveLength(1);
      expect(f.called('storeCertificate').map((c) => c.input)).toEqual([{ orderId: args.orderId }]);
      const described = await handle.describe();
      expect(described.typedSearchAttributes.get(SA_ORDER_STATUS)).toBe('issued');
      expect(described.typedSearchAttributes.get(SA_ENTERPRISE_ID)).toBe(args.enterpriseId);
      await recordHistory(handle, 'certificate-order-issued');
    });
  });

  it('刷新状态 polls now (no five-minute wait), and 撤销 is refused with the CA’s message once paid', async () => {
    const f = fakes({ cancelOrder: async () => Promise.reject(refusal('ORDER_PAID', '订单已支付，无法撤销', 'The order has been paid and cannot be cancelled')) }, 300);
    await withWorkflowWorker({ activities: f.activities }, async ({ client, taskQueue }) => {
      const handle = await start(client, taskQueue, input());
      await eventually(async () => (await handle.query(orderStatusQuery)) === 'pending_payment', 10_000, 'submitted');
      f.ca.status = 'paid';
      const t0 = Date.now();
      expect(await handle.executeUpdate(refreshOrderUpdate)).toEqual({ status: 'paid' });
      expect(Date.now() - t0).toBeLessThan(5000);
      expect(f.called('pollOrder')).toHaveLength(1); // the refresh, not a timer
      const refused = await failureOf(handle.executeUpdate(cancelOrderUpdate, { args: [{ userId: 'admin-1', reason: '不需要了' }] }));
      expect(refused).toEqual({ type: 'ORDER_PAID', detail: { code: 'ORDER_PAID', message: '订单已支付，无法撤销', messageEn: 'The order has been paid and cannot be cancelled' } });
      expect(f.called('cancelOrder').map((c) => c.input)).toEqual([{ orderId: expect.any(String), userId: 'admin-1', reason: '不需要了' }]);
      expect(await handle.query(orderStatusQuery)).toBe('paid');
      f.ca.status = 'ca_issued';
      expect(await handle.executeUpdate(refreshOrderUpdate)).toEqual({ status: 'issued' });
      expect(await handle.result()).toEqual({ status: 'issued' });
      await recordHistory(handle, 'certificate-order-cancel-refused-paid');
    });
  });

  it('撤销 is refused while the CA audits the order; the order then ends as the CA decides (已驳回)', async () => {
    const f = fakes({ cancelOrder: async () => Promise.reject(refusal('ORDER_AUDITED', '订单审核中，无法撤销', 'The order is being audited and cannot be cancelled')) });
    f.ca.status = 'auditing';
    await withWorkflowWorker({ activities: f.activities }, async ({ client, taskQueue }) => {
      const handle = await start(client, taskQueue, input());
      await eventually(async () => (await handle.query(orderStatusQuery)) === 'auditing', 10_000, 'auditing');
      const refused = await failureOf(handle.executeUpdate(cancelOrderUpdate, { args: [{ userId: 'admin-1', reason: '填错了' }] }));
      expect(refused.type).toBe('ORDER_AUDITED');
      expect((refused.detail as { message: string }).message).toBe('订单审核中，无法撤销');
      f.ca.status = 'rejected';
      expect(await handle.result()).toEqual({ status: 'rejected' });
      expect(f.called('storeCertificate')).toEqual([]);
      await recordHistory(handle, 'certificate-order-cancel-refused-auditing');
    });
  });

  it('撤销 is accepted while unpaid: the order ends 已撤销 and later requests are refused', async () => {
    const f = fakes({}, 300);
    await withWorkflowWorker({ activities: f.activities }, async ({ client, taskQueue }) => {
      const handle = await start(client, taskQueue, input());
      await eventually(async () => (await handle.query(orderStatusQuery)) === 'pending_payment', 10_000, 'submitted');
      expect(await handle.executeUpdate(cancelOrderUpdate, { args: [{ userId: 'admin-1', reason: '重复申请' }] })).toEqual({ status: 'cancelled' });
      expect(await handle.result()).toEqual({ status: 'cancelled' });
      expect(f.called('pollOrder')).toEqual([]);
      await expect(handle.executeUpdate(refreshOrderUpdate)).rejects.toThrow();
      await recordHistory(handle, 'certificate-order-cancelled');
    });
  });

  it('a 撤销 sent from Temporal UI with no payload (or another one) is rejected by its validator, not thrown by the handler: the order goes on', async () => {
    const f = fakes({}, 300);
    await withWorkflowWorker({ activities: f.activities }, async ({ client, taskQueue }) => {
      const handle = await start(client, taskQueue, input());
      await eventually(async () => (await handle.query(orderStatusQuery)) === 'pending_payment', 10_000, 'submitted');
      for (const args of [[], [null], ['admin-1'], [{ reason: '重复申请' }], [{ userId: 'admin-1' }], [{ userId: 'admin-1', reason: 42 }]]) {
        expect([args, (await failureOf(handle.executeUpdate('cancel', { args: args as [unknown] }))).type]).toEqual([args, expect.stringMatching(/^(INVALID_REQUEST|CANCEL_REASON_REQUIRED)$/)]);
      }
      expect(f.called('cancelOrder')).toEqual([]);
      expect(await handle.executeUpdate(cancelOrderUpdate, { args: [{ userId: 'admin-1', reason: '重复申请' }] })).toEqual({ status: 'cancelled' });
      expect((await handle.fetchHistory()).events!.filter((e) => e.workflowTaskFailedEventAttributes)).toEqual([]);
    });
  });

  it('an order still unpaid at the deadline is cancelled at the CA by the platform', async () => {
    const f = fakes({}, 300);
    await withWorkflowWorker({ activities: f.activities }, async ({ client, taskQueue }) => {
      const handle = await start(client, taskQueue, input({ unpaidDeadline: new Date(Date.now() + 1500).toISOString() }));
      expect(await handle.result()).toEqual({ status: 'cancelled' });
      expect(f.called('cancelOrder').map((c) => c.input)).toEqual([{ orderId: expect.any(String), userId: null, reason: expect.stringContaining('未支付') }]);
      await recordHistory(handle, 'certificate-order-unpaid-deadline');
    });
  });

  it('an order whose submit keeps failing as infrastructure (wrong CA API key) ends 已撤销 at its submit deadline, with the reason, instead of submitting for ever', async () => {
    // What http-ca-order-gateway.ts throws for a 401: a plain Error, retried like the CA being down.
    const f = fakes({ submitOrder: async () => Promise.reject(new Error("CA service POST /api/orders: HTTP 401 (CA_SERVICE_API_KEY does not match the CA service's)")) });
    await withWorkflowWorker({ activities: f.activities }, async ({ client, taskQueue }) => {
      const args = input({ submitDeadline: new Date(Date.now() + 3000).toISOString() });
      const handle = await start(client, taskQueue, args);
      // A failed submit leaves the default five-minute interval: the deadline, not the interval, ends the wait.
      const outcome = await Promise.race([handle.result(), new Promise((r) => setTimeout(() => r('still waiting'), 15_000))]);
      expect(outcome).toEqual({ status: 'cancelled' });
      expect(f.called('submitOrder').length).toBeGreaterThanOrEqual(2); // the bounded retries of the first step
      expect(f.called('cancelOrder').map((c) => c.input)).toEqual([{ orderId: args.orderId, userId: null, reason: SUBMIT_DEADLINE_REASON }]);
      expect(f.called('pollOrder')).toEqual([]);
      expect((await handle.describe()).typedSearchAttributes.get(SA_ORDER_STATUS)).toBe('cancelled');
      await recordHistory(handle, 'certificate-order-submit-deadline');
    });
  });

  it('an order (re)started past its submit deadline while still 待提交 ends at once, without another submit', async () => {
    const f = fakes();
    await withWorkflowWorker({ activities: f.activities }, async ({ client, taskQueue }) => {
      const handle = await start(client, taskQueue, input({ submitDeadline: new Date(Date.now() - 60_000).toISOString() }));
      const outcome = await Promise.race([handle.result(), new Promise((r) => setTimeout(() => r('still waiting'), 10_000))]);
      expect(outcome).toEqual({ status: 'cancelled' });
      expect(f.called('submitOrder')).toEqual([]);
      expect(f.called('cancelOrder').map((c) => (c.input as { reason: string }).reason)).toEqual([SUBMIT_DEADLINE_REASON]);
    });
  });

  it('a CA that is down does not fail the order: the step is retried (bounded), then again at the next interval', async () => {
    let down = true;
    const f = fakes({ pollOrder: async () => (down ? Promise.reject(new Error('connect ECONNREFUSED')) : progress('pending_payment', 1, true)) });
    await withWorkflowWorker({ activities: f.activities }, async ({ client, taskQueue }) => {
      const handle = await start(client, taskQueue, input());
      await eventually(async () => f.called('pollOrder').length >= 4, 15_000, 'two failed steps');
      expect(await handle.query(orderStatusQuery)).toBe('pending_payment');
      down = false;
      expect(await handle.result()).toEqual({ status: 'issued' });
      await recordHistory(handle, 'certificate-order-ca-down');
    });
  });

  it('continues as new after maxPollsPerRun polls, keeping its state and search attributes', async () => {
    const f = fakes();
    f.ca.status = 'paid';
    await withWorkflowWorker({ activities: f.activities }, async ({ client, taskQueue }) => {
      const args = input({ maxPollsPerRun: 2 });
      const handle = await start(client, taskQueue, args);
      const firstRun = (await handle.describe()).runId;
      await eventually(async () => (await client.workflow.getHandle(handle.workflowId).describe()).runId !== firstRun, 15_000, 'a new run');
      const latest = client.workflow.getHandle(handle.workflowId);
      expect(await latest.query(orderStatusQuery)).toBe('paid');
      expect((await latest.describe()).typedSearchAttributes.get(SA_ENTERPRISE_ID)).toBe(args.enterpriseId);
      f.ca.status = 'ca_issued';
      expect(await latest.result()).toEqual({ status: 'issued' });
      expect(f.called('submitOrder')).toHaveLength(1);
    });
  });
});
