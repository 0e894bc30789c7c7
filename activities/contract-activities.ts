/**
 * Activities of the contract signing workflow: thin adapters from the workflow to the domain.
 * Each call gets its own EntityManager; failures are classified once (activity-errors.ts).
 */
import type { MikroORM } from '@mikro-orm/core';
import { applySignature, type ApplySignatureInput } from '../domain/contracts/apply-signature';
import { ContractSignerSchema } from '../domain/contracts/contract-signer.entity';
import { DocumentVersionSchema } from '../domain/contracts/document-version.entity';
import { activateContract, closeContract, type ActivationResult, type CloseOutcome, type CloseRequest } from '../domain/contracts/finish-contract';
import type { CertificateAuthority } from '../integrations/ca/certificate-authority';
import type { DocumentStore } from '../integrations/storage/document-store';
import { asActivityFailure } from './activity-errors';
import { withHeartbeat } from './heartbeat';

export interface ContractActivityDeps {
  orm: MikroORM;
  store: DocumentStore;
  ca: CertificateAuthority;
  masterKey: string;
}

export function createContractActivities(deps: ContractActivityDeps) {
  const em = () => deps.orm.em.fork();
  return {
    /** Stamps and signs for one signer (heartbeats; safe to retry and to run twice). */
    async applySignature(input: ApplySignatureInput): Promise<{ documentVersion: number }> {
      return asActivityFailure(() => withHeartbeat((signal) => applySignature({ em: em(), store: deps.store, ca: deps.ca, masterKey: deps.masterKey, signal }, input)));
    },
    /** 创建中 → 签署中 (if the API has not done it yet); 'missing' if the start was abandoned. */
    async activateContract(input: { contractId: string }): Promise<ActivationResult> {
      return asActivityFailure(() => activateContract(em(), input.contractId));
    },
    /** Ends the contract from what the database committed; the workflow adopts the outcome. */
    async closeContract(input: CloseRequest): Promise<CloseOutcome> {
      return asActivityFailure(() => closeContract(em(), input));
    },
    /** Signatures committed in the database (after a signing attempt whose outcome is unknown). */
    async signedSigners(input: { contractId: string }): Promise<{ signerId: string; documentVersion: number }[]> {
      return asActivityFailure(async () => {
        const e = em();
        const signed = await e.find(ContractSignerSchema, { contractId: input.contractId, status: 'signed' });
        const versions = await e.find(DocumentVersionSchema, { contractId: input.contractId, signerId: { $in: signed.map((s) => s.id) } });
        return versions.map((v) => ({ signerId: v.signerId!, documentVersion: v.version }));
      });
    },
    /** Pre-hardening workflows (contract-signing.legacy.ts) still call these two. */
    async completeContract(input: { contractId: string }): Promise<void> {
      await asActivityFailure(() => closeContract(em(), { contractId: input.contractId, voidReason: null }));
    },
    async expireContract(input: { contractId: string }): Promise<void> {
      await asActivityFailure(() => closeContract(em(), { contractId: input.contractId, voidReason: 'expired' }));
    },
  };
}

export type ContractActivities = ReturnType<typeof createContractActivities>;
