import type { Response } from 'express';
import { z } from 'zod';
import { invalid } from '../../domain/errors';

/**
 * The deepest row a list page may start at. An offset is a scan: deeper pages are reached by a filter
 * or the other sort direction. (Unbounded, 1e20 reached the database as a 500 and 1e300 read as 1.)
 */
export const MAX_LIST_OFFSET = 1_000_000;

/** Parses react-admin simple-rest list parameters: filter={}, range=[a,b], sort=[field,dir]. */
export function parseListParams<F extends z.ZodTypeAny, S extends string>(query: Record<string, unknown>, filterSchema: F, sortable: readonly [S, ...S[]], defaultSort: S) {
  const json = (name: string, fallback: unknown) => {
    const raw = query[name];
    if (typeof raw !== 'string' || raw === '') return fallback;
    try {
      return JSON.parse(raw);
    } catch {
      throw invalid('BAD_LIST_PARAMS', `参数 ${name} 格式不正确`, `Malformed ${name} parameter`);
    }
  };
  const filter = filterSchema.safeParse(json('filter', {}));
  if (!filter.success) throw invalid('BAD_FILTER', '筛选条件不正确', 'Invalid filter');
  const bound = z.number().int().min(0).max(MAX_LIST_OFFSET + 199);
  const range = z.tuple([bound, bound]).safeParse(json('range', [0, 24]));
  if (!range.success || range.data[1] < range.data[0] || range.data[0] > MAX_LIST_OFFSET) throw invalid('BAD_RANGE', '分页参数不正确', 'Invalid range');
  const sort = z.tuple([z.string(), z.enum(['ASC', 'DESC', 'asc', 'desc'])]).safeParse(json('sort', [defaultSort, 'DESC']));
  const field = sort.success && (sortable as readonly string[]).includes(sort.data[0]) ? (sort.data[0] as S) : defaultSort;
  const direction = sort.success ? (sort.data[1].toLowerCase() as 'asc' | 'desc') : 'desc';
  const offset = range.data[0];
  const limit = Math.min(range.data[1] - range.data[0] + 1, 200);
  return { filter: filter.data as z.infer<F>, offset, limit, orderBy: field, direction };
}

/** Sends a list page with the Content-Range header react-admin expects. */
export function sendList(res: Response, resource: string, rows: unknown[], offset: number, total: number) {
  const end = rows.length ? offset + rows.length - 1 : offset;
  res.setHeader('Content-Range', `${resource} ${offset}-${end}/${total}`);
  return rows;
}
