import { EntitySchema } from '@mikro-orm/core';
import { references } from '../persistence/references';

/**
 * A contract notice (待签署 of a step, 已完成, 已作废) as sent: written in the transaction that writes
 * the notice's 站内消息 and SMS, under a key that makes sending it again a no-op — an activity retried
 * after its answer was lost, a workflow replayed after an operator's reset, a signature re-run
 * idempotently (contract-notifications.ts `writeContractNotices`).
 */
export interface ContractNoticeSent {
  /** `<contractId>:<noticeKey>` (contractNoticeKey). */
  id: string;
  contractId: string;
  sentAt: Date;
}

export const ContractNoticeSentSchema = new EntitySchema<ContractNoticeSent>({
  name: 'ContractNoticeSent',
  tableName: 'contract_notices_sent',
  properties: {
    id: { type: 'string', length: 80, primary: true },
    contractId: references('Contract', 'contract_id', { index: true }),
    sentAt: { type: 'datetime' },
  },
});
