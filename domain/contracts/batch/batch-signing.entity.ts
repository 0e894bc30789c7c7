import { EntitySchema, type Opt } from '@mikro-orm/core';
import { references } from '../../persistence/references';

/**
 * 批量签署 (M30): one SMS 意愿认证 for several preset contracts of one user. The code is bound to
 * the user and to the exact contract set (its challenge subject carries `setHash`); submitting it
 * moves the batch `awaiting_code → confirmed` with a conditional UPDATE (one winner), then the
 * BatchSignWorkflow (`batch-sign:<id>`) signs each item through its contract's own workflow.
 */
export type BatchStatus = 'awaiting_code' | 'confirmed' | 'running' | 'done';

export interface BatchSigning {
  id: string;
  userId: string;
  /** The enterprise the user acted for when the batch was made (切换至企业), or null. */
  actingEnterpriseId: string | null;
  status: BatchStatus;
  /** SHA-256 of the sorted contract ids: the code's subject names it, so the code signs only this set. */
  setHash: string;
  itemCount: number;
  createdAt: Date;
  confirmedAt: Date | null;
  finishedAt: Date | null;
  /** Where the code was confirmed from (each signature's trail row carries it). */
  ip: string | null;
}

export type BatchItemState = 'queued' | 'signing' | 'signed' | 'failed';

export interface BatchSigningItem {
  id: string;
  batchId: string;
  contractId: string;
  participantId: string;
  /** Position in the batch (progress is listed in the order the user chose). */
  position: number;
  state: BatchItemState;
  /** The 意愿认证 confirmation created for this item when the code checked out. */
  confirmationId: string | null;
  /** Why it failed (AppError code and messages). */
  code: string | null;
  message: string | null;
  messageEn: string | null;
  updatedAt: Opt<Date>;
}

export const BatchSigningSchema = new EntitySchema<BatchSigning>({
  name: 'BatchSigning',
  tableName: 'batch_signings',
  properties: {
    id: { type: 'string', length: 36, primary: true },
    userId: references('User', 'user_id', { index: true }),
    actingEnterpriseId: { type: 'string', length: 36, nullable: true },
    status: { type: 'string', length: 20 },
    setHash: { type: 'string', length: 64 },
    itemCount: { type: 'integer' },
    createdAt: { type: 'datetime' },
    confirmedAt: { type: 'datetime', nullable: true },
    finishedAt: { type: 'datetime', nullable: true },
    ip: { type: 'string', length: 64, nullable: true },
  },
});

export const BatchSigningItemSchema = new EntitySchema<BatchSigningItem>({
  name: 'BatchSigningItem',
  tableName: 'batch_signing_items',
  uniques: [{ properties: ['batchId', 'contractId'] }],
  properties: {
    id: { type: 'string', length: 36, primary: true },
    batchId: references('BatchSigning', 'batch_id'),
    contractId: references('Contract', 'contract_id', { index: true }),
    participantId: references('ContractSigner', 'participant_id'),
    position: { type: 'integer' },
    state: { type: 'string', length: 20 },
    confirmationId: { type: 'string', length: 36, nullable: true },
    code: { type: 'string', length: 64, nullable: true },
    message: { type: 'string', length: 500, nullable: true },
    messageEn: { type: 'string', length: 500, nullable: true },
    updatedAt: { type: 'datetime', onCreate: () => new Date(), onUpdate: () => new Date() },
  },
});
