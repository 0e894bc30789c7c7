// 模板字段管理 (M20): the field library of the acting party (/api/template-fields).
import { apiFetch } from '../../../../ui-shared/src/api/apiFetch';
import type { TemplateFieldType } from '../manage/types';

export interface LibraryField {
  id: string;
  name: string;
  type: TemplateFieldType;
  required: boolean;
  maxLength: number | null;
  defaultValue: string | null;
}

export type LibraryFieldInput = Omit<LibraryField, 'id'>;

export const LIBRARY_URL = '/api/template-fields';

export const listLibraryFields = (signal?: AbortSignal) => apiFetch<{ data: LibraryField[]; total: number }>(LIBRARY_URL, { signal });
export const createLibraryField = (body: LibraryFieldInput) => apiFetch<LibraryField>(LIBRARY_URL, { method: 'POST', body });
export const updateLibraryField = (id: string, body: LibraryFieldInput) => apiFetch<LibraryField>(`${LIBRARY_URL}/${encodeURIComponent(id)}`, { method: 'PUT', body });
export const deleteLibraryField = (id: string) => apiFetch<null>(`${LIBRARY_URL}/${encodeURIComponent(id)}`, { method: 'DELETE' });
