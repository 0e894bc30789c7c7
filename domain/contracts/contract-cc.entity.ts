import { EntitySchema } from '@mikro-orm/core';
import { references } from '../persistence/references';

/** 抄送: a registered user who may view and download a contract but not sign it. */
export interface ContractCc {
  id: string;
  contractId: string;
  userId: string;
  name: string;
  createdAt: Date;
}

export const ContractCcSchema = new EntitySchema<ContractCc>({
  name: 'ContractCc',
  tableName: 'contract_cc',
  uniques: [{ properties: ['contractId', 'userId'] }],
  properties: {
    id: { type: 'string', length: 36, primary: true },
    contractId: references('Contract', 'contract_id'),
    userId: references('User', 'user_id', { index: true }),
    name: { type: 'string', length: 100 },
    createdAt: { type: 'datetime' },
  },
});
