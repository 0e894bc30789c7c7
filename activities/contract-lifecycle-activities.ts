/**
 * Activities of the ContractLifecycleWorkflow (v2 contracts): thin adapters from the workflow to the
 * domain. Each call gets its own EntityManager; failures are classified once (activity-errors.ts).
 * The close (`closeContract`) is shared with v1 (contract-activities.ts): it is lifecycle-aware.
 */
import type { EntityManager, MikroORM } from '@mikro-orm/core';
import { applySignature } from '../domain/contracts/apply-signature';
import { notifyContractEvent, type ContractNotice } from '../domain/contracts/contract-notifications';
import { activateContract, type ActivationResult } from '../domain/contracts/finish-contract';
import { refuseContract, type RefuseInput } from '../domain/contracts/refuse-contract';
import { revokeContract, type RevokeInput } from '../domain/contracts/revoke-contract';
import { findRouting, loadRouting, type RoutingSnapshot } from '../domain/contracts/routing-snapshot';
import { urgeContract, type UrgeInput } from '../domain/contracts/urge-contract';
import type { CertificateAuthority } from '../integrations/ca/certificate-authority';
import type { SmsSender } from '../integrations/sms';
import type { DocumentStore } from '../integrations/storage/document-store';
import type { EndResult, PlacedMark, UrgeResult } from '../workflows/contract-lifecycle-api';
import { asActivityFailure } from './activity-errors';
import { withHeartbeat } from './heartbeat';

export type { ContractNotice } from '../domain/contracts/contract-notifications';

export interface ContractLifecycleActivityDeps {
  orm: MikroORM;
  store: DocumentStore;
  ca: CertificateAuthority;
  masterKey: string;
  sms(em: EntityManager): SmsSender;
}

export interface SignForParticipantInput {
  contractId: string;
  participantId: string;
  actorUserId: string;
  confirmationId: string;
  marks?: PlacedMark[];
  /** 结束签署 (default) / 继续签署 (false). */
  finish?: boolean;
}

export type LifecycleActivation = RoutingSnapshot & { result: ActivationResult };

export function createContractLifecycleActivities(deps: ContractLifecycleActivityDeps) {
  const em = () => deps.orm.em.fork();
  return {
    /** 创建中 → 签署中 (if the API has not done it yet) and the routing as the database has it; 'missing' if the start was abandoned. */
    async activateLifecycle(input: { contractId: string }): Promise<LifecycleActivation> {
      return asActivityFailure(async () => {
        // Usually the API activated it right after the start: then the routing read is the whole answer.
        const seen = await findRouting(em(), input.contractId);
        if (seen && seen.status !== 'starting') return { result: 'already_active', ...seen };
        const result = await activateContract(em(), input.contractId);
        if (result === 'missing') return { result, status: 'voided', voidReason: null, initiatorId: '', participants: [], documentVersions: {} };
        return { result, ...(await loadRouting(em(), input.contractId)) };
      });
    },
    /** Stamps the participant's marks and signs (heartbeats; safe to retry and to run twice); the last signature also completes the contract (`closed`). */
    async signForParticipant(input: SignForParticipantInput): Promise<{ documentVersion: number; stepAdvanced: number | null; completed: boolean; round?: number; finished?: boolean; closed?: boolean }> {
      return asActivityFailure(() => withHeartbeat((signal) => applySignature({ em: em(), store: deps.store, ca: deps.ca, masterKey: deps.masterKey, signal }, input)));
    },
    /** Participants and committed signatures as the database has them (after an attempt whose outcome is unknown); with a confirmation id: whether that request committed. */
    async participantStates(input: { contractId: string; confirmationId?: string }): Promise<RoutingSnapshot> {
      return asActivityFailure(() => loadRouting(em(), input.contractId, input.confirmationId));
    },
    /** 拒签: voids the contract (reason refused) if it is still 签署中. */
    async refuseContract(input: RefuseInput): Promise<EndResult> {
      return asActivityFailure(() => refuseContract(em(), input));
    },
    /** 撤销 by the initiator: voids the contract (reason revoked) if it is still 签署中. */
    async revokeContract(input: RevokeInput): Promise<EndResult> {
      return asActivityFailure(() => revokeContract(em(), input));
    },
    /** 催办: rate-limited per participant (atomic conditional UPDATE); notifies those urged. */
    async urgeContract(input: UrgeInput): Promise<UrgeResult> {
      return asActivityFailure(() => urgeContract({ em: em(), sms: deps.sms }, input));
    },
    /** SMS + 站内消息 for a step that started, or for the end of the contract. */
    async notifyContract(notice: ContractNotice): Promise<{ notified: number }> {
      return asActivityFailure(() => notifyContractEvent({ em: em(), sms: deps.sms }, notice));
    },
  };
}

export type ContractLifecycleActivities = ReturnType<typeof createContractLifecycleActivities>;
