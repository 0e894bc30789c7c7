/**
 * How a contract workflow's Update fails: a non-retryable ApplicationFailure whose first detail is
 * the zh/en answer the API turns into an HTTP error (api/http/update-failure.ts). Shared by the v1
 * and v2 contract workflows; pure, so the workflow sandbox imports it.
 */
import { ApplicationFailure } from '@temporalio/workflow';

export interface UpdateFailureDetail {
  code: string;
  message: string;
  messageEn: string;
  /** Retrying the same request later may succeed (the API answers 503 with Retry-After). */
  retryable?: boolean;
}

export const updateFailure = (detail: UpdateFailureDetail) => ApplicationFailure.create({ type: detail.code, message: detail.message, details: [detail], nonRetryable: true });

/** A refusal by a domain rule (signing-order.ts, routing.ts) as an Update failure. */
export const refusalFailure = (r: { code: string; message: string; messageEn: string }) => updateFailure({ code: r.code, message: r.message, messageEn: r.messageEn });

export const SIGNING_UNAVAILABLE: UpdateFailureDetail = {
  code: 'SIGNING_UNAVAILABLE',
  message: '签署服务暂时不可用，请稍后使用同一验证码重试',
  messageEn: 'Signing is temporarily unavailable; retry shortly with the same code',
  retryable: true,
};

/** The answer carried by an activity's business failure (a business / document refusal, or a lost race whose retries ran out: activity-failure.ts). */
export function permanentDetail(failure: ApplicationFailure): UpdateFailureDetail {
  const d = (failure.details?.[0] ?? {}) as Partial<UpdateFailureDetail>;
  return { code: d.code ?? failure.type ?? 'SIGNING_FAILED', message: d.message ?? failure.message, messageEn: d.messageEn ?? failure.message };
}
