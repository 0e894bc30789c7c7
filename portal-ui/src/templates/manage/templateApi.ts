// Calls of the templates management API (/api/templates…). Errors are ApiErrors with the server's localized message.
import { apiFetch, fetchBlob } from '../../../../ui-shared/src/api/apiFetch';
import type { TemplateDefinition, TemplateKind, TemplateShare, TemplateSummary, TemplateView } from './types';

const base = (id: string) => `/api/templates/${encodeURIComponent(id)}`;

/** One page of the list (the API's maximum); more are reached by the filters. */
export const LIST_LIMIT = 200;

export interface TemplateFilters {
  kind?: TemplateKind | '';
  status?: 'draft' | 'published' | '';
  enabled?: 'true' | 'false' | '';
  q?: string;
}

export function listTemplates(filters: TemplateFilters, signal?: AbortSignal) {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(filters)) if (v) params.set(k, String(v).trim());
  params.set('limit', String(LIST_LIMIT));
  return apiFetch<{ data: TemplateSummary[]; total: number }>(`/api/templates?${params.toString()}`, { signal });
}

export function createTemplate(file: File, info: { kind: TemplateKind; name: string; businessType?: string; scenario?: string }) {
  const form = new FormData();
  form.set('info', JSON.stringify(info));
  form.set('file', file);
  return apiFetch<TemplateView>('/api/templates', { method: 'POST', body: form });
}

export const getTemplate = (id: string, signal?: AbortSignal) => apiFetch<TemplateView>(base(id), { signal });

export function updateTemplate(id: string, body: { version: number; name: string; businessType: string | null; scenario: string | null; definition: TemplateDefinition }) {
  return apiFetch<TemplateView>(base(id), { method: 'PUT', body });
}

export function replaceSource(id: string, version: number, file: File) {
  const form = new FormData();
  form.set('version', String(version));
  form.set('file', file);
  return apiFetch<TemplateView>(`${base(id)}/source`, { method: 'PUT', body: form });
}

export const sourceUrl = (id: string, version: number) => `${base(id)}/source?v=${version}`;

export const publishTemplate = (id: string, version: number) => apiFetch<TemplateView>(`${base(id)}/publish`, { method: 'POST', body: { version } });
export const setTemplateEnabled = (id: string, enabled: boolean) => apiFetch<TemplateView>(`${base(id)}/${enabled ? 'enable' : 'disable'}`, { method: 'POST', body: {} });
export const deleteTemplate = (id: string) => apiFetch<null>(base(id), { method: 'DELETE' });

export const listShares = (id: string, signal?: AbortSignal) => apiFetch<TemplateShare[]>(`${base(id)}/shares`, { signal });
export const putShare = (id: string, enterpriseId: string, editable: boolean) =>
  apiFetch(`${base(id)}/shares/${encodeURIComponent(enterpriseId)}`, { method: 'PUT', body: { editable } });
export const deleteShare = (id: string, enterpriseId: string) => apiFetch(`${base(id)}/shares/${encodeURIComponent(enterpriseId)}`, { method: 'DELETE' });

/** POST /templates/:id/preview: the generated PDF (sample values) as bytes. */
export function previewTemplate(id: string): Promise<Blob> {
  return fetchBlob(`${base(id)}/preview`, { json: {}, accept: 'application/pdf, application/json' });
}
