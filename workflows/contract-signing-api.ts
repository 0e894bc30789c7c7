/** What callers see of the ContractSigningWorkflow: its input, Update, Query and their types. */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { SignerTurnView } from '../domain/contracts/signing-order';
import type { SigningTiming } from '../domain/contracts/signing-timing';
import type { VoidReason } from '../domain/contracts/contract-status';

export interface ContractSigningInput {
  contractId: string;
  signers: { signerId: string; userId: string; order: number }[];
  /** ISO date-time after which an unfinished contract is voided. */
  expiresAt: string;
  /** Time bounds (defaults: DEFAULT_SIGNING_TIMING); tests pass short ones. */
  timing?: Partial<SigningTiming>;
}

export interface SignRequest {
  userId: string;
  /** The 意愿认证 record created when the signer's SMS code checked out. */
  confirmationId: string;
}

export interface SignResult {
  signerId: string;
  documentVersion: number;
  completed: boolean;
}

export interface ContractProgress {
  status: 'in_progress' | 'completed' | 'voided';
  voidReason?: VoidReason | null;
  /** The signer whose signature is being applied right now. */
  signing?: string | null;
  signers: SignerTurnView[];
}

export const signUpdate = defineUpdate<SignResult, [SignRequest]>('sign');
export const progressQuery = defineQuery<ContractProgress>('progress');
