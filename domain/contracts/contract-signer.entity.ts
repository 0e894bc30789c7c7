import { EntitySchema } from '@mikro-orm/core';
import { references } from '../persistence/references';

export type SignerStatus = 'waiting' | 'pending' | 'signed';

/** One party of a contract, with where its seal goes. Order is 1-based; signing is sequential. */
export interface ContractSigner {
  id: string;
  contractId: string;
  order: number;
  userId: string;
  name: string;
  mobile: string;
  status: SignerStatus;
  signedAt: Date | null;
  page: number;
  x: number;
  y: number;
  fieldName: string;
}

export const ContractSignerSchema = new EntitySchema<ContractSigner>({
  name: 'ContractSigner',
  tableName: 'contract_signers',
  properties: {
    id: { type: 'string', length: 36, primary: true },
    contractId: references('Contract', 'contract_id', { index: true }),
    order: { type: 'integer', fieldName: 'sign_order' },
    userId: references('User', 'user_id', { index: true }),
    name: { type: 'string', length: 100 },
    mobile: { type: 'string', length: 20 },
    status: { type: 'string', length: 20 },
    signedAt: { type: 'datetime', nullable: true },
    page: { type: 'integer' },
    x: { type: 'double' },
    y: { type: 'double' },
    fieldName: { type: 'string', length: 100 },
  },
});
