import type { AppConfig } from '../../config';
import { CaRefusal, type CaOrderGateway, type CaOrderRequest, type CaOrderSnapshot } from './ca-order-gateway';

/**
 * The CA adapter over HTTP: the machine API of the CA order service (ca-service/, see its
 * http/api-routes.ts). JSON, `Authorization: Bearer <CA_SERVICE_API_KEY>`, one timeout per request.
 *
 * Error mapping (the workflow's retry policy depends on it):
 * - 400 / 404 / 409 / 422 with `{ error: { code, message, messageEn } }` → `CaRefusal` (a business
 *   answer: final, not retried, shown to the user);
 * - everything else — network errors, timeouts, 401/403 (wrong API key: a configuration problem
 *   an operator fixes), 408, 429, 5xx, unreadable answers → a plain `Error` (infrastructure, retried).
 */
export interface HttpCaOrderGatewayOptions {
  baseUrl: string;
  apiKey: string;
  timeoutMs: number;
  fetch?: typeof fetch;
}

const REFUSAL_STATUSES = new Set([400, 404, 409, 422]);

interface ErrorBody {
  error?: { code?: unknown; message?: unknown; messageEn?: unknown };
}

export function createHttpCaOrderGateway(options: HttpCaOrderGatewayOptions): CaOrderGateway {
  const base = options.baseUrl.replace(/\/+$/, '');
  const doFetch = options.fetch ?? fetch;

  async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
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
    const text = await res.text().catch(() => '');
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (res.ok) {
      if (json === undefined) throw new Error(`${what}: HTTP ${res.status} without a JSON body`);
      return json as T;
    }
    const error = (json as ErrorBody | undefined)?.error;
    if (REFUSAL_STATUSES.has(res.status) && typeof error?.code === 'string') {
      const zh = typeof error.message === 'string' ? error.message : error.code;
      const en = typeof error.messageEn === 'string' ? error.messageEn : error.code;
      throw new CaRefusal(error.code, zh, en);
    }
    if (res.status === 401 || res.status === 403) throw new Error(`${what}: HTTP ${res.status} (CA_SERVICE_API_KEY does not match the CA service's)`);
    throw new Error(`${what}: HTTP ${res.status}${typeof error?.code === 'string' ? ` ${error.code}` : ''}`);
  }

  const id = (caOrderId: string) => encodeURIComponent(caOrderId);

  return {
    submit: (req: CaOrderRequest) => call<CaOrderSnapshot>('POST', '/api/orders', req),
    get: (caOrderId) => call<CaOrderSnapshot>('GET', `/api/orders/${id(caOrderId)}`),
    cancel: (caOrderId, reason) => call<CaOrderSnapshot>('POST', `/api/orders/${id(caOrderId)}/cancel`, { reason }),
    async applicantUrl(caOrderId) {
      const { url } = await call<{ url: string }>('POST', `/api/orders/${id(caOrderId)}/applicant-url`, {});
      return url;
    },
    async revokeCertificate(serialNumber, reason) {
      await call<unknown>('POST', `/api/certificates/${encodeURIComponent(serialNumber)}/revoke`, { reason });
    },
  };
}

/** The platform's CA adapter from configuration (CA_ORDER_SERVICE_URL, CA_SERVICE_API_KEY, CA_ORDER_TIMEOUT_MS). */
export function createCaOrderGateway(config: Pick<AppConfig, 'caOrders'>): CaOrderGateway {
  return createHttpCaOrderGateway({ baseUrl: config.caOrders.serviceUrl, apiKey: config.caOrders.apiKey, timeoutMs: config.caOrders.timeoutMs });
}
