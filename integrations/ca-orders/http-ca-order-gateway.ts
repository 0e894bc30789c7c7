import { z } from 'zod';
import type { AppConfig } from '../../config';
import { CaRefusal, isCaRefusal, type CaOrderGateway, type CaOrderRequest, type CaOrderSnapshot } from './ca-order-gateway';

/**
 * The CA adapter over HTTP: the machine API of the CA order service (ca-service/, see its
 * http/api-routes.ts). JSON, `Authorization: Bearer <CA_SERVICE_API_KEY>`, one timeout per request.
 *
 * Error mapping (the workflow's retry policy depends on it):
 * - 400 / 404 / 409 / 422 with `{ error: { code, message, messageEn } }` → `CaRefusal` (a business
 *   answer: final, not retried, shown to the user);
 * - everything else — network errors, timeouts, 401/403 (wrong API key: a configuration problem
 *   an operator fixes), 408, 429, 5xx, unreadable answers → a plain `Error` (infrastructure, retried).
 *
 * The CA is another party: its answers are checked like user input before anything uses them — a
 * body over MAX_ANSWER_BYTES is not read further, an order snapshot must match its schema (and be
 * the order asked about), and the applicant URL shown to users must be http(s). An answer that fails
 * is an infrastructure error (retried with the workflow's bound), never a half-read order.
 */
export interface HttpCaOrderGatewayOptions {
  baseUrl: string;
  apiKey: string;
  timeoutMs: number;
  fetch?: typeof fetch;
}

const REFUSAL_STATUSES = new Set([400, 404, 409, 422]);
/** What the order row keeps of the CA's reason (certificate-order.entity.ts, rejectReason). */
const MAX_REASON_CHARS = 500;
/** An order with its certificate chain is a few KB. */
export const MAX_ANSWER_BYTES = 256 * 1024;

const isoTime = z.string().max(40).refine((v) => !Number.isNaN(Date.parse(v)), 'not an ISO-8601 time');
const pem = z.string().max(32 * 1024);
const snapshotSchema = z.object({
  caOrderId: z.string().min(1).max(64), // the order row's column
  status: z.enum(['pending_payment', 'paid', 'auditing', 'issued', 'rejected', 'cancelled']),
  amountFen: z.number().int().nonnegative().max(100_000_000),
  // A vendor's reason may be long: kept (cut to what the order row holds), never a reason to refuse the order's answer.
  rejectReason: z.string().max(20_000).transform((r) => [...r].slice(0, MAX_REASON_CHARS).join('')).nullable(),
  certificatePem: pem.nullable(),
  chainPem: z.array(pem).max(8),
  paidAt: isoTime.nullable(),
  auditedAt: isoTime.nullable(),
  issuedAt: isoTime.nullable(),
  updatedAt: isoTime,
  serialNumber: z.string().regex(/^[0-9a-f]{1,64}$/).nullable().optional(),
  platformOrderId: z.string().max(100).optional(),
  cancelledAt: isoTime.nullable().optional(),
  rejectedAt: isoTime.nullable().optional(),
}) satisfies z.ZodType<CaOrderSnapshot>;
const applicantUrlSchema = z.object({ url: z.string().max(2000).refine((u) => URL.canParse(u) && /^https?:$/.test(new URL(u).protocol), 'not an http(s) URL') });

/** A CA error code as the platform passes it on (to users, logs, audit): an identifier. */
const ERROR_CODE = /^[A-Z][A-Z0-9_]{0,63}$/;
/** A CA message as users see it: one line, at most 200 characters. */
const boundedMessage = (m: string) => {
  const line = m.replace(/\s+/g, ' ').trim();
  const chars = [...line];
  return chars.length > 200 ? `${chars.slice(0, 200).join('')}…` : line;
};

/** The answer as `schema` reads it, or an infrastructure error naming what did not fit. */
function checked<T>(what: string, schema: z.ZodType<T>, answer: unknown): T {
  const parsed = schema.safeParse(answer);
  if (!parsed.success) throw new Error(`CA service ${what}: malformed answer (${parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')})`);
  return parsed.data;
}

/** An order snapshot, and the order asked about (`expect`: its CA order id or the platform's order id). */
function snapshot(what: string, answer: unknown, expect: { caOrderId?: string; platformOrderId?: string }): CaOrderSnapshot {
  const order = checked(what, snapshotSchema, answer);
  if (expect.caOrderId !== undefined && order.caOrderId !== expect.caOrderId) throw new Error(`CA service ${what}: answered with order ${order.caOrderId}`);
  if (expect.platformOrderId !== undefined && order.platformOrderId !== undefined && order.platformOrderId !== expect.platformOrderId) throw new Error(`CA service ${what}: answered for platform order ${order.platformOrderId}`);
  return order;
}

/** The body as text, refused past `max` bytes (the rest is not read). */
async function boundedText(res: Response, max: number): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      throw new Error(`answer over ${max} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

interface ErrorBody {
  error?: { code?: unknown; message?: unknown; messageEn?: unknown };
}

export function createHttpCaOrderGateway(options: HttpCaOrderGatewayOptions): CaOrderGateway {
  const base = options.baseUrl.replace(/\/+$/, '');
  const doFetch = options.fetch ?? fetch;

  async function call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
    const what = `CA service ${method} ${path}`;
    let res: Response;
    try {
      res = await doFetch(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${options.apiKey}`, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(options.timeoutMs),
        redirect: 'error',
      });
    } catch (err) {
      const e = err as Error;
      const reason = e.name === 'TimeoutError' ? `no answer within ${options.timeoutMs} ms` : (e.cause as Error | undefined)?.message ?? e.message;
      throw new Error(`${what} failed: ${reason}`);
    }
    let text: string;
    try {
      text = await boundedText(res, MAX_ANSWER_BYTES);
    } catch (err) {
      throw new Error(`${what}: HTTP ${res.status}, unreadable answer (${(err as Error).message})`);
    }
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (res.ok) {
      if (json === undefined) throw new Error(`${what}: HTTP ${res.status} without a JSON body`);
      return json;
    }
    const error = (json as ErrorBody | undefined)?.error;
    // The CA's code and messages reach users and logs: a code is an identifier, a message is bounded text.
    const code = typeof error?.code === 'string' && ERROR_CODE.test(error.code) ? error.code : null;
    if (REFUSAL_STATUSES.has(res.status) && code) {
      const zh = typeof error?.message === 'string' && error.message.trim() ? boundedMessage(error.message) : code;
      const en = typeof error?.messageEn === 'string' && error.messageEn.trim() ? boundedMessage(error.messageEn) : code;
      throw new CaRefusal(code, zh, en);
    }
    if (res.status === 401 || res.status === 403) throw new Error(`${what}: HTTP ${res.status} (CA_SERVICE_API_KEY does not match the CA service's)`);
    throw new Error(`${what}: HTTP ${res.status}${code ? ` ${code}` : ''}`);
  }

  const id = (caOrderId: string) => encodeURIComponent(caOrderId);
  return {
    submit: async (req: CaOrderRequest) => snapshot('submit', await call('POST', '/api/orders', req), { platformOrderId: req.platformOrderId }),
    get: async (caOrderId) => snapshot('get', await call('GET', `/api/orders/${id(caOrderId)}`), { caOrderId }),
    async findByPlatformOrderId(platformOrderId) {
      try {
        return snapshot('find', await call('GET', `/api/orders/by-platform-id/${encodeURIComponent(platformOrderId)}`), { platformOrderId });
      } catch (err) {
        // The CA's own 404 (its error code): no order for this id. Any other failure is the CA's or the network's.
        if (isCaRefusal(err) && err.code === 'ORDER_NOT_FOUND') return null;
        throw err;
      }
    },
    cancel: async (caOrderId, reason) => snapshot('cancel', await call('POST', `/api/orders/${id(caOrderId)}/cancel`, { reason }), { caOrderId }),
    async applicantUrl(caOrderId) {
      return checked('applicant-url', applicantUrlSchema, await call('POST', `/api/orders/${id(caOrderId)}/applicant-url`, {})).url;
    },
    async revokeCertificate(serialNumber, reason) {
      await call('POST', `/api/certificates/${encodeURIComponent(serialNumber)}/revoke`, { reason });
    },
  };
}

/** The platform's CA adapter from configuration (CA_ORDER_SERVICE_URL, CA_SERVICE_API_KEY, CA_ORDER_TIMEOUT_MS). */
export function createCaOrderGateway(config: Pick<AppConfig, 'caOrders'>): CaOrderGateway {
  return createHttpCaOrderGateway({ baseUrl: config.caOrders.serviceUrl, apiKey: config.caOrders.apiKey, timeoutMs: config.caOrders.timeoutMs });
}
