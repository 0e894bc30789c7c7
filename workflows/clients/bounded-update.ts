/**
 * Client side: a workflow Update sent on behalf of a request, with bounds. Without them a request
 * waits as long as Temporal lets it: with Temporal unreachable, about 19 s of gRPC retries; with
 * Temporal up but no worker polling (a deploy, a crash), for ever (the Update is admitted and never
 * accepted). (Not bundled into the sandbox.)
 */
import { WorkflowUpdateRPCTimeoutOrCancelledError, WorkflowUpdateStage, isGrpcServiceError, type Client, type WorkflowHandle } from '@temporalio/client';
import { WorkflowNotFoundError, type UpdateDefinition } from '@temporalio/common';

export interface UpdateBounds {
  /** The Update must be accepted (its validator passed) within this; otherwise the caller gets the gRPC deadline error (Temporal or the workers unreachable). */
  acceptTimeoutMs: number;
  /** How long the request waits in all for the outcome (at least a moment past acceptance); longer: UpdateStillRunningError, and the Update goes on. */
  waitMs: number;
}

/** Accepted, but its outcome did not arrive within the bound; the workflow still runs it. Sent again with the same update id, the request attaches to it. */
export class UpdateStillRunningError extends Error {
  constructor(readonly updateName: string) {
    super(`Update ${updateName} was accepted and is still running`);
    this.name = 'UpdateStillRunningError';
  }
}

export async function executeBoundedUpdate<Ret, Args extends unknown[]>(
  client: Client,
  handle: WorkflowHandle,
  update: UpdateDefinition<Ret, Args>,
  options: { args?: Args; updateId?: string },
  bounds: UpdateBounds,
): Promise<Ret> {
  const sent = Date.now();
  // The SDK's overloads tell updates with and without arguments apart; this one forwards either.
  const startUpdate = handle.startUpdate as (def: UpdateDefinition<Ret, Args>, opts: object) => Promise<{ result(): Promise<Ret> }>;
  const accepted = await client.withDeadline(sent + bounds.acceptTimeoutMs, () => startUpdate.call(handle, update, { ...options, waitForStage: WorkflowUpdateStage.ACCEPTED }));
  try {
    return await client.withDeadline(Math.max(sent + bounds.waitMs, Date.now() + 100), () => accepted.result());
  } catch (err) {
    if (isDeadline(err)) throw new UpdateStillRunningError(update.name);
    throw err;
  }
}

/** Every Update a repeatable id may stand for answered "try again later": the client must send a new id (key). */
export class RepeatableIdExhaustedError extends Error {
  constructor(readonly updateId: string) {
    super(`Update id ${updateId} has had ${MAX_UPDATES_PER_REPEATABLE_ID} attempts, each answered "try again later"`);
    this.name = 'RepeatableIdExhaustedError';
  }
}

/** How many Updates one repeatable id may stand for (its first Update, then one per kept "try again" outcome). */
export const MAX_UPDATES_PER_REPEATABLE_ID = 10;

/**
 * An Update whose id a client may send again (a request's Idempotency-Key). The run keeps each Update's outcome
 * for its id, a "try again later" outcome too (`retryLater`: the workflow could not reach the database), so every
 * retry with that id would get it until the run ends. Here one id stands for a series of Updates (`id`, `id#2`,
 * `id#3`, …): the outcome of each one already sent is read back, and while it says "try again later" the next
 * one is looked at; the first id the run has never seen is sent. A retry thus attaches to an Update that
 * succeeded, failed for good or is still running, and is carried out anew after one that was only unavailable,
 * up to MAX_UPDATES_PER_REPEATABLE_ID Updates (then RepeatableIdExhaustedError: a retry with that id could never
 * be carried out again).
 * Reading the outcomes back waits at most `bounds.waitMs` in all (then UpdateStillRunningError, as for the send).
 */
export async function executeRepeatableUpdate<Ret, Args extends unknown[]>(
  client: Client,
  handle: WorkflowHandle,
  update: UpdateDefinition<Ret, Args>,
  options: { args?: Args; updateId: string },
  bounds: UpdateBounds,
  retryLater: (err: unknown) => boolean,
): Promise<Ret> {
  const deadline = Date.now() + bounds.waitMs;
  for (let n = 1; ; n++) {
    const updateId = n === 1 ? options.updateId : `${options.updateId}#${n}`;
    try {
      return await client.withDeadline(Math.max(deadline, Date.now() + 100), () => handle.getUpdateHandle<Ret>(updateId).result());
    } catch (err) {
      // Never sent under this id (or the run is gone: the send says which).
      if (err instanceof WorkflowNotFoundError) return executeBoundedUpdate(client, handle, update, { ...options, updateId }, bounds);
      if (isDeadline(err)) throw new UpdateStillRunningError(update.name);
      if (!retryLater(err)) throw err;
      if (n >= MAX_UPDATES_PER_REPEATABLE_ID) throw new RepeatableIdExhaustedError(options.updateId);
    }
  }
}

const GRPC_DEADLINE_EXCEEDED = 4;

/** The result poll ran out of time (the client's deadline), as opposed to the Update failing or Temporal going away. */
function isDeadline(err: unknown): boolean {
  return err instanceof WorkflowUpdateRPCTimeoutOrCancelledError || (isGrpcServiceError(err) && err.code === GRPC_DEADLINE_EXCEEDED);
}

/**
 * The workflow's result, for a request whose accepted Update ends the workflow (an administrator
 * transfer confirmed or cancelled): within `waitMs`, or UpdateStillRunningError.
 */
export async function boundedWorkflowResult<T>(client: Client, handle: WorkflowHandle & { result(): Promise<T> }, waitMs: number, updateName: string): Promise<T> {
  try {
    return await client.withDeadline(Date.now() + waitMs, () => handle.result());
  } catch (err) {
    if (isDeadline(err)) throw new UpdateStillRunningError(updateName);
    throw err;
  }
}
