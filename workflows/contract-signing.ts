/**
 * ContractSigningWorkflow (workflow id `contract:<contractId>`): orchestrates one contract from
 * 创建中 to 已完成 or 已作废. Deterministic only: every side effect is an activity.
 *
 * - Activation: its first activity turns the 创建中 row into 签署中 (if the API has not already).
 * - Signing: the `sign` Update, one signature at a time (a lock). Whose turn it is follows ONE rule
 *   (domain/contracts/signing-order.ts) in the validator, the handler and the API.
 * - Failures: permanent ones (business/document, classified in activities/activity-errors.ts)
 *   answer the Update at once; infrastructure ones are retried with a bound, then answered as
 *   "temporarily unavailable" after re-reading what the database committed. The lock is always
 *   released, so the next request is never blocked.
 * - Expiry always wins: at expiry new requests are refused (已过期); a signature still running gets
 *   `expiryGraceMs`, then it is cancelled and the contract is settled by the database's truth.
 * - Cancellation (Temporal UI "Cancel"): voided as 平台撤销 with its audit row, then the workflow
 *   ends as cancelled. Termination runs no code: the reconciler (contract-reconcile.ts) fixes it.
 * - `ContractStatus` is upserted at every transition (创建中 at start by the client, 签署中 on
 *   activation, 已完成/已作废 at the end).
 */
import {
  allHandlersFinished,
  CancellationScope,
  condition,
  isCancellation,
  patched,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import { permanentActivityFailure } from './activity-failure';
import type { VoidReason } from '../domain/contracts/contract-status';
import { pendingSigner, refuseSign, signRefusal } from '../domain/contracts/signing-order';
import { DEFAULT_SIGNING_TIMING, type SigningTiming } from '../domain/contracts/signing-timing';
import type { ContractActivities } from '../activities/contract-activities';
import { progressQuery, signUpdate, type ContractProgress, type ContractSigningInput, type SignResult } from './contract-signing-api';
import { legacyContractSigning } from './contract-signing.legacy';
import { requireId } from './handler-payloads';
import { SA_CONTRACT_STATUS } from './search-attributes';
import { permanentDetail, refusalFailure, SIGNING_UNAVAILABLE, updateFailure, type UpdateFailureDetail } from './update-failures';

export { progressQuery, signUpdate, type ContractProgress, type ContractSigningInput, type SignRequest, type SignResult } from './contract-signing-api';

/** See ARCHITECTURE.md, "Changing a running workflow". */
export const HARDENED_PATCH = 'contract-signing-hardened-1';


const REVOKED: UpdateFailureDetail = { code: 'CONTRACT_REVOKED', message: '合同已被平台撤销，无法签署', messageEn: 'The contract was revoked by the platform' };
const UNAVAILABLE = SIGNING_UNAVAILABLE;

export async function contractSigningWorkflow(input: ContractSigningInput): Promise<ContractProgress> {
  if (!patched(HARDENED_PATCH)) return legacyContractSigning(input);
  return hardenedContractSigning(input);
}

async function hardenedContractSigning(input: ContractSigningInput): Promise<ContractProgress> {
  const timing: SigningTiming = { ...DEFAULT_SIGNING_TIMING, ...input.timing };
  const { contractId } = input;
  const db = proxyActivities<ContractActivities>({
    startToCloseTimeout: '30 seconds',
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 10 },
  });
  /** Short bound for the check after a failed signature, so the Update answers promptly even when the database is down. */
  const quick = proxyActivities<ContractActivities>({
    startToCloseTimeout: '10 seconds',
    retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumAttempts: 3 },
  });
  const signing = proxyActivities<ContractActivities>({
    startToCloseTimeout: timing.signAttemptTimeoutMs,
    heartbeatTimeout: timing.heartbeatTimeoutMs,
    retry: { initialInterval: timing.retryInitialMs, backoffCoefficient: 2, maximumInterval: timing.retryMaxMs, maximumAttempts: timing.maxSignAttempts },
  });

  const progress: ContractProgress = { status: 'in_progress', voidReason: null, signing: null, signers: input.signers.map((s) => ({ ...s, signed: false })) };
  const expiresAtMs = Date.parse(input.expiresAt);
  let activated = false;
  /** Set when the contract is being ended: every new request is refused from then on. */
  let closing: VoidReason | null = null;
  /** The running signature's scope: expiry and cancellation cancel it. */
  const inFlight: { scope: CancellationScope | null } = { scope: null };

  const refusal = (userId: string, allowInFlight: boolean) =>
    refuseSign(
      {
        inProgress: progress.status === 'in_progress' && closing === null,
        expired: closing === 'expired' || (closing === null && Date.now() >= expiresAtMs),
        signers: progress.signers,
        inFlightSignerId: allowInFlight ? progress.signing : null,
      },
      userId,
    );
  const allSigned = () => progress.signers.every((s) => s.signed) && progress.signing === null;
  const adopt = (signedSignerIds: readonly string[]) => {
    for (const s of progress.signers) s.signed = s.signed || signedSignerIds.includes(s.signerId);
  };
  /** Why a request that was under way cannot finish: the contract is being ended (expiry, or revocation / workflow cancellation). */
  const endedRefusal = () => (closing === 'expired' ? refusalFailure(signRefusal('CONTRACT_EXPIRED')) : updateFailure(REVOKED));

  setHandler(progressQuery, () => progress);
  setHandler(
    signUpdate,
    async (request): Promise<SignResult> => {
      try {
        await condition(() => activated && progress.signing === null);
      } catch (err) {
        if (isCancellation(err)) throw endedRefusal();
        throw err;
      }
      const r = refusal(request.userId, false); // strict now that the lock is ours
      if (r) throw refusalFailure(r);
      const turn = pendingSigner(progress.signers)!;
      progress.signing = turn.signerId;
      const scope = new CancellationScope();
      inFlight.scope = scope;
      let documentVersion: number;
      try {
        documentVersion = (await scope.run(() => signing.applySignature({ contractId, signerId: turn.signerId, confirmationId: request.confirmationId }))).documentVersion;
      } catch (err) {
        progress.signing = null;
        inFlight.scope = null;
        if (isCancellation(err) || closing) throw endedRefusal();
        const permanent = permanentActivityFailure(err);
        if (permanent) throw updateFailure(permanentDetail(permanent));
        // Retries exhausted or timed out: the attempt may still have committed. Ask the database.
        const committed = await quick.signedSigners({ contractId }).catch(() => null);
        const mine = committed?.find((s) => s.signerId === turn.signerId);
        if (!committed || !mine) throw updateFailure(UNAVAILABLE);
        adopt(committed.map((s) => s.signerId));
        documentVersion = mine.documentVersion;
      }
      turn.signed = true;
      progress.signing = null;
      inFlight.scope = null;
      const completed = progress.signers.every((s) => s.signed);
      // Answer the last signer only once the contract is 已完成, so their screen shows the final state.
      if (completed) await CancellationScope.nonCancellable(() => condition(() => progress.status !== 'in_progress'));
      return { signerId: turn.signerId, documentVersion, completed };
    },
    {
      validator: (request) => {
        // Also a sign sent from Temporal UI with no payload, or another one: rejected here, never thrown by the handler.
        requireId(request, 'userId', '签署人', 'the signer');
        requireId(request, 'confirmationId', '意愿认证', 'the confirmation');
        if (closing === 'revoked_by_platform') throw updateFailure(REVOKED);
        const r = refusal(request.userId, true);
        if (r) throw refusalFailure(r);
      },
    },
  );

  const close = async (voidReason: VoidReason | null, cause?: string) => {
    const outcome = await db.closeContract({ contractId, voidReason, cause });
    adopt(outcome.signedSignerIds);
    progress.status = outcome.status === 'completed' ? 'completed' : 'voided';
    progress.voidReason = outcome.voidReason;
    upsertSearchAttributes([{ key: SA_CONTRACT_STATUS, value: progress.status }]);
  };

  try {
    if ((await db.activateContract({ contractId })) === 'missing') {
      // The start was abandoned and its rows removed: there is nothing to orchestrate.
      progress.status = 'voided';
      upsertSearchAttributes([{ key: SA_CONTRACT_STATUS, value: 'abandoned' }]);
      return progress;
    }
    activated = true;
    upsertSearchAttributes([{ key: SA_CONTRACT_STATUS, value: 'in_progress' }]);

    const remainingMs = expiresAtMs - Date.now();
    const finishedInTime = remainingMs > 0 ? await condition(allSigned, remainingMs) : allSigned();
    if (finishedInTime) {
      await close(null);
    } else {
      closing = 'expired';
      if (progress.signing !== null && !(await condition(() => progress.signing === null, timing.expiryGraceMs))) inFlight.scope?.cancel();
      await condition(() => progress.signing === null);
      await close('expired');
    }
  } catch (err) {
    if (!isCancellation(err)) throw err;
    // Cancelled from Temporal UI: void as revoked by the platform (unless every signature is already committed).
    await CancellationScope.nonCancellable(async () => {
      closing = 'revoked_by_platform';
      inFlight.scope?.cancel();
      // Cancelled before activation finished: the API may already have made the row 签署中, so
      // settle activation first (nothing to close if the start was abandoned), then void it.
      if (!activated) activated = (await db.activateContract({ contractId })) !== 'missing';
      if (activated) await close('revoked_by_platform', 'workflow_cancelled');
      await condition(allHandlersFinished);
    });
    throw err;
  }
  await condition(allHandlersFinished);
  return progress;
}
