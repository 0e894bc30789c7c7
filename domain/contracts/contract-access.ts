import type { EntityManager } from '@mikro-orm/core';
import { notFound } from '../errors';
import { ContractSignerSchema, type ContractSigner } from './contract-signer.entity';
import { ContractSchema, type Contract } from './contract.entity';

export interface ContractWithSigners {
  contract: Contract;
  signers: ContractSigner[];
}

export const contractNotFound = () => notFound('CONTRACT_NOT_FOUND', '合同不存在或无权查看', 'Contract not found');

/** Whether a user takes part in a contract (initiator or signer). */
export function takesPart(c: ContractWithSigners, userId: string): boolean {
  return c.contract.initiatorId === userId || c.signers.some((s) => s.userId === userId);
}

export async function loadContract(em: EntityManager, id: string): Promise<ContractWithSigners | null> {
  const contract = await em.findOne(ContractSchema, { id });
  if (!contract) return null;
  const signers = await em.find(ContractSignerSchema, { contractId: id }, { orderBy: { order: 'asc' } });
  return { contract, signers };
}

/**
 * Loads a contract for a participant. Another user's contract is reported as not found,
 * exactly like a missing one, so ids cannot be probed; so is a contract still 创建中 (its start
 * has not finished and may yet be undone).
 */
export async function loadContractForParticipant(em: EntityManager, id: string, userId: string): Promise<ContractWithSigners> {
  const found = await loadContract(em, id);
  if (!found || found.contract.status === 'starting' || !takesPart(found, userId)) throw contractNotFound();
  return found;
}
