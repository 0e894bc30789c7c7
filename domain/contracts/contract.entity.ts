import { EntitySchema } from '@mikro-orm/core';
import { references } from '../persistence/references';
import type { ContractStatus, VoidReason } from './contract-status';

export interface Contract {
  id: string;
  title: string;
  status: ContractStatus;
  voidReason: VoidReason | null;
  initiatorId: string;
  initiatorEnterpriseId: string | null;
  pageCount: number;
  /** Version number of the current document (0 = as uploaded). */
  documentVersion: number;
  createdAt: Date;
  expiresAt: Date;
  completedAt: Date | null;
  voidedAt: Date | null;
}

export const ContractSchema = new EntitySchema<Contract>({
  name: 'Contract',
  tableName: 'contracts',
  properties: {
    id: { type: 'string', length: 36, primary: true },
    title: { type: 'string', length: 200 },
    status: { type: 'string', length: 20, index: true },
    voidReason: { type: 'string', length: 20, nullable: true },
    initiatorId: references('User', 'initiator_id', { index: true }),
    initiatorEnterpriseId: { type: 'string', length: 36, nullable: true },
    pageCount: { type: 'integer' },
    documentVersion: { type: 'integer' },
    createdAt: { type: 'datetime' },
    expiresAt: { type: 'datetime' },
    completedAt: { type: 'datetime', nullable: true },
    voidedAt: { type: 'datetime', nullable: true },
  },
});
