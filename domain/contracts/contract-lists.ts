import type { EntityManager, FilterQuery } from '@mikro-orm/core';
import { ContractSignerSchema } from './contract-signer.entity';
import { ContractSchema, type Contract } from './contract.entity';
import type { ContractStatus } from './contract-status';

/** The portal's lists: 待我签署, 待他人签署, 已完成签署, 已作废. */
export const CONTRACT_BOXES = ['todo', 'waiting', 'completed', 'voided'] as const;
export type ContractBox = (typeof CONTRACT_BOXES)[number];

export interface ListQuery {
  q?: string;
  status?: ContractStatus;
  offset: number;
  limit: number;
  orderBy: 'createdAt' | 'expiresAt' | 'title';
  direction: 'asc' | 'desc';
}

async function contractIdsFor(em: EntityManager, userId: string, box: ContractBox | undefined): Promise<FilterQuery<Contract>> {
  if (box === 'todo') {
    const mine = await em.find(ContractSignerSchema, { userId, status: 'pending' }, { fields: ['contractId'] });
    return { id: { $in: mine.map((s) => s.contractId) }, status: 'in_progress' };
  }
  const signing = await em.find(ContractSignerSchema, { userId }, { fields: ['contractId', 'status'] });
  const participant: FilterQuery<Contract> = { $and: [{ $or: [{ initiatorId: userId }, { id: { $in: signing.map((s) => s.contractId) } }] }, { status: { $ne: 'starting' } }] };
  switch (box) {
    case 'waiting': {
      const myTurn = signing.filter((s) => s.status === 'pending').map((s) => s.contractId);
      return { $and: [participant, { status: 'in_progress' }, { id: { $nin: myTurn } }] };
    }
    case 'completed':
      return { $and: [participant, { status: 'completed' }] };
    case 'voided':
      return { $and: [participant, { status: 'voided' }] };
    default:
      return participant;
  }
}

function withQuery(base: FilterQuery<Contract>, q: ListQuery): FilterQuery<Contract> {
  const parts: FilterQuery<Contract>[] = [base];
  if (q.q) parts.push({ title: { $like: `%${q.q.replace(/[%_\\]/g, (c) => `\\${c}`)}%` } });
  if (q.status) parts.push({ status: q.status });
  return { $and: parts };
}

async function page(em: EntityManager, where: FilterQuery<Contract>, q: ListQuery) {
  const [rows, total] = await em.findAndCount(ContractSchema, where, { orderBy: { [q.orderBy]: q.direction }, offset: q.offset, limit: q.limit });
  return { rows, total };
}

/** Contracts a user takes part in, narrowed to one box. */
export async function listContractsForUser(em: EntityManager, userId: string, box: ContractBox | undefined, q: ListQuery) {
  return page(em, withQuery(await contractIdsFor(em, userId, box), q), q);
}

/** Every contract (platform operators). */
export async function listAllContracts(em: EntityManager, q: ListQuery) {
  return page(em, withQuery({}, q), q);
}
