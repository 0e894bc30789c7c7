// Calls of 从模板发起 that are not plain JSON GETs.
import { apiRequest, fetchBlob } from '../../../../ui-shared/src/api/apiFetch';
import type { FieldValues } from './startModel';

/** POST /api/templates/:id/preview: the document generated with these values (a PDF). */
export function fetchPreview(templateId: string, values: FieldValues, signal?: AbortSignal): Promise<Blob> {
  return fetchBlob(`/api/templates/${encodeURIComponent(templateId)}/preview`, { json: { values }, accept: 'application/pdf, application/json', signal });
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
