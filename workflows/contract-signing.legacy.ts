/**
 * The ContractSigningWorkflow as it ran before the `contract-signing-hardened-1` patch. Kept only
 * so that executions started before that deployment (and their histories) still replay: do not
 * change a line that produces a command (activity, timer, search attribute). Delete it together
 * with the `patched()` branch once no such execution is running (see ARCHITECTURE.md,
 * "Changing a running workflow").
 */
import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  condition,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import { pendingSigner, refuseSign } from '../domain/contracts/signing-order';
import type { ContractActivities } from '../activities/contract-activities';
import { requireId } from './handler-payloads';
import { SA_CONTRACT_STATUS } from './search-attributes';
import { progressQuery, signUpdate, type ContractProgress, type ContractSigningInput } from './contract-signing-api';

const activities = proxyActivities<ContractActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

export async function legacyContractSigning(input: ContractSigningInput): Promise<ContractProgress> {
  const progress: ContractProgress = {
    status: 'in_progress',
    signers: input.signers.map((s) => ({ ...s, signed: false })),
  };
  let signing = false;

  const refusalFor = (userId: string) => refuseSign({ inProgress: progress.status === 'in_progress', expired: false, signers: progress.signers }, userId);
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
          signing = false;
          await condition(() => progress.status !== 'in_progress');
        }
        return { signerId: signer.signerId, documentVersion: applied.documentVersion, completed: last };
      } catch (err) {
        if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure) {
          throw ApplicationFailure.create({ type: err.cause.type ?? 'SIGNING_FAILED', message: err.cause.message, details: err.cause.details as unknown[], nonRetryable: true });
        }
        throw err;
      } finally {
        signing = false;
      }
    },
    {
      // A malformed payload (Temporal UI) is rejected, never thrown by the handler. Validators need no patch.
      validator: (request) => {
        requireId(request, 'userId', '签署人', 'the signer');
        requireId(request, 'confirmationId', '意愿认证', 'the confirmation');
        reject(request.userId);
      },
    },
  );

  const allSigned = () => progress.signers.every((s) => s.signed) && !signing;
  const remainingMs = Math.max(0, Date.parse(input.expiresAt) - Date.now());
  const finishedInTime = await condition(allSigned, remainingMs);

  if (!finishedInTime) {
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
