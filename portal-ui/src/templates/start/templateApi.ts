// Calls of 从模板发起 that are not plain JSON GETs.
import { apiRequest, errorOfResponse, networkError } from '../../../../ui-shared/src/api/apiFetch';
import { getUiLocale } from '../../../../ui-shared/src/api/locale';
import type { FieldValues } from './startModel';

/** POST /api/templates/:id/preview: the document generated with these values (a PDF). */
export async function fetchPreview(templateId: string, values: FieldValues, signal?: AbortSignal): Promise<Blob> {
  let response: Response;
  try {
    response = await fetch(`/api/templates/${encodeURIComponent(templateId)}/preview`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/pdf, application/json', 'Accept-Language': getUiLocale() },
      body: JSON.stringify({ values }),
      credentials: 'include',
      signal,
    });
  } catch (e) {
    if (signal?.aborted) throw e;
    throw networkError();
  }
  if (!response.ok) throw errorOfResponse(response, await response.text());
  return response.blob();
}

/** POST /api/contracts/from-template; answers the new contract's id. */
export async function startFromTemplate(body: unknown, idempotencyKey: string): Promise<string> {
  const { json } = await apiRequest<{ id: string }>('/api/contracts/from-template', {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'Idempotency-Key': idempotencyKey },
  });
  return json.id;
}
