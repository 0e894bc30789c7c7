import type { EntityManager } from '@mikro-orm/core';
import { notFound } from '../errors';
import { findRow, findRows } from '../persistence/plain-rows';
import { ContractCcSchema } from './contract-cc.entity';
import { ContractSignerSchema, type ContractSigner } from './contract-signer.entity';
import { ContractSchema, type Contract } from './contract.entity';

export interface ContractWithSigners {
  contract: Contract;
  /** The participants (v1: the signers), by `order`. */
  signers: ContractSigner[];
}

/** Who looks at a contract: the user and the enterprise they act for (切换至企业), if any. */
export interface ContractViewer {
  userId: string;
  actingEnterpriseId: string | null;
}

export const contractNotFound = () => notFound('CONTRACT_NOT_FOUND', '合同不存在或无权查看', 'Contract not found');

/**
 * Whether a user takes part in a contract personally: its initiator, or a 个人 participant bound to
 * them. A named operator (经办人) of a 企业 / 部门 participant is not one: they see the contract while
 * acting for that enterprise (an active member: `mayView`), so it is no longer theirs once they leave.
 */
export function takesPart(c: ContractWithSigners, userId: string): boolean {
  return c.contract.initiatorId === userId || c.signers.some((s) => s.kind === 'person' && s.userId === userId);
}

/**
 * Whether the viewer may see the contract, not counting 抄送 (a row lookup): the initiator; a person
 * participant; a member acting as the initiator's enterprise or as an enterprise / department
 * participant's enterprise (a named operator among them).
 */
export function mayView(c: ContractWithSigners, viewer: ContractViewer): boolean {
  if (takesPart(c, viewer.userId)) return true;
  const acting = viewer.actingEnterpriseId;
  if (!acting) return false;
  return c.contract.initiatorEnterpriseId === acting || c.signers.some((s) => s.kind !== 'person' && s.enterpriseId === acting);
}

/**
 * The contract and its participants as the database has them now (in the EntityManager's
 * transaction, if any), as plain rows (persistence/plain-rows.ts): every change to them is a
 * conditional statement, never a flush of these objects.
 */
export async function loadContract(em: EntityManager, id: string): Promise<ContractWithSigners | null> {
  const contract = await findRow(em, ContractSchema, { id });
  if (!contract) return null;
  const signers = await findRows(em, ContractSignerSchema, { contractId: id }, { orderBy: [['order', 'asc']] });
  return { contract, signers };
}

/** Whether `userId` is a 抄送 recipient of the contract (a row without a user, a number not claimed yet, matches nobody). */
export async function isCc(em: EntityManager, contractId: string, userId: string): Promise<boolean> {
  return (await em.count(ContractCcSchema, { contractId, userId })) > 0;
}

/**
 * Loads a contract for a viewer (see `mayView`, plus 抄送 recipients). Anything else is reported
 * as not found, exactly like a missing contract, so ids cannot be probed; so is a contract still
 * 创建中 (its start has not finished and may yet be undone).
 */
export async function loadContractForViewer(em: EntityManager, id: string, viewer: ContractViewer): Promise<ContractWithSigners> {
  const found = await loadContract(em, id);
  if (!found || found.contract.status === 'starting') throw contractNotFound();
  if (mayView(found, viewer) || (await isCc(em, id, viewer.userId))) return found;
  throw contractNotFound();
}

/** `loadContractForViewer` for a user acting as themselves (no enterprise). */
export async function loadContractForParticipant(em: EntityManager, id: string, userId: string): Promise<ContractWithSigners> {
  return loadContractForViewer(em, id, { userId, actingEnterpriseId: null });
}
