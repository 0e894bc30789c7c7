/**
 * The routing of a contract as the database has it, in the shape the lifecycle workflow keeps
 * (domain/contracts/routing.ts): loaded at activation and after a signing attempt whose outcome is
 * unknown (the workflow adopts it).
 */
import type { EntityManager } from '@mikro-orm/core';
import { findRow, findRows } from '../persistence/plain-rows';
import { loadContract, type ContractWithSigners } from './contract-access';
import type { ContractSigner } from './contract-signer.entity';
import type { ContractStatus, VoidReason } from './contract-status';
import { ContractSchema } from './contract.entity';
import { DocumentVersionSchema } from './document-version.entity';
import { WillingnessConfirmationSchema } from './willingness-confirmation.entity';
import type { RoutingParticipant } from './routing';

export interface RoutingSnapshot {
  status: ContractStatus;
  voidReason: VoidReason | null;
  initiatorId: string;
  participants: RoutingParticipant[];
  /** participantId → the document version its (last) committed signature produced. */
  documentVersions: Record<string, number>;
  /**
   * Asked with a 意愿认证 confirmation id (a sign request with rounds): whether that request
   * committed (the confirmation is used in the commit's transaction) and the participant's last
   * document version then.
   */
  confirmation?: { used: boolean; documentVersion: number | null };
}

export const toRoutingParticipant = (s: ContractSigner): RoutingParticipant => ({ participantId: s.id, step: s.step, status: s.status, canRefuse: s.canRefuse });

export async function loadRouting(em: EntityManager, contractId: string, confirmationId?: string): Promise<RoutingSnapshot> {
  const routing = await findRouting(em, contractId, confirmationId);
  if (!routing) throw new Error(`Contract ${contractId} not found`);
  return routing;
}

/** `loadRouting`, or null when the contract does not exist. */
export async function findRouting(em: EntityManager, contractId: string, confirmationId?: string): Promise<RoutingSnapshot | null> {
  const found = await loadContract(em, contractId);
  if (!found) return null;
  return routingOf(em, found, confirmationId);
}

/** The routing snapshot of a contract already read (its signature versions are read here). */
export async function routingOf(em: EntityManager, found: ContractWithSigners, confirmationId?: string): Promise<RoutingSnapshot> {
  const contractId = found.contract.id;
  const versions = await findRows(em, DocumentVersionSchema, { contractId }, { orderBy: [['version', 'asc']] });
  const documentVersions: Record<string, number> = {};
  for (const v of versions) if (v.signerId) documentVersions[v.signerId] = v.version;
  return {
    status: found.contract.status,
    voidReason: found.contract.voidReason,
    initiatorId: found.contract.initiatorId,
    participants: found.signers.map(toRoutingParticipant),
    documentVersions,
    ...(confirmationId ? { confirmation: await confirmationOutcome(em, contractId, confirmationId, documentVersions) } : {}),
  };
}

async function confirmationOutcome(em: EntityManager, contractId: string, confirmationId: string, versions: Record<string, number>): Promise<NonNullable<RoutingSnapshot['confirmation']>> {
  const c = await findRow(em, WillingnessConfirmationSchema, { id: confirmationId, contractId });
  if (!c?.usedAt) return { used: false, documentVersion: null };
  const contract = await findRow(em, ContractSchema, { id: contractId });
  if (!contract) throw new Error(`Contract ${contractId} not found`);
  return { used: true, documentVersion: versions[c.signerId] ?? contract.documentVersion };
}
