import { WorkflowUpdateFailedError, WorkflowUpdateStage, type Client } from '@temporalio/client';
import { lifecycleSignUpdate, type LifecycleSignRequest, type LifecycleSignResult } from '../../workflows/contract-lifecycle-api';
import { signUpdate, type SignRequest, type SignResult } from '../../workflows/contract-signing-api';
import { contractWorkflowId } from '../../workflows/search-attributes';
import { signingTemporalUnavailable, updateFailureToAppError } from '../http/update-failure';

export interface SignUpdateTiming {
  /** How long the Update may take to be accepted (validator passed); longer means Temporal or the workers are unreachable: 503. */
  acceptTimeoutMs: number;
  /** How long the request waits for the signature in all; longer answers 202 "正在处理" and the signature continues. */
  waitMs: number;
}

export type SignOutcome = { state: 'signed'; result: SignResult | LifecycleSignResult } | { state: 'processing'; updateId: string };

/**
 * Sends the sign Update with deadlines. Its id is derived from the 意愿认证 confirmation, so the same
 * request sent again attaches to the same Update (Temporal deduplicates by update id): a retry after
 * 503 or 202 never signs twice and sees the first attempt's outcome.
 *
 * Dispatch on the contract's lifecycle: a v1 contract (`contractSigningWorkflow`) gets the v1
 * request `{ userId, confirmationId }`, a v2 one (`contractLifecycleWorkflow`) the participant's
 * `{ participantId, actorUserId, confirmationId, marks? }`. Both workflows name the Update `sign`.
 */
export async function sendSignUpdate(client: Client, contractId: string, request: SignRequest | LifecycleSignRequest, timing: SignUpdateTiming): Promise<SignOutcome> {
  const started = Date.now();
  const updateId = `sign:${request.confirmationId}`;
  const handle = client.workflow.getHandle(contractWorkflowId(contractId));
  let update: { result(): Promise<SignResult | LifecycleSignResult> };
  try {
    update = await client.withDeadline(started + timing.acceptTimeoutMs, () =>
      'participantId' in request
        ? handle.startUpdate(lifecycleSignUpdate, { args: [request], updateId, waitForStage: WorkflowUpdateStage.ACCEPTED })
        : handle.startUpdate(signUpdate, { args: [request], updateId, waitForStage: WorkflowUpdateStage.ACCEPTED }) as Promise<{ result(): Promise<SignResult | LifecycleSignResult> }>,
    );
  } catch (err) {
    throw updateFailureToAppError(err, signingTemporalUnavailable);
  }
  try {
    const accepted = update;
    const result: SignResult | LifecycleSignResult = await client.withDeadline(Math.max(started + timing.waitMs, Date.now() + 100), () => accepted.result());
    return { state: 'signed', result };
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) throw updateFailureToAppError(err, signingTemporalUnavailable);
    // Accepted, but no answer in time (slow signature, a worker restarting, Temporal gone meanwhile):
    // the Update goes on; the client polls the contract or sends the same request again.
    return { state: 'processing', updateId };
  }
}
