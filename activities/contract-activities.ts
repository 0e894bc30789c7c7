/**
 * Activities of the contract signing workflow: thin adapters from the workflow to the domain.
 * Each call gets its own EntityManager; business refusals become non-retryable failures.
 */
import type { MikroORM } from '@mikro-orm/core';
import { applySignature, type ApplySignatureInput } from '../domain/contracts/apply-signature';
import { completeContract, expireContract } from '../domain/contracts/finish-contract';
import type { CertificateAuthority } from '../integrations/ca/certificate-authority';
import type { DocumentStore } from '../integrations/storage/document-store';
import { asActivityFailure } from './activity-errors';

export interface ContractActivityDeps {
  orm: MikroORM;
  store: DocumentStore;
  ca: CertificateAuthority;
  masterKey: string;
}

export function createContractActivities(deps: ContractActivityDeps) {
  const em = () => deps.orm.em.fork();
  return {
    async applySignature(input: ApplySignatureInput): Promise<{ documentVersion: number }> {
      return asActivityFailure(() => applySignature({ em: em(), store: deps.store, ca: deps.ca, masterKey: deps.masterKey }, input));
    },
    async completeContract(input: { contractId: string }): Promise<void> {
      await completeContract(em(), input.contractId);
    },
    async expireContract(input: { contractId: string }): Promise<void> {
      await expireContract(em(), input.contractId);
    },
  };
}

export type ContractActivities = ReturnType<typeof createContractActivities>;
