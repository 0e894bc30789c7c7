/**
 * The routing of a contract as the database has it, in the shape the lifecycle workflow keeps
 * (domain/contracts/routing.ts): loaded at activation and after a signing attempt whose outcome is
 * unknown (the workflow adopts it).
 */
import type { EntityManager } from '@mikro-orm/core';
import { loadContract } from './contract-access';
import type { ContractSigner } from './contract-signer.entity';
import type { ContractStatus, VoidReason } from './contract-status';
import { DocumentVersionSchema } from './document-version.entity';
import type { RoutingParticipant } from './routing';

export interface RoutingSnapshot {
  status: ContractStatus;
  voidReason: VoidReason | null;
  initiatorId: string;
  participants: RoutingParticipant[];
  /** participantId → the document version its committed signature produced. */
  documentVersions: Record<string, number>;
}

export const toRoutingParticipant = (s: ContractSigner): RoutingParticipant => ({ participantId: s.id, step: s.step, status: s.status, canRefuse: s.canRefuse });

export async function loadRouting(em: EntityManager, contractId: string): Promise<RoutingSnapshot> {
  const found = await loadContract(em, contractId);
  if (!found) throw new Error(`Contract ${contractId} not found`);
  const versions = await em.find(DocumentVersionSchema, { contractId, signerId: { $ne: null } });
  const documentVersions: Record<string, number> = {};
  for (const v of versions) if (v.signerId) documentVersions[v.signerId] = v.version;
  return {
    status: found.contract.status,
    voidReason: found.contract.voidReason,
    initiatorId: found.contract.initiatorId,
    participants: found.signers.map(toRoutingParticipant),
    documentVersions,
  };
}
