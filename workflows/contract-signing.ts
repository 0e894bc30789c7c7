/**
 * ContractSigningWorkflow (workflow id `contract:<contractId>`): orchestrates one contract from
 * start to 已完成 or 已作废. Deterministic only: every side effect is an activity.
 * Signers sign in order through the `sign` Update; the expiry timer voids an unsigned contract.
 */
import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  condition,
  defineQuery,
  defineUpdate,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import { pendingSigner, refuseSign, type SignerTurnView } from '../domain/contracts/signing-order';
import type { ContractActivities } from '../activities/contract-activities';
import { SA_CONTRACT_STATUS } from './search-attributes';

export interface ContractSigningInput {
  contractId: string;
  signers: { signerId: string; userId: string; order: number }[];
  /** ISO date-time after which an unfinished contract is voided. */
  expiresAt: string;
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
  signers: SignerTurnView[];
}

export const signUpdate = defineUpdate<SignResult, [SignRequest]>('sign');
export const progressQuery = defineQuery<ContractProgress>('progress');

const activities = proxyActivities<ContractActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

export async function contractSigningWorkflow(input: ContractSigningInput): Promise<ContractProgress> {
  const progress: ContractProgress = {
    status: 'in_progress',
    signers: input.signers.map((s) => ({ ...s, signed: false })),
  };
  let signing = false;

  const refusalFor = (userId: string) => refuseSign(progress.status === 'in_progress', progress.signers, userId);
  const reject = (userId: string): void => {
    const refusal = refusalFor(userId);
    if (refusal) throw ApplicationFailure.create({ type: refusal.code, message: refusal.message, details: [refusal], nonRetryable: true });
  };

  setHandler(progressQuery, () => progress);
  setHandler(
    signUpdate,
    async (request) => {
      await condition(() => !signing);
      reject(request.userId); // re-check: the state may have changed while waiting
      signing = true;
      try {
        const signer = pendingSigner(progress.signers)!;
        const applied = await activities.applySignature({ contractId: input.contractId, signerId: signer.signerId, confirmationId: request.confirmationId });
        signer.signed = true;
        const last = progress.signers.every((s) => s.signed);
        if (last) {
          // Answer the last signer only once the contract is 已完成, so their screen shows the final state.
          signing = false;
          await condition(() => progress.status !== 'in_progress');
        }
        return { signerId: signer.signerId, documentVersion: applied.documentVersion, completed: last };
      } catch (err) {
        // Surface a business refusal from the activity (e.g. unusable confirmation) as the Update's failure.
        if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure) {
          throw ApplicationFailure.create({ type: err.cause.type ?? 'SIGNING_FAILED', message: err.cause.message, details: err.cause.details as unknown[], nonRetryable: true });
        }
        throw err;
      } finally {
        signing = false;
      }
    },
    { validator: (request) => reject(request.userId) },
  );

  const allSigned = () => progress.signers.every((s) => s.signed) && !signing;
  const remainingMs = Math.max(0, Date.parse(input.expiresAt) - Date.now());
  const finishedInTime = await condition(allSigned, remainingMs);

  if (!finishedInTime) {
    // Refuse new signatures from now on, let one already running finish, then decide.
    progress.status = 'voided';
    await condition(() => !signing);
    if (progress.signers.every((s) => s.signed)) progress.status = 'in_progress';
  }

  if (progress.status === 'in_progress') {
    await activities.completeContract({ contractId: input.contractId });
    progress.status = 'completed';
  } else {
    await activities.expireContract({ contractId: input.contractId });
  }
  upsertSearchAttributes([{ key: SA_CONTRACT_STATUS, value: progress.status }]);
  await condition(allHandlersFinished);
  return progress;
}
