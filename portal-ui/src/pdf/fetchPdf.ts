// The bytes of a PDF the API serves (same origin, with the session cookie), read before pdf.js sees them: a
// refusal or a lost connection is an ApiError with the message in the UI's language, like every other call
// (pdf.js fetching the URL itself reported "Unexpected server response (503) while retrieving PDF …").
import { ApiError, localizedErrorMessage } from '../../../ui-shared/src/api/apiFetch';
import { getUiLocale } from '../../../ui-shared/src/api/locale';
import { IDENTITY_CODES, identityMayHaveChanged } from '../../../ui-shared/src/auth/identityEvents';

/** apiFetch's words for a request that got no answer (its FALLBACK.network). */
const NETWORK = { 'zh-CN': '网络错误，请检查连接后重试', en: 'Network error, please check your connection' } as const;

/** GET `url` → its bytes; throws ApiError (status 0, code NETWORK, when there was no answer), or the AbortError once `signal` aborted. */
export async function fetchPdfBytes(url: string, signal?: AbortSignal): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url, { credentials: 'include', signal, headers: { Accept: 'application/pdf, application/json', 'Accept-Language': getUiLocale() } });
  } catch (e) {
    if (signal?.aborted) throw e;
    throw new ApiError(NETWORK[getUiLocale()], 0, 'NETWORK', null);
  }
  if (!response.ok) {
    const text = await response.text().catch(() => '');
    let body: unknown = text || null;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON (e.g. a proxy's page): the status is all there is
    }
    const code = (body as { error?: { code?: string } } | null)?.error?.code;
    if (response.status === 403 && code && IDENTITY_CODES.has(code)) identityMayHaveChanged();
    const retryAfter = Number(response.headers.get('Retry-After'));
    throw new ApiError(localizedErrorMessage(body, response.status), response.status, code, body, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined);
  }
  return new Uint8Array(await response.arrayBuffer());
}
