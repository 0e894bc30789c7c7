/** Activities of the AdminTransferWorkflow: thin adapters to domain/enterprises/admin-transfer.ts. */
import type { EntityManager, MikroORM } from '@mikro-orm/core';
import { checkTransferCode, completeTransfer, endTransfer, sendTransferCode, type TransferParty } from '../domain/enterprises/admin-transfer';
import type { SmsSender } from '../integrations/sms';
import { asActivityFailure } from './activity-errors';

export interface AdminTransferActivityDeps {
  orm: MikroORM;
  sms(em: EntityManager): SmsSender;
}

export function createAdminTransferActivities(deps: AdminTransferActivityDeps) {
  const em = () => deps.orm.em.fork();
  return {
    async sendTransferCode(input: { transferId: string; party: TransferParty }): Promise<void> {
      const e = em();
      await asActivityFailure(() => sendTransferCode(e, deps.sms(e), input.transferId, input.party));
    },
    async checkTransferCode(input: { transferId: string; party: TransferParty; submissionId: string }) {
      return checkTransferCode(em(), input.transferId, input.party, input.submissionId);
    },
    async completeTransfer(input: { transferId: string }): Promise<void> {
      await completeTransfer(em(), input.transferId);
    },
    async endTransfer(input: { transferId: string; outcome: 'expired' | 'cancelled' }): Promise<void> {
      await endTransfer(em(), input.transferId, input.outcome);
    },
  };
}

export type AdminTransferActivities = ReturnType<typeof createAdminTransferActivities>;
