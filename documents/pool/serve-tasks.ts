import { parentPort } from 'node:worker_threads';
import type { TaskRequest, TaskResponse } from './worker-pool';

export type TaskHandler = (payload: never) => Promise<{ result: unknown; transfer?: ArrayBuffer[] }>;

export interface ServeOptions {
  /** Asked after each task: true makes the answer ask the pool to replace this thread (state that only grows). */
  retireWhen?: () => boolean;
}

/** Inside a pool thread: answers each task message with its handler's result or error. */
export function serveTasks(handlers: Record<string, TaskHandler>, options: ServeOptions = {}): void {
  const port = parentPort;
  if (!port) throw new Error('serveTasks must run in a worker thread');
  port.on('message', async (req: TaskRequest) => {
    let response: TaskResponse;
    let transfer: ArrayBuffer[] = [];
    try {
      const handler: TaskHandler | undefined = req.kind === 'ping' ? async () => ({ result: 'pong' }) : handlers[req.kind];
      // A code: the pool takes it for infrastructure, never for the document's fault (worker-pool.ts failureOf).
      if (!handler) throw Object.assign(new Error(`unknown task ${req.kind}`), { code: 'ERR_UNKNOWN_TASK' });
      const out = await handler(req.payload as never);
      response = { id: req.id, ok: true, result: out.result };
      transfer = out.transfer ?? [];
    } catch (err) {
      const e = err as Error & { code?: string };
      response = { id: req.id, ok: false, error: { name: e.name ?? 'Error', code: typeof e.code === 'string' ? e.code : undefined, message: e.message ?? String(err) } };
    }
    if (options.retireWhen?.()) response.retire = true;
    port.postMessage(response, transfer);
  });
}
