/** Activities of the AdminTransferWorkflow: thin adapters to domain/enterprises/admin-transfer.ts. */
import type { EntityManager, MikroORM } from '@mikro-orm/core';
import { checkTransferCode, completeTransfer, endTransfer, readTransferEnd, sendTransferCode, type TransferParty, type TransferEndOutcome } from '../domain/enterprises/admin-transfer';
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
     * `sent: false` with the row's status when the row is past that party's turn (nothing sent). `waitOutCooldown`
     * (the workflow's own sends, not a user's resend): a code of this transfer sent moments ago (an earlier attempt
     * got as far as the code, then failed or timed out; a reset re-running the send) is no reason to fail the
     * transfer: the attempt is retried once the resend cooldown is over and sends a fresh code (the newest counts).
     * A user's resend within the cooldown is refused at once (SMS_COOLDOWN), as in every other code form.
     * `endReason`: the row's (an ended row is adopted by a reset run); absent in answers recorded before it was added.
     */
    async sendTransferCode(input: { transferId: string; party: TransferParty; waitOutCooldown?: boolean }): Promise<{ sent: boolean; status: AdminTransferStatus; endReason?: string | null }> {
      const e = em();
      return asActivityFailure(() =>
        sendTransferCode(e, deps.sms(e), input.transferId, input.party).catch((err: unknown) => {
          if (!input.waitOutCooldown || !(err instanceof AppError) || err.code !== 'SMS_COOLDOWN') throw err;
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
    /** `cancelledBy`: the user id of who cancelled it (the administrator's 取消), the audit row's actor; absent: 系统. */
    async endTransfer(input: { transferId: string; outcome: TransferEndOutcome; reason: string | null; cancelledBy?: string }): Promise<void> {
      await asActivityFailure(() => endTransfer(em(), input.transferId, input.outcome, input.reason, input.cancelledBy ?? null));
    },
    /** The row's status and end reason, read fresh (a cancelled workflow adopts a completion that committed). */
    async readTransferEnd(input: { transferId: string }): Promise<{ status: AdminTransferStatus; endReason: string | null }> {
      return asActivityFailure(() => readTransferEnd(em(), input.transferId));
    },
  };
}

export type AdminTransferActivities = ReturnType<typeof createAdminTransferActivities>;
