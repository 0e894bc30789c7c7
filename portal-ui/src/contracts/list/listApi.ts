// The calls of the contract lists: one keyset page of a box, 批量下载 (a zip) and batch 催办.
import type { BoxCountsView, ContractListEntryView, ListPageView } from '../../../../domain/contracts/lists/list-entry-view';
import type { UrgedContractView, UrgeRefusalView } from '../../../../domain/contracts/urge-view';
import { ApiError, apiFetch, localizedErrorMessage } from '../../../../ui-shared/src/api/apiFetch';
import { getUiLocale } from '../../../../ui-shared/src/api/locale';
import type { Box } from '../boxes';

/** One row of a box (the list read model), one page of it and the counts: the server's shapes (domain/contracts/lists/list-entry-view.ts). */
export type ContractListEntry = ContractListEntryView;
export type ListPage = ListPageView;
export type BoxCounts = BoxCountsView;

export interface ListFilters {
  q?: string;
  /** in_progress | completed | voided (抄送我的). */
  status?: string;
  /** expired | refused | revoked | revoked_by_platform (已作废). */
  voidReason?: string;
  /** Contains-match on the initiator's (or initiating enterprise's) name. */
  initiator?: string;
  /** yyyy-mm-dd, inclusive (the user's days). */
  from?: string;
  to?: string;
}

export const PAGE_SIZE = 20;
/** POST /contracts/download takes at most this many ids. */
export const MAX_DOWNLOAD = 50;

/** A day typed as yyyy-mm-dd → the ISO instant of its start (from) or of the next day's start (to, exclusive). */
function dayBoundary(day: string, end: boolean): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y!, m! - 1, d! + (end ? 1 : 0)).toISOString();
}

export function listUrl(box: Box, filters: ListFilters, cursor: string | null, limit = PAGE_SIZE): string {
  const params = new URLSearchParams({ box, limit: String(limit) });
  if (filters.q?.trim()) params.set('q', filters.q.trim());
  if (filters.status) params.set('status', filters.status);
  if (filters.voidReason) params.set('voidReason', filters.voidReason);
  if (filters.initiator?.trim()) params.set('initiator', filters.initiator.trim());
  if (filters.from) params.set('from', dayBoundary(filters.from, false));
  if (filters.to) params.set('to', dayBoundary(filters.to, true));
  if (cursor) params.set('cursor', cursor);
  return `/api/contracts?${params.toString()}`;
}

export function fetchListPage(box: Box, filters: ListFilters, cursor: string | null, signal?: AbortSignal): Promise<ListPage> {
  return apiFetch<ListPage>(listUrl(box, filters, cursor), { signal });
}

export function fetchBoxCounts(signal?: AbortSignal): Promise<BoxCounts> {
  return apiFetch<BoxCounts>('/api/contracts/counts', { signal });
}

function fileNameOf(disposition: string | null): string {
  const star = disposition?.match(/filename\*=UTF-8''([^;]+)/i)?.[1];
  if (star) return decodeURIComponent(star);
  return disposition?.match(/filename="?([^";]+)"?/i)?.[1] ?? 'contracts.zip';
}

/** 批量下载: POST /contracts/download → the zip saved through a temporary link. */
export async function downloadZip(ids: string[]): Promise<void> {
  let response: Response;
  try {
    response = await fetch('/api/contracts/download', {
      method: 'POST',
      credentials: 'include',
      headers: { 'Content-Type': 'application/json', Accept: 'application/zip, application/json', 'Accept-Language': getUiLocale() },
      body: JSON.stringify({ ids }),
    });
  } catch {
    throw new ApiError(localizedErrorMessage(null, 0), 0, 'NETWORK', null);
  }
  if (!response.ok) {
    const text = await response.text();
    let body: unknown = null;
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
    throw new ApiError(localizedErrorMessage(body, response.status), response.status, (body as { error?: { code?: string } })?.error?.code, body);
  }
  const blob = await response.blob();
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileNameOf(response.headers.get('Content-Disposition'));
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** One contract's answer inside POST /contracts/urge (domain/contracts/urge-view.ts): its outcome, or the refusal that stopped it. */
export type BatchUrgeItem = Pick<UrgedContractView, 'id'> & Partial<UrgedContractView & UrgeRefusalView>;

/** Batch 催办: POST /contracts/urge { ids } → per-contract outcome. */
export async function urgeMany(ids: string[]): Promise<BatchUrgeItem[]> {
  const raw = await apiFetch<unknown>('/api/contracts/urge', { method: 'POST', body: { ids } });
  const body = raw as { results?: BatchUrgeItem[]; items?: BatchUrgeItem[] } | BatchUrgeItem[];
  return Array.isArray(body) ? body : (body.results ?? body.items ?? []);
}
