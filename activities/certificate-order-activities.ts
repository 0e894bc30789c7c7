/**
 * Activities of the CertificateOrderWorkflow: thin adapters to domain/certificates
 * (certificate-order-progress.ts, store-issued-certificate.ts) with the CA adapter. Failures are
 * classified once (activity-errors.ts): a CA refusal (CaRefusal) or a business rule (AppError) is
 * final and carries its zh-CN/English message to the Update caller; network failures and 5xx from
 * the CA are retried under the workflow's bounded policy.
 */
import type { MikroORM } from '@mikro-orm/core';
import { cancelCertificateOrder, pollCertificateOrder, submitCertificateOrder, type OrderProgress } from '../domain/certificates/certificate-order-progress';
import { storeIssuedCertificate } from '../domain/certificates/store-issued-certificate';
import type { CertificateAuthority } from '../integrations/ca/certificate-authority';
import type { CaOrderGateway } from '../integrations/ca-orders/ca-order-gateway';
import { asActivityFailure } from './activity-errors';

export interface CertificateOrderActivityDeps {
  orm: MikroORM;
  gateway: CaOrderGateway;
  ca: Pick<CertificateAuthority, 'chainPem'>;
  masterKey: string;
}

export function createCertificateOrderActivities(deps: CertificateOrderActivityDeps) {
  const em = () => deps.orm.em.fork();
  return {
    /** Key pair + CSR (encrypted key stored on the order), then the CA order; idempotent. */
    async submitOrder(input: { orderId: string }): Promise<OrderProgress> {
      return asActivityFailure(() => submitCertificateOrder(em(), deps.gateway, deps.masterKey, input.orderId));
    },
    async pollOrder(input: { orderId: string }): Promise<OrderProgress> {
      return asActivityFailure(() => pollCertificateOrder(em(), deps.gateway, input.orderId));
    },
    /** `userId` null: the platform (unpaid deadline). A CA refusal is final (business). */
    async cancelOrder(input: { orderId: string; userId: string | null; reason: string }): Promise<OrderProgress> {
      return asActivityFailure(() => cancelCertificateOrder(em(), deps.gateway, input.orderId, input.userId, input.reason));
    },
    async storeCertificate(input: { orderId: string }): Promise<OrderProgress> {
      return asActivityFailure(() => storeIssuedCertificate(em(), deps.gateway, deps.ca, deps.masterKey, input.orderId));
    },
  };
}

export type CertificateOrderActivities = ReturnType<typeof createCertificateOrderActivities>;
