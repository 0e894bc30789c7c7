/**
 * Fast workflow tests: a Worker with FAKE activities on a unique task queue, against the real
 * Temporal dev server that the integration/workflow globalSetup starts (test/harness/global-setup.ts),
 * using the workflow bundle that globalSetup built once per run.
 *
 * Why not `TestWorkflowEnvironment.createTimeSkipping()`: the time-skipping test server is a
 * download that is not reachable offline here, so time cannot be skipped. Durations (expiry,
 * reminders, activity timeouts, retry intervals) are therefore inputs of the workflows: tests pass
 * 1–2 s and await workflow results, Update results or a Query polled in a bounded loop (`eventually`),
 * never a wall-clock sleep.
 *
 *   await withWorkflowWorker({ activities: fakes }, async ({ client, taskQueue }) => {
 *     const handle = await client.workflow.start(myWorkflow, { taskQueue, workflowId, args });
 *     ...
 *     await recordHistory(handle, 'my-workflow.some-path'); // writes a replay fixture with RECORD_HISTORY=1
 *   });
 */
import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { NativeConnection, Worker } from '@temporalio/worker';
import { inject } from 'vitest';
import { quietRuntime } from './quiet-runtime';

export interface WorkflowEnv {
  client: Client;
  taskQueue: string;
  worker: Worker;
}

/**
 * Runs `run` while a Worker with the given activities polls a fresh task queue; the worker is shut
 * down and connections are closed afterwards, whether `run` succeeds or throws.
 */
export async function withWorkflowWorker<T>(options: { activities: object; taskQueue?: string }, run: (env: WorkflowEnv) => Promise<T>): Promise<T> {
  quietRuntime();
  const address = inject('temporalAddress');
  const taskQueue = options.taskQueue ?? `wf-test-${randomUUID()}`;
  const nativeConnection = await NativeConnection.connect({ address });
  const connection = await Connection.connect({ address });
  try {
    const client = new Client({ connection, namespace: 'default' });
    const worker = await Worker.create({
      connection: nativeConnection,
      namespace: 'default',
      taskQueue,
      workflowBundle: { code: inject('workflowBundleCode') },
      activities: options.activities,
    });
    return await worker.runUntil(() => run({ client, taskQueue, worker }));
  } finally {
    await connection.close();
    await nativeConnection.close();
  }
}

/**
 * Writes a finished workflow's history to workflows/fixtures/<name>.history.json when the test run
 * has RECORD_HISTORY=1 (every fixture) or RECORD_HISTORY=<name>,<name> (only those). See
 * ARCHITECTURE.md, "Changing a running workflow": re-record only after a versioned change.
 * Returns whether it wrote.
 */
export async function recordHistory(handle: WorkflowHandle, name: string): Promise<boolean> {
  const wanted = process.env.RECORD_HISTORY;
  if (!wanted || (wanted !== '1' && !wanted.split(',').includes(name))) return false;
  const file = new URL(`../../workflows/fixtures/${name}.history.json`, import.meta.url);
  fs.writeFileSync(file, historyToJSON(await handle.fetchHistory()));
  return true;
}

/** Polls `probe` until it returns a truthy value, at most `timeoutMs` (a bounded wait, not a sleep-and-hope). */
export async function eventually<T>(probe: () => Promise<T | null | undefined | false>, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what} not reached within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
