// 模板字段管理 (M20): the field library of the acting party (/api/template-fields).
import { apiFetch } from '../../../../ui-shared/src/api/apiFetch';
import type { LibraryFieldView } from '../../../../domain/templates/library-fields';

/** A field of the library as /api/template-fields answers it: the fields of the server's view (domain/templates/library-fields.ts) the page reads. */
export type LibraryField = Pick<LibraryFieldView, 'id' | 'name' | 'type' | 'required' | 'maxLength' | 'defaultValue'>;

export type LibraryFieldInput = Omit<LibraryField, 'id'>;

export const LIBRARY_URL = '/api/template-fields';

export const listLibraryFields = (signal?: AbortSignal) => apiFetch<{ data: LibraryField[]; total: number }>(LIBRARY_URL, { signal });
export const createLibraryField = (body: LibraryFieldInput) => apiFetch<LibraryField>(LIBRARY_URL, { method: 'POST', body });
export const updateLibraryField = (id: string, body: LibraryFieldInput) => apiFetch<LibraryField>(`${LIBRARY_URL}/${encodeURIComponent(id)}`, { method: 'PUT', body });
export const deleteLibraryField = (id: string) => apiFetch<null>(`${LIBRARY_URL}/${encodeURIComponent(id)}`, { method: 'DELETE' });
