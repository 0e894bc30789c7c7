import { EntitySchema, type Opt } from '@mikro-orm/core';
import { references } from '../persistence/references';
import type { ContractStatus, VoidReason } from './contract-status';

/** 1 = the original `contractSigningWorkflow` (sequential personal signers); 2 = `contractLifecycleWorkflow`. */
export type ContractLifecycle = 1 | 2;

export interface Contract {
  id: string;
  title: string;
  /** 合同编号 (optional, free text). */
  contractNo: string | null;
  /** 备注 (optional). */
  remarks: string | null;
  status: ContractStatus;
  voidReason: VoidReason | null;
  /** The refusal / revocation reason text. */
  voidNote: string | null;
  initiatorId: string;
  /** Set when the initiator acted as their enterprise (切换至企业). */
  initiatorEnterpriseId: string | null;
  /** Which workflow type runs this contract. */
  lifecycle: Opt<number>;
  /** v2: the routing step being signed (1-based). */
  currentStep: Opt<number>;
  pageCount: number;
  /** Version number of the current document (0 = as uploaded). */
  documentVersion: number;
  /** Hash chain of the 签署轨迹 (owned by domain/contracts/trail): last sequence number and hash. */
  trailSeq: Opt<number>;
  trailHead: string | null;
  /** The template it was generated from (从模板发起), or null. Plain column: deleting a template leaves its contracts alone. */
  templateId?: string | null;
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
    contractNo: { type: 'string', length: 64, nullable: true },
    remarks: { type: 'string', length: 500, nullable: true },
    status: { type: 'string', length: 20, index: true },
    voidReason: { type: 'string', length: 20, nullable: true },
    voidNote: { type: 'string', length: 500, nullable: true },
    initiatorId: references('User', 'initiator_id', { index: true }),
    initiatorEnterpriseId: { type: 'string', length: 36, nullable: true },
    lifecycle: { type: 'integer', default: 1 },
    currentStep: { type: 'integer', default: 1 },
    pageCount: { type: 'integer' },
    documentVersion: { type: 'integer' },
    trailSeq: { type: 'integer', default: 0 },
    trailHead: { type: 'string', length: 64, nullable: true },
    templateId: { type: 'string', length: 36, nullable: true },
    createdAt: { type: 'datetime' },
    expiresAt: { type: 'datetime' },
    completedAt: { type: 'datetime', nullable: true },
    voidedAt: { type: 'datetime', nullable: true },
  },
});
