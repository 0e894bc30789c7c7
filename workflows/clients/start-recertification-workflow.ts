import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { enterpriseRecertificationWorkflow, type EnterpriseRecertificationInput } from '../enterprise-recertification';
import { recertificationWorkflowId, SA_ENTERPRISE_ID, SA_PROCESS_STATUS } from '../search-attributes';
import { executeBoundedUpdate, type UpdateBounds } from './bounded-update';

export interface StartRecertificationOptions {
  /** Give up after this long (Temporal unreachable answers 503 within seconds). */
  timeoutMs?: number;
  /**
   * 'api' (default): the API's first start, REJECT_DUPLICATE — a change number runs once.
   * 'reconciler': a new run under the same id for an open change whose workflow was terminated or lost;
   * a workflow already running is kept.
   */
  mode?: 'api' | 'reconciler';
  /** Tests: short deadlines and retries. */
  input?: Pick<EnterpriseRecertificationInput, 'timing' | 'retry'>;
}

/**
 * Client side: starts the change's EnterpriseRecertificationWorkflow, findable in Temporal UI by
 * EnterpriseId and ProcessStatus (the row's status when given; the workflow upserts it from its load on). The change row is written first (in the API's transaction); a crash in between is
 * repaired by the reconciler. (Not bundled into the sandbox.)
 */
export async function startRecertificationWorkflow(client: Client, taskQueue: string, change: { id: string; enterpriseId: string; seq: number; status?: string }, options: StartRecertificationOptions = {}): Promise<void> {
  const start = () =>
    client.workflow.start(enterpriseRecertificationWorkflow, {
      workflowId: recertificationWorkflowId(change.enterpriseId, change.seq),
      taskQueue,
      args: [{ changeId: change.id, enterpriseId: change.enterpriseId, seq: change.seq, ...options.input }],
      typedSearchAttributes: [{ key: SA_ENTERPRISE_ID, value: change.enterpriseId }, ...(change.status ? [{ key: SA_PROCESS_STATUS, value: change.status }] : [])],
      workflowIdReusePolicy: options.mode === 'reconciler' ? 'ALLOW_DUPLICATE' : 'REJECT_DUPLICATE',
    });
  try {
    await (options.timeoutMs ? client.withDeadline(Date.now() + options.timeoutMs, start) : start());
  } catch (err) {
    // The reconciler raced another start (or a pass that overlapped): the running one is the change's.
    if (options.mode === 'reconciler' && err instanceof WorkflowExecutionAlreadyStartedError) return;
    throw err;
  }
}

/** The workflow is closed (terminated, lost) or unknown: a new run can be started for an open change. */
const workflowGone = (err: unknown) => err instanceof WorkflowNotFoundError || (err instanceof Error && /workflow execution already completed|not found/i.test(err.message));

/**
 * Sends an Update to the change's workflow, within `bounds` (bounded-update.ts). The caller has
 * checked that the change is open in the database; if its workflow is gone anyway (terminated from
 * Temporal UI, or never started after a crash), a new run is started under the same id — it reloads
 * the change — and the Update is sent to it: the administrator's or operator's request repairs what
 * the reconciler would repair later.
 */
export async function executeRecertificationUpdate<Ret, Arg>(
  client: Client,
  taskQueue: string,
  change: { id: string; enterpriseId: string; seq: number; status?: string },
  update: UpdateDefinition<Ret, [Arg]>,
  arg: Arg,
  bounds: UpdateBounds,
): Promise<Ret> {
  const handle = client.workflow.getHandle(recertificationWorkflowId(change.enterpriseId, change.seq));
  try {
    return await executeBoundedUpdate(client, handle, update, { args: [arg] }, bounds);
  } catch (err) {
    if (!workflowGone(err)) throw err;
    await startRecertificationWorkflow(client, taskQueue, change, { mode: 'reconciler', timeoutMs: bounds.acceptTimeoutMs });
    return executeBoundedUpdate(client, handle, update, { args: [arg] }, bounds);
  }
}
