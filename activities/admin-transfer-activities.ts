/** Activities of the AdminTransferWorkflow: thin adapters to domain/enterprises/admin-transfer.ts. */
import type { EntityManager, MikroORM } from '@mikro-orm/core';
import { checkTransferCode, completeTransfer, endTransfer, sendTransferCode, type TransferParty, type TransferEndOutcome } from '../domain/enterprises/admin-transfer';
import type { AdminTransferStatus } from '../domain/enterprises/admin-change.entities';
import type { SmsSender } from '../integrations/sms';
import { ApplicationFailure } from '@temporalio/common';
import { AppError } from '../domain/errors';
import { asActivityFailure } from './activity-errors';

export interface AdminTransferActivityDeps {
  orm: MikroORM;
  sms(em: EntityManager): SmsSender;
}

export function createAdminTransferActivities(deps: AdminTransferActivityDeps) {
  const em = () => deps.orm.em.fork();
  return {
    /**
     * `sent: false` with the row's status when the row is past that party's turn (nothing sent). A retried
     * attempt within the resend cooldown of this transfer's code (the first attempt got as far as the code, then
     * failed or timed out) is retried once the cooldown is over, not refused: SMS_COOLDOWN is not a reason to fail
     * the transfer. The next attempt sends a fresh code (the newest one counts).
     */
    async sendTransferCode(input: { transferId: string; party: TransferParty }): Promise<{ sent: boolean; status: AdminTransferStatus }> {
      const e = em();
      return asActivityFailure(() =>
        sendTransferCode(e, deps.sms(e), input.transferId, input.party).catch((err: unknown) => {
          if (!(err instanceof AppError) || err.code !== 'SMS_COOLDOWN') throw err;
          const seconds = Number(err.details?.retryAfterSeconds ?? 60);
          throw ApplicationFailure.create({ type: 'SMS_COOLDOWN', message: 'the code of this transfer was sent moments ago; retried after the resend cooldown', nonRetryable: false, nextRetryDelay: `${seconds} seconds` });
        }),
      );
    },
    async checkTransferCode(input: { transferId: string; party: TransferParty; submissionId: string }) {
      return asActivityFailure(() => checkTransferCode(em(), input.transferId, input.party, input.submissionId));
    },
    /** Re-checks the parties, then swaps administrators; `ok: false` with a reason when the re-check fails (the row is ended). */
    async completeTransfer(input: { transferId: string }): Promise<{ ok: true } | { ok: false; reason: string }> {
      return asActivityFailure(() => completeTransfer(em(), input.transferId));
    },
    async endTransfer(input: { transferId: string; outcome: TransferEndOutcome; reason: string | null }): Promise<void> {
      await asActivityFailure(() => endTransfer(em(), input.transferId, input.outcome, input.reason));
    },
  };
}

export type AdminTransferActivities = ReturnType<typeof createAdminTransferActivities>;
