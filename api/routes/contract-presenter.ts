import type { EntityManager } from '@mikro-orm/core';
import type { AppConfig } from '../../config';
import { loadContract, type ContractWithSigners } from '../../domain/contracts/contract-access';
import type { Contract } from '../../domain/contracts/contract.entity';
import { ContractSignerSchema } from '../../domain/contracts/contract-signer.entity';
import { contractView } from '../../domain/contracts/contract-view';
import { UserSchema } from '../../domain/identity/user.entity';

/**
 * Turns contract rows into API views, resolving initiator names in one query. `viewerId` is the
 * portal user looking; null means the operators' console, the only view that carries the
 * workflow id and Temporal UI link.
 */
export async function presentContracts(em: EntityManager, config: AppConfig, contracts: Contract[], viewerId: string | null) {
  if (contracts.length === 0) return [];
  const ids = contracts.map((c) => c.id);
  const signers = await em.find(ContractSignerSchema, { contractId: { $in: ids } }, { orderBy: { order: 'asc' } });
  const initiators = await em.find(UserSchema, { id: { $in: [...new Set(contracts.map((c) => c.initiatorId))] } });
  return contracts.map((contract) => {
    const initiatorName = initiators.find((u) => u.id === contract.initiatorId)?.name ?? null;
    return contractView({ contract, signers: signers.filter((s) => s.contractId === contract.id) }, initiatorName, viewerId, viewerId === null ? config.temporal : null);
  });
}

export async function presentContract(em: EntityManager, config: AppConfig, c: ContractWithSigners, viewerId: string | null) {
  const [view] = await presentContracts(em, config, [c.contract], viewerId);
  return view!;
}

export async function reloadAndPresent(em: EntityManager, config: AppConfig, id: string, viewerId: string | null) {
  em.clear();
  const c = await loadContract(em, id);
  return c ? presentContract(em, config, c, viewerId) : null;
}
