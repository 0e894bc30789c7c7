/**
 * CertificateOrderWorkflow (workflow id `ca-order:<orderId>`), M14 申请云证书 / M13 续期: follows one
 * certificate order at the CA until it ends (已签发, 已驳回, 已撤销).
 *
 * - Submit (activity): key pair + CSR (the private key is encrypted by the activity and never enters
 *   this history), then the CA order (idempotent on the order id). Until it succeeds it is retried
 *   every poll interval; a CA refusal ends the order as 已驳回 (decided in the domain).
 * - Poll: every `nextPollSeconds` (the platform setting `caPollIntervalSeconds`, returned by each
 *   activity, so operators change it without a deployment; tests set 1 s), the activity reads the
 *   CA order and records it. On the CA's 已签发 the next activity stores the certificate (the seal
 *   becomes usable) and the order ends 已签发.
 * - `refresh` Update (刷新状态): polls now and answers the status. `cancel` Update (撤销): asks the
 *   CA to cancel; the CA's refusal (paid, audited) is the Update's failure with the CA's message.
 * - Unpaid deadline (`unpaidDeadline`): an order still 待支付 then is cancelled at the CA. The wait
 *   before a step is bounded by the deadline only while the deadline is ahead; once it has passed, an
 *   order still 待支付 (its cancel failed: CA down, 401/403; or was refused and the poll failed) waits
 *   the poll interval like any other step (DEADLINE_INTERVAL_PATCH; before it, such an order
 *   retried at once, hitting the CA every few seconds for as long as the failure lasted).
 * - Submit deadline (`submitDeadline`, SUBMIT_DEADLINE_PATCH): an order still 待提交 then — its submit
 *   kept failing as infrastructure: CA down or answering 5xx, wrong API key (401/403), unreadable
 *   answers — ends on the platform (the cancel activity: 已撤销 with SUBMIT_DEADLINE_REASON, audited,
 *   the seal free again; certificate-order-progress.ts decides, and cancels at the CA an order the
 *   platform knows there). The wait before a step is bounded by it while it is ahead; past it, a
 *   failed ending waits the poll interval. Executions started without it use `unpaidDeadline`.
 * - Infrastructure failures (CA or database down) are retried a bounded number of times per step,
 *   then the step waits for the next interval: the workflow never fails because the CA was down.
 * - History is bounded: after `maxPollsPerRun` polls it continues as new with its state.
 * - `OrderStatus` is upserted at every transition (`EnterpriseId` is set by the client at start).
 * Every handler and each loop step run one at a time through one lock (a promise chain).
 */
import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  condition,
  defineQuery,
  defineUpdate,
  log,
  makeContinueAsNewFunc,
  patched,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { permanentActivityFailure } from './activity-failure';
import type { CertificateOrderActivities } from '../activities/certificate-order-activities';
import type { OrderProgress } from '../domain/certificates/certificate-order-progress';
import { isFinalOrderStatus, type CertificateOrderStatus } from '../domain/certificates/certificate-order-status';
import { fieldOf, requireId } from './handler-payloads';
import { SA_ENTERPRISE_ID, SA_ORDER_STATUS } from './search-attributes';

export interface CertificateOrderInput {
  orderId: string;
  enterpriseId: string;
  /** ISO date-time: an order still 待支付 then is cancelled at the CA. */
  unpaidDeadline: string;
  /**
   * ISO date-time: an order still 待提交 then ends on the platform (its submit never got through).
   * Absent (executions started before SUBMIT_DEADLINE_PATCH): `unpaidDeadline`.
   */
  submitDeadline?: string;
  /** Polls per run before continue-as-new (bounds the history). Default 200. */
  maxPollsPerRun?: number;
  /** Retries of one step on infrastructure failures (tests pass short ones). */
  retry?: { initialIntervalMs: number; maximumAttempts: number };
  /** State carried over by continue-as-new. */
  carried?: { status: CertificateOrderStatus; nextPollSeconds: number };
}

export type CertificateOrderEnd = Extract<CertificateOrderStatus, 'issued' | 'rejected' | 'cancelled'>;

export interface CertificateOrderOutcome {
  status: CertificateOrderEnd;
}

export const refreshOrderUpdate = defineUpdate<{ status: CertificateOrderStatus }, []>('refresh');
export const cancelOrderUpdate = defineUpdate<{ status: CertificateOrderStatus }, [{ userId: string; reason: string }]>('cancel');
export const orderStatusQuery = defineQuery<CertificateOrderStatus>('status');

export const DEFAULT_POLL_SECONDS = 300;
export const DEFAULT_MAX_POLLS_PER_RUN = 200;
const UNPAID_DEADLINE_REASON = '超过支付期限未支付，平台自动撤销';
/**
 * Past the unpaid deadline, an order still 待支付 waits `nextPollSeconds` before the next step
 * instead of 0 ms. Asked only where the wait differs (待支付, deadline passed, not the run's first
 * step), so histories without it replay the old wait.
 */
export const DEADLINE_INTERVAL_PATCH = 'certificate-order-deadline-interval-1';
/** Why an order that never got to the CA ends (shown to the applicant as the order's reason). */
export const SUBMIT_DEADLINE_REASON = '超过提交期限仍未能提交到 CA，平台自动撤销，请重新申请';
/**
 * An order still 待提交 at its submit deadline ends (the cancel activity) instead of submitting for
 * ever, and the wait before a step ends at that deadline. Asked only where the new code differs (待提交
 * with the deadline within the next wait or passed), so histories without it replay the old steps.
 */
export const SUBMIT_DEADLINE_PATCH = 'certificate-order-submit-deadline-1';

const refuse = (code: string, message: string, messageEn: string, retryable = false) =>
  ApplicationFailure.create({ type: code, message, details: [{ code, message, messageEn, ...(retryable ? { retryable } : {}) }], nonRetryable: true });
const finished = () => refuse('CERTIFICATE_ORDER_ENDED', '该证书订单已结束', 'This certificate order has ended');

/** A failed activity as the Update's failure: business refusals (the CA's included) keep their message. */
function asUpdateFailure(err: unknown): unknown {
  if (!(err instanceof ActivityFailure)) return err;
  const permanent = permanentActivityFailure(err);
  if (!permanent) return refuse('CA_UNAVAILABLE', 'CA 服务暂时不可用，请稍后重试', 'The CA is temporarily unavailable; please retry', true);
  return ApplicationFailure.create({ type: permanent.type ?? 'FAILED', message: permanent.message, details: permanent.details as unknown[], nonRetryable: true });
}

const businessRefusal = (err: unknown) => permanentActivityFailure(err) !== undefined;

export async function certificateOrderWorkflow(input: CertificateOrderInput): Promise<CertificateOrderOutcome> {
  const retry = { initialInterval: input.retry?.initialIntervalMs ?? 1000, backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: input.retry?.maximumAttempts ?? 5 };
  const ca = proxyActivities<CertificateOrderActivities>({ startToCloseTimeout: '1 minute', retry });
  /** Update handlers answer promptly: fewer attempts. */
  const quick = proxyActivities<CertificateOrderActivities>({ startToCloseTimeout: '30 seconds', retry: { ...retry, maximumAttempts: Math.min(3, retry.maximumAttempts) } });
  const { orderId } = input;
  const deadlineMs = Date.parse(input.unpaidDeadline);
  const submitDeadlineMs = Date.parse(input.submitDeadline ?? input.unpaidDeadline);
  const maxPolls = input.maxPollsPerRun ?? DEFAULT_MAX_POLLS_PER_RUN;

  let status: CertificateOrderStatus = input.carried?.status ?? 'pending_submission';
  let nextPollMs = (input.carried?.nextPollSeconds ?? DEFAULT_POLL_SECONDS) * 1000;
  const ended = () => isFinalOrderStatus(status);
  const adopt = (p: OrderProgress) => {
    if (p.nextPollSeconds > 0) nextPollMs = p.nextPollSeconds * 1000;
    if (p.status === status) return;
    status = p.status;
    upsertSearchAttributes([{ key: SA_ORDER_STATUS, value: status }]);
  };
  if (!input.carried) upsertSearchAttributes([{ key: SA_ORDER_STATUS, value: status }]);

  let tail: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    const run = tail.then(work);
    tail = run.catch(() => undefined);
    return run;
  };

  /** One step forward: submit if not yet at the CA, else poll; store the certificate once the CA has issued it. */
  const advance = async (acts: typeof ca) => {
    const p = status === 'pending_submission' ? await acts.submitOrder({ orderId }) : await acts.pollOrder({ orderId });
    adopt(p);
    if (p.caIssued) adopt(await acts.storeCertificate({ orderId }));
  };

  setHandler(orderStatusQuery, () => status);
  setHandler(
    refreshOrderUpdate,
    () =>
      exclusive(async () => {
        if (ended()) throw finished();
        try {
          await advance(quick);
        } catch (err) {
          throw asUpdateFailure(err);
        }
        return { status };
      }),
    { validator: () => { if (ended()) throw finished(); } },
  );
  setHandler(
    cancelOrderUpdate,
    ({ userId, reason }) =>
      exclusive(async () => {
        if (ended()) throw finished();
        try {
          adopt(await quick.cancelOrder({ orderId, userId, reason }));
        } catch (err) {
          throw asUpdateFailure(err);
        }
        return { status };
      }),
    {
      // Also a cancel sent from Temporal UI with no payload, or another one: rejected here, never thrown by the handler.
      validator: (request) => {
        if (ended()) throw finished();
        requireId(request, 'userId', '操作人', 'the user');
        const reason = fieldOf(request, 'reason');
        if (typeof reason !== 'string' || !reason.trim()) throw refuse('CANCEL_REASON_REQUIRED', '请填写撤销原因', 'Give a reason for the cancellation');
      },
    },
  );

  let polls = 0;
  let first = !input.carried;
  while (!ended()) {
    if (!first) {
      const unpaid = status === 'pending_payment';
      // Before the deadline the wait ends at it; past it (the previous step did not end the order) a step waits the interval.
      const pastDeadline = unpaid && Date.now() >= deadlineMs && patched(DEADLINE_INTERVAL_PATCH);
      const untilSubmitDeadline = submitDeadlineMs - Date.now();
      // 待提交: the wait ends at the submit deadline while it is ahead (past it, a failed ending waits the interval).
      const bySubmitDeadline = status === 'pending_submission' && untilSubmitDeadline > 0 && untilSubmitDeadline < nextPollMs && patched(SUBMIT_DEADLINE_PATCH);
      const waitMs = bySubmitDeadline ? untilSubmitDeadline : unpaid && !pastDeadline ? Math.max(0, Math.min(nextPollMs, deadlineMs - Date.now())) : nextPollMs;
      if (await condition(ended, waitMs)) break;
    }
    first = false;
    await exclusive(async () => {
      if (ended()) return;
      if (status === 'pending_submission' && Date.now() >= submitDeadlineMs && patched(SUBMIT_DEADLINE_PATCH)) {
        try {
          adopt(await ca.cancelOrder({ orderId, userId: null, reason: SUBMIT_DEADLINE_REASON }));
          return;
        } catch (err) {
          // Refused: the order reached the CA meanwhile (and was paid) or ended; the step below answers it as it is.
          if (!businessRefusal(err)) throw err;
        }
      }
      if (status === 'pending_payment' && Date.now() >= deadlineMs) {
        try {
          adopt(await ca.cancelOrder({ orderId, userId: null, reason: UNPAID_DEADLINE_REASON }));
          return;
        } catch (err) {
          // Refused: the CA says it was paid meanwhile; poll below picks that up.
          if (!businessRefusal(err)) throw err;
        }
      }
      await advance(ca);
    }).catch((err: unknown) => {
      if (!(err instanceof ActivityFailure)) throw err;
      log.warn('certificate order step failed; retrying at the next interval', { orderId, error: String(err.cause ?? err) });
    });
    polls++;
    if (!ended() && polls >= maxPolls) {
      await condition(allHandlersFinished);
      const next = makeContinueAsNewFunc<typeof certificateOrderWorkflow>({
        typedSearchAttributes: [
          { key: SA_ENTERPRISE_ID, value: input.enterpriseId },
          { key: SA_ORDER_STATUS, value: status },
        ],
      });
      return next({ ...input, carried: { status, nextPollSeconds: Math.round(nextPollMs / 1000) } });
    }
  }
  await condition(allHandlersFinished);
  log.info('certificate order ended', { orderId, status, run: workflowInfo().runId });
  return { status: status as CertificateOrderEnd };
}
