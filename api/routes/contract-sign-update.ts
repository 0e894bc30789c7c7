import type { Client } from '@temporalio/client';
import { executeBoundedUpdate, UpdateStillRunningError, type UpdateBounds } from '../../workflows/clients/bounded-update';
import { lifecycleSignUpdate, type LifecycleSignRequest, type LifecycleSignResult } from '../../workflows/contract-lifecycle-api';
import { signUpdate, type SignRequest, type SignResult } from '../../workflows/contract-signing-api';
import { contractWorkflowId } from '../../workflows/search-attributes';
import { signingTemporalUnavailable, updateFailureToAppError } from '../http/update-failure';

export type SignOutcome = { state: 'signed'; result: SignResult | LifecycleSignResult } | { state: 'processing'; updateId: string };

/**
 * Sends the sign Update within `bounds`: accepted within TEMPORAL_CALL_TIMEOUT_SECONDS (longer means
 * Temporal or the workers are unreachable: 503), signed within SIGN_WAIT_SECONDS in all (longer answers
 * 202 "正在处理" and the signature continues). Its id is derived from the 意愿认证 confirmation, so the
 * same request sent again attaches to the same Update (Temporal deduplicates by update id): a retry
 * after 503 or 202 never signs twice and sees the first attempt's outcome.
 *
 * Dispatch on the contract's lifecycle: a v1 contract (`contractSigningWorkflow`) gets the v1
 * request `{ userId, confirmationId }`, a v2 one (`contractLifecycleWorkflow`) the participant's
 * `{ participantId, actorUserId, confirmationId, marks? }`. Both workflows name the Update `sign`.
 */
export async function sendSignUpdate(client: Client, contractId: string, request: SignRequest | LifecycleSignRequest, bounds: UpdateBounds): Promise<SignOutcome> {
  const updateId = `sign:${request.confirmationId}`;
  const handle = client.workflow.getHandle(contractWorkflowId(contractId));
  try {
    const result =
      'participantId' in request
        ? await executeBoundedUpdate(client, handle, lifecycleSignUpdate, { args: [request], updateId }, bounds)
        : await executeBoundedUpdate(client, handle, signUpdate, { args: [request], updateId }, bounds);
    return { state: 'signed', result };
  } catch (err) {
    // Accepted, but no answer in time (slow signature, a worker restarting): the Update goes on; the
    // client polls the contract or sends the same request again.
    if (err instanceof UpdateStillRunningError) return { state: 'processing', updateId };
    throw updateFailureToAppError(err, signingTemporalUnavailable);
  }
}
