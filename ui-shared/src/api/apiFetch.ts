// Same-origin JSON/multipart fetch helper. Failed calls throw ApiError whose message is the
// API's error message in the current UI locale, so notify(error.message) shows it as is.
import { IDENTITY_CODES, identityMayHaveChanged } from '../auth/identityEvents';
import { getUiLocale } from './locale';

interface ApiErrorBody {
  error?: { code?: string; message?: string; messageEn?: string };
}

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string | undefined,
    readonly body: unknown,
    /** Seconds from a Retry-After header (429 responses), if any. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const FALLBACK = {
  'zh-CN': { network: '网络错误，请检查连接后重试', status: (s: number) => `请求失败（HTTP ${s}）` },
  en: { network: 'Network error, please check your connection', status: (s: number) => `Request failed (HTTP ${s})` },
} as const;

export function localizedErrorMessage(body: unknown, status: number): string {
  const locale = getUiLocale();
  const err = (body as ApiErrorBody | null)?.error;
  const message = locale === 'en' ? err?.messageEn || err?.message : err?.message || err?.messageEn;
  return message || FALLBACK[locale].status(status);
}

/** A request that got no answer (refused, offline, dropped), in the UI's language: never the browser's "Failed to fetch". */
export const networkError = () => new ApiError(FALLBACK[getUiLocale()].network, 0, 'NETWORK', null);

/**
 * The ApiError of a non-2xx answer whose body was read as `text` (JSON error, or a proxy's page): the server's message in
 * the UI's language, its code and Retry-After. A 403 naming a changed role or acting identity makes the UI re-read it.
 */
export function errorOfResponse(response: Response, text: string): ApiError {
  const json = parseBody(text);
  const code = (json as ApiErrorBody | null)?.error?.code;
  if (response.status === 403 && code && IDENTITY_CODES.has(code)) identityMayHaveChanged();
  const retryAfter = Number(response.headers.get('Retry-After'));
  return new ApiError(localizedErrorMessage(json, response.status), response.status, code, json, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined);
}

function parseBody(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export interface ApiResponse<T> {
  status: number;
  headers: Headers;
  body: string;
  json: T;
}

/** Low-level call: returns status, headers and parsed body; throws ApiError on non-2xx. */
export async function apiRequest<T = unknown>(url: string, init: RequestInit = {}): Promise<ApiResponse<T>> {
  const headers = new Headers(init.headers);
  if (!headers.has('Accept')) headers.set('Accept', 'application/json');
  if (init.body && typeof init.body === 'string' && !headers.has('Content-Type')) {
    headers.set('Content-Type', 'application/json');
  }
  headers.set('Accept-Language', getUiLocale());
  let response: Response;
  try {
    response = await fetch(url, { ...init, headers, credentials: 'include' });
  } catch {
    throw networkError();
  }
  const text = await response.text();
  if (!response.ok) throw errorOfResponse(response, text);
  const json = parseBody(text) as T;
  return { status: response.status, headers: response.headers, body: text, json };
}

/** JSON call; `body` objects are serialized, FormData is sent as multipart. */
export async function apiFetch<T = unknown>(
  url: string,
  options: { method?: string; body?: unknown; signal?: AbortSignal } = {},
): Promise<T> {
  const { method = options.body === undefined ? 'GET' : 'POST', body, signal } = options;
  const init: RequestInit = { method, signal };
  if (body instanceof FormData) init.body = body;
  else if (body !== undefined) init.body = JSON.stringify(body);
  const { json } = await apiRequest<T>(url, init);
  return json;
}

/**
 * A same-origin call whose answer is a file (PDF, image, .docx): its Blob, typed by the answer's Content-Type. A refusal
 * is the ApiError of its JSON body, a request that got no answer or a download cut short is networkError(); once
 * `signal` aborted, its AbortError is thrown as is. `json` is sent as the request body (POST unless `method` says).
 */
export async function fetchBlob(url: string, options: { method?: string; json?: unknown; accept?: string; signal?: AbortSignal } = {}): Promise<Blob> {
  const { json, signal } = options;
  const headers: Record<string, string> = { Accept: options.accept ?? '*/*', 'Accept-Language': getUiLocale() };
  if (json !== undefined) headers['Content-Type'] = 'application/json';
  const lost = (e: unknown): never => {
    if (signal?.aborted) throw e;
    throw networkError();
  };
  const response = await fetch(url, {
    method: options.method ?? (json === undefined ? 'GET' : 'POST'),
    headers,
    body: json === undefined ? undefined : JSON.stringify(json),
    credentials: 'include',
    signal,
  }).catch(lost);
  if (!response.ok) throw errorOfResponse(response, await response.text().catch(() => ''));
  return response.blob().catch(lost);
}
