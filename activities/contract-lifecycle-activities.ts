/**
 * Activities of the ContractLifecycleWorkflow (v2 contracts): thin adapters from the workflow to the
 * domain. Each call gets its own EntityManager; failures are classified once (activity-errors.ts).
 * The close (`closeContract`) is shared with v1 (contract-activities.ts): it is lifecycle-aware.
 */
import type { EntityManager, MikroORM } from '@mikro-orm/core';
import { applySignature, type ApplySignatureResult } from '../domain/contracts/apply-signature';
import { loadContract, type ContractWithSigners } from '../domain/contracts/contract-access';
import { notifyContractEvent, writeContractNotices, type ContractNotice, type NoticeRows } from '../domain/contracts/contract-notifications';
import { activateContract, type ActivationResult } from '../domain/contracts/finish-contract';
import { refuseContract, type RefuseInput } from '../domain/contracts/refuse-contract';
import { revokeContract, type RevokeInput } from '../domain/contracts/revoke-contract';
import { currentStep } from '../domain/contracts/routing';
import { loadRouting, routingOf, toRoutingParticipant, type RoutingSnapshot } from '../domain/contracts/routing-snapshot';
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
  /** Send the notice the signature leads to after its commit (workflows from FEWER_ACTIVITIES_PATCH on); the result's `notified` says whether it went. */
  notify?: boolean;
}

export type LifecycleActivation = RoutingSnapshot & {
  result: ActivationResult;
  /** Asked with `notify`: the first step's notice is sent (or none is due); absent when not asked or sending failed (the workflow sends it). */
  notified?: true;
};

export function createContractLifecycleActivities(deps: ContractLifecycleActivityDeps) {
  const em = () => deps.orm.em.fork();
  /** The first step's notice at activation, with the rows just read; false when sending failed (the workflow sends it). */
  async function firstStepNoticeSent(found: ContractWithSigners): Promise<boolean> {
    const step = currentStep(found.signers.map(toRoutingParticipant));
    if (found.contract.status !== 'in_progress' || step === null) return true; // none due: the workflow would send none either
    try {
      await notifyContractEvent({ em: em(), sms: deps.sms }, { contractId: found.contract.id, event: 'step_started', step }, new Date(), { contract: found.contract, participants: found.signers });
      return true;
    } catch (err) {
      console.warn(`contract ${found.contract.id}: first step notice not sent at activation, the workflow sends it: ${err instanceof Error ? err.message : String(err)}`);
      return false;
    }
  }
  return {
    /**
     * 创建中 → 签署中 (if the API has not done it yet) and the routing as the database has it; 'missing' if the start was abandoned.
     * With `notify`: also sends the first step's notice (the workflow then has no notify activity to run for it).
     */
    async activateLifecycle(input: { contractId: string; notify?: boolean }): Promise<LifecycleActivation> {
      return asActivityFailure(async () => {
        const e = em();
        // Usually the API activated it right after the start: then the routing read is the whole answer.
        let found = await loadContract(e, input.contractId);
        let result: ActivationResult = 'already_active';
        if (!found || found.contract.status === 'starting') {
          result = await activateContract(em(), input.contractId);
          if (result === 'missing') return { result, status: 'voided', voidReason: null, initiatorId: '', participants: [], documentVersions: {} };
          found = await loadContract(e.fork(), input.contractId);
          if (!found) throw new Error(`Contract ${input.contractId} not found`);
        }
        const routing = await routingOf(e, found);
        return { result, ...routing, ...(input.notify && (await firstStepNoticeSent(found)) ? { notified: true as const } : {}) };
      });
    },
    /** Stamps the participant's marks and signs (heartbeats; safe to retry and to run twice); the last signature also completes the contract (`closed`); with `notify`, the notice it leads to is sent (`notified`): in the signature's transaction when the SMS sender writes rows (the outbox), else after the commit. */
    async signForParticipant(input: SignForParticipantInput): Promise<ApplySignatureResult> {
      const { notify, ...request } = input;
      const e = em();
      // An outbox sender writes rows: the notices then commit with the signature (no transaction of their own).
      const inCommit = notify && deps.sms(e).transactional === true;
      const notices = notify
        ? {
            notify: (notice: ContractNotice, rows: NoticeRows) => notifyContractEvent({ em: em(), sms: deps.sms }, notice, new Date(), rows),
            ...(inCommit ? { notifyInCommit: (tx: EntityManager, notice: ContractNotice, rows: NoticeRows) => writeContractNotices({ sms: deps.sms }, tx, notice, rows, new Date()) } : {}),
          }
        : {};
      return asActivityFailure(() => withHeartbeat((signal) => applySignature({ em: e, store: deps.store, ca: deps.ca, masterKey: deps.masterKey, signal, ...notices }, request)));
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
