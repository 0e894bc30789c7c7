import { EntitySchema } from '@mikro-orm/core';
import { references } from '../persistence/references';

/**
 * 意愿认证: proof that a signer confirmed (by SMS code) that they want to sign one contract.
 * Created by the API after the code checks out, consumed once by the signing activity.
 */
export interface WillingnessConfirmation {
  id: string;
  contractId: string;
  signerId: string;
  userId: string;
  method: 'sms';
  confirmedAt: Date;
  usedAt: Date | null;
  /** Where the signer confirmed from; the signature's audit row carries it. */
  ip: string | null;
  /**
   * Hash of the SMS code that produced it (as the challenge stores it), so that the SAME request
   * sent again (after 503, 202 or a refusal that did not use it) finds it instead of failing on the
   * consumed code. Cleared on a wrong guess: one try only.
   */
  codeHash: string | null;
  /**
   * Set when a retryable failure replaced this confirmation by a copy (`renewConfirmation`): it can no longer be
   * used, so an attempt of the failed request still running cannot commit beside the retry's (one code, one signature).
   */
  supersededAt?: Date | null;
  /**
   * Until when a signature may use it; null: `confirmedAt` + CONFIRMATION_SIGN_MS. A 批量签署 item's confirmation,
   * made when the item is signed (its SMS code was confirmed earlier, for the whole batch), counts from then.
   */
  usableUntil?: Date | null;
}

/**
 * How long a 意愿认证 may be used by its signature: the API's reuse window for the same code (CONFIRMATION_REUSE_MS,
 * 10 minutes) plus the time a signing request waits for its outcome. The confirmation's id travels in the workflow's
 * sign Update (and so in its history): past this, an Update replayed (an operator's Reset days later) or sent again by
 * anyone who read the history signs nothing.
 */
export const CONFIRMATION_SIGN_MS = 15 * 60_000;

/** Whether a signature may use the confirmation at `now`: not used, not replaced by a retry's copy, within its window. */
export function confirmationUsable(c: Pick<WillingnessConfirmation, 'confirmedAt' | 'usedAt' | 'supersededAt' | 'usableUntil'>, now: Date): boolean {
  const until = c.usableUntil ?? new Date(c.confirmedAt.getTime() + CONFIRMATION_SIGN_MS);
  return !c.usedAt && !c.supersededAt && until.getTime() > now.getTime();
}

export const WillingnessConfirmationSchema = new EntitySchema<WillingnessConfirmation>({
  name: 'WillingnessConfirmation',
  tableName: 'willingness_confirmations',
  properties: {
    id: { type: 'string', length: 36, primary: true },
    contractId: references('Contract', 'contract_id', { index: true }),
    signerId: references('ContractSigner', 'signer_id'),
    userId: references('User', 'user_id'),
    method: { type: 'string', length: 20 },
    confirmedAt: { type: 'datetime' },
    usedAt: { type: 'datetime', nullable: true },
    ip: { type: 'string', length: 64, nullable: true },
    codeHash: { type: 'string', length: 64, nullable: true },
    supersededAt: { type: 'datetime', length: 3, nullable: true },
    usableUntil: { type: 'datetime', length: 3, nullable: true },
  },
});
