import { createHmac, randomUUID } from 'node:crypto';
import { AppError } from '../../domain/errors';
import type { SmsMessage, SmsSender } from './sms-sender';

/**
 * Production SMS provider: a generic HTTP gateway adapter that real SMS services sit behind.
 *
 * Each message is one `POST <url>` with a JSON body `{ id, mobile, purpose, content }` and:
 * - `X-SealFlow-Timestamp`: Unix time in seconds of this attempt;
 * - `X-SealFlow-Signature`: `v1=<hex HMAC-SHA256(secret, timestamp + "." + body)>` — the gateway
 *   recomputes it, compares in constant time and refuses stale timestamps;
 * - `Idempotency-Key`: the message id, the same on every attempt, so the gateway sends once.
 * Any 2xx is success. 5xx, 408, 429, timeouts and network errors are retried with exponential
 * backoff up to `attempts` tries in all; other 4xx fail at once. A failure is a 503 for the caller.
 */
export interface HttpSmsOptions {
  url: string;
  secret: string;
  timeoutMs: number;
  attempts: number;
  /** First retry delay; doubles each time (tests make it small). */
  backoffMs?: number;
  log?: (line: string) => void;
}

export const SIGNATURE_HEADER = 'x-sealflow-signature';
export const TIMESTAMP_HEADER = 'x-sealflow-timestamp';

/** The signature a gateway must check: HMAC-SHA256 over `${timestamp}.${body}`. */
export function signGatewayRequest(secret: string, timestamp: string, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

const RETRYABLE_STATUS = (status: number) => status >= 500 || status === 408 || status === 429;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const maskMobile = (mobile: string) => (mobile.length > 7 ? `${mobile.slice(0, 3)}****${mobile.slice(-4)}` : '****');

function networkProblem(err: unknown): string {
  const cause = err instanceof Error ? (err.cause as (Error & { code?: string }) | undefined) : undefined;
  if (cause?.code) return `${cause.code} ${cause.message}`;
  return cause?.message ?? (err instanceof Error ? err.message : String(err));
}

export function smsSendFailed(): AppError {
  return new AppError('unavailable', 'SMS_SEND_FAILED', '短信发送失败，请稍后重试', 'The text message could not be sent; please try again later', { retryAfterSeconds: 30 });
}

export function createHttpSmsSender(options: HttpSmsOptions): SmsSender {
  const log = options.log ?? ((line: string) => console.error(line));
  const target = new URL(options.url);
  const where = `${target.protocol}//${target.host}${target.pathname}`;
  const backoffMs = options.backoffMs ?? 250;
  return {
    async send(message: SmsMessage) {
      const id = randomUUID();
      const body = JSON.stringify({ id, mobile: message.mobile, purpose: message.purpose, content: message.content });
      let lastProblem = '';
      for (let attempt = 1; attempt <= options.attempts; attempt++) {
        if (attempt > 1) await sleep(backoffMs * 2 ** (attempt - 2) * (0.75 + Math.random() / 2));
        const timestamp = String(Math.floor(Date.now() / 1000));
        try {
          const res = await fetch(options.url, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              [TIMESTAMP_HEADER]: timestamp,
              [SIGNATURE_HEADER]: signGatewayRequest(options.secret, timestamp, body),
              'idempotency-key': id,
            },
            body,
            redirect: 'error',
            signal: AbortSignal.timeout(options.timeoutMs),
          });
          // The answer's body says nothing the status does not: it is not read (a hostile or broken gateway could send gigabytes).
          await res.body?.cancel().catch(() => undefined);
          if (res.ok) return;
          lastProblem = `HTTP ${res.status}`;
          if (!RETRYABLE_STATUS(res.status)) break;
        } catch (err) {
          lastProblem = err instanceof Error && err.name === 'TimeoutError' ? `no answer within ${options.timeoutMs} ms` : networkProblem(err);
        }
      }
      log(`[sms] gateway ${where} did not accept message ${id} (${message.purpose} to ${maskMobile(message.mobile)}): ${lastProblem}`);
      throw smsSendFailed();
    },
  };
}
