import { EntitySchema, type Opt } from '@mikro-orm/core';
import { references } from '../persistence/references';

/**
 * 抄送: a number the initiator copied the contract to; its user may view and download the contract but not sign it.
 * A number without an account is accepted like any other (a start tells nothing about whose number it is): its row
 * has no user, the number gets one SMS notice once the contract is 签署中 (`invited`, invitations.ts), and the row is
 * bound to the number's owner when they pass 实名认证 (`claimContractInvitations`). A row without a user grants nothing.
 */
export interface ContractCc {
  id: string;
  contractId: string;
  /** The recipient's account; null while the number is not registered (and verified) yet. */
  userId: string | null;
  /** The number as the initiator entered it. */
  mobile: string;
  /** Shown to everyone: the masked number. */
  name: string;
  /** The SMS notice to an unregistered number was sent (or counted as sent: past the number's notice budget). */
  invited: Opt<boolean>;
  createdAt: Date;
}

export const ContractCcSchema = new EntitySchema<ContractCc>({
  name: 'ContractCc',
  tableName: 'contract_cc',
  // Duplicates are refused by the spec (DUPLICATE_CC).
  uniques: [{ properties: ['contractId', 'mobile'] }],
  /** The reconciler's look for CC notices a start never sent (unbound, not invited: invitations.ts). */
  indexes: [{ properties: ['userId', 'invited'] }],
  properties: {
    id: { type: 'string', length: 36, primary: true },
    contractId: references('Contract', 'contract_id'),
    userId: references('User', 'user_id', { index: true, nullable: true }),
    /** Indexed: rows without a user are claimed by mobile at 实名认证. */
    mobile: { type: 'string', length: 20, index: true },
    name: { type: 'string', length: 100 },
    invited: { type: 'boolean', default: false },
    createdAt: { type: 'datetime' },
  },
});
