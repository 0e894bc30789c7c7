import type { EntityManager, FilterQuery } from '@mikro-orm/core';
import { containsText } from '../persistence/sql-dialect';
import { ContractSchema, type Contract } from './contract.entity';
import type { ContractStatus } from './contract-status';

/**
 * The operators' contract list (管理后台, offset paging over `contracts`). The portal's lists
 * (待我签署 …) read the list read model instead: `lists/list-page.ts`.
 */
export interface ListQuery {
  q?: string;
  status?: ContractStatus;
  offset: number;
  limit: number;
  orderBy: 'createdAt' | 'expiresAt' | 'title';
  direction: 'asc' | 'desc';
}

function withQuery(em: EntityManager, q: ListQuery): FilterQuery<Contract> {
  const parts: FilterQuery<Contract>[] = [];
  if (q.q) parts.push(containsText(em, 'title', q.q));
  if (q.status) parts.push({ status: q.status });
  return parts.length ? { $and: parts } : {};
}

/** Every contract (platform operators). */
export async function listAllContracts(em: EntityManager, q: ListQuery) {
  const [rows, total] = await em.findAndCount(ContractSchema, withQuery(em, q), { orderBy: { [q.orderBy]: q.direction }, offset: q.offset, limit: q.limit });
  return { rows, total };
}
