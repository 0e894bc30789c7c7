import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { DocumentError } from '../errors';

/**
 * A fixed set of worker threads running one task each, a bounded queue in front of them.
 *  - time limit per task, counted from when its thread is ready (a new thread loads the engine first, 1–5 s):
 *    the thread is terminated (whatever it is doing) and replaced; a thread not ready within its boot timeout too;
 *  - memory limit per thread (resourceLimits): a thread that runs out is replaced;
 *  - a thread that asks to retire after a task (state that only grows) is replaced once it has answered;
 *  - a full queue refuses at once (PDF_ENGINE_BUSY → HTTP 503) instead of piling up;
 *  - close() rejects what waits and terminates the threads.
 * Failures come back as DocumentError (PDF_TOO_COMPLEX for time and memory, or the task's own
 * `overrunCode`: DOCX_TOO_COMPLEX for a Word template). A task on untrusted bytes names its
 * `malformedCode`: any other error its code throws in the thread is the document's (see `failureOf`).
 */

export interface WorkerPoolOptions {
  /** Module run in each thread (TypeScript is fine: threads load it through tsx). */
  entry: URL;
  size: number;
  /** Tasks waiting for a thread, beyond those running. */
  maxQueue: number;
  resourceLimits: ResourceLimits;
  /** How long a new thread may take to load its entry (default BOOT_TIMEOUT_MS). */
  bootTimeoutMs?: number;
}

/** What a task that overran its time or memory (or lost its thread) fails with. */
export type OverrunCode = 'PDF_TOO_COMPLEX' | 'DOCX_TOO_COMPLEX';

/** What a task on untrusted bytes fails with when its code throws something else than a DocumentError (see `failureOf`). */
export type MalformedCode = 'PDF_CORRUPT' | 'NOT_A_DOCX';

export interface RunOptions {
  timeoutMs: number;
  /** Buffers that move to the thread (the caller must not use them after). */
  transfer?: ArrayBuffer[];
  overrunCode?: OverrunCode;
  malformedCode?: MalformedCode;
}

export interface TaskRequest {
  id: number;
  kind: string;
  payload: unknown;
}

/** An error thrown in a thread, as serveTasks sends it: `code` only when it is a string (a DocumentError's, a system error's). */
export interface ThreadError {
  name: string;
  code?: string;
  message: string;
}

/** `retire`: the thread asks to be replaced once this answer is delivered (see serveTasks' retireWhen). */
export type TaskResponse = ({ id: number; ok: true; result: unknown } | { id: number; ok: false; error: ThreadError }) & { retire?: true };

interface Task {
  id: number;
  kind: string;
  payload: unknown;
  transfer: ArrayBuffer[];
  timeoutMs: number;
  overrunCode: OverrunCode;
  malformedCode?: MalformedCode;
  resolve(value: unknown): void;
  reject(err: Error): void;
}

interface Slot {
  worker: Worker;
  /** The task given to this thread; it is sent once the thread is ready. */
  task: Task | null;
  timer: NodeJS.Timeout | null;
  /** The thread has loaded its entry and answered the boot ping. */
  ready: boolean;
  bootTimer: NodeJS.Timeout | null;
}

/** The id of the ping each new thread answers once its entry has loaded (task ids start at 1). */
const BOOT_PING_ID = 0;
/** By default, a thread that has not loaded its entry by then is replaced (the task given to it fails). */
export const BOOT_TIMEOUT_MS = 60_000;

/**
 * What the caller gets for an error thrown in a thread:
 *  - a DocumentError as it is;
 *  - from a task on untrusted bytes (`malformedCode`), an error of the engine's reading of them — what pdf-lib,
 *    pkijs or a zip or XML library throws on a file it does not expect: a RangeError (a stack or an
 *    allocation a hostile structure overran) is the task's `overrunCode`, like a thread that ran out of
 *    memory; any other its `malformedCode`. The document is refused (4xx), not answered as an internal error;
 *  - an error with a string `code` (a system error, ENOENT…; a Node error, ERR_MODULE_NOT_FOUND…; serveTasks'
 *    unknown task) and any error of a task without `malformedCode`: a plain Error, infrastructure, as before
 *    (a 500, or a retry of an activity).
 */
function failureOf(task: Task, error: ThreadError): Error {
  if (error.name === 'DocumentError' && error.code) return new DocumentError(error.code as DocumentError['code'], error.message);
  if (!task.malformedCode || error.code !== undefined) return new Error(error.message);
  const code = error.name === 'RangeError' ? task.overrunCode : task.malformedCode;
  return new DocumentError(code, `the document could not be read (${error.name}: ${error.message})`);
}

/** tsx's ESM API: a TypeScript entry is loaded with tsImport inside the thread (--import tsx does not reach worker threads on Node 20). */
const tsxApi = new URL('dist/esm/api/index.mjs', pathToFileURL(createRequire(import.meta.url).resolve('tsx/package.json'))).href;

function bootstrap(entry: URL): string {
  return entry.pathname.endsWith('.ts')
    ? `import(${JSON.stringify(tsxApi)}).then((tsx) => tsx.tsImport(${JSON.stringify(entry.href)}, ${JSON.stringify(entry.href)}))`
    : `import(${JSON.stringify(entry.href)})`;
}

export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private nextId = 1;
  private closed = false;
  /** Threads replaced after a timeout, a memory overrun or a crash (for tests and metrics). */
  replaced = 0;
  /** Threads replaced because they asked to retire. */
  retired = 0;

  constructor(private readonly options: WorkerPoolOptions) {
    for (let i = 0; i < options.size; i++) this.slots.push(this.spawn());
  }

  private spawn(): Slot {
    const worker = new Worker(bootstrap(this.options.entry), {
      eval: true,
      execArgv: [],
      resourceLimits: this.options.resourceLimits,
      stdout: false,
      stderr: false,
    });
    worker.unref(); // an idle pool never keeps the process alive
    const slot: Slot = { worker, task: null, timer: null, ready: false, bootTimer: null };
    worker.on('message', (msg: TaskResponse) => (msg.id === BOOT_PING_ID && !slot.ready ? this.booted(slot) : this.settle(slot, msg)));
    worker.on('error', (err: Error & { code?: string }) => {
      const memory = err.code === 'ERR_WORKER_OUT_OF_MEMORY';
      this.fail(slot, new DocumentError('PDF_TOO_COMPLEX', memory ? 'the document needs more memory than allowed' : `document worker failed: ${err.message}`, { cause: err }));
    });
    worker.on('exit', () => this.fail(slot, new DocumentError('PDF_TOO_COMPLEX', 'document worker stopped')));
    const boot: TaskRequest = { id: BOOT_PING_ID, kind: 'ping', payload: null };
    worker.postMessage(boot);
    const bootTimeoutMs = this.options.bootTimeoutMs ?? BOOT_TIMEOUT_MS;
    slot.bootTimer = setTimeout(() => this.fail(slot, new DocumentError('PDF_ENGINE_BUSY', `a document worker did not start within ${bootTimeoutMs} ms`)), bootTimeoutMs);
    slot.bootTimer.unref();
    return slot;
  }

  /** The thread answered its boot ping: the task it was given (or the next one waiting) starts now. */
  private booted(slot: Slot): void {
    slot.ready = true;
    if (slot.bootTimer) clearTimeout(slot.bootTimer);
    slot.bootTimer = null;
    if (slot.task) this.send(slot);
    else this.next(slot);
  }

  /** Runs `kind` with `payload` in a thread; `transfer` buffers move to the thread (the caller must not use them after). */
  run<T>(kind: string, payload: unknown, options: RunOptions): Promise<T> {
    if (this.closed) return Promise.reject(new DocumentError('PDF_ENGINE_BUSY', 'the document workers are shut down'));
    const idle = this.slots.find((s) => s.task === null);
    if (!idle && this.queue.length >= this.options.maxQueue) {
      return Promise.reject(new DocumentError('PDF_ENGINE_BUSY', `all ${this.slots.length} document workers are busy and ${this.queue.length} tasks wait`));
    }
    return new Promise<T>((resolve, reject) => {
      const task: Task = {
        id: this.nextId++,
        kind,
        payload,
        transfer: options.transfer ?? [],
        timeoutMs: options.timeoutMs,
        overrunCode: options.overrunCode ?? 'PDF_TOO_COMPLEX',
        malformedCode: options.malformedCode,
        resolve: resolve as (v: unknown) => void,
        reject,
      };
      if (idle) this.start(idle, task);
      else this.queue.push(task);
    });
  }

  private start(slot: Slot, task: Task): void {
    slot.task = task;
    slot.worker.ref();
    if (slot.ready) this.send(slot);
  }

  /** Sends the slot's task to its (ready) thread; its time limit starts now. */
  private send(slot: Slot): void {
    const task = slot.task!;
    slot.timer = setTimeout(() => {
      this.fail(slot, new DocumentError('PDF_TOO_COMPLEX', `processing took longer than ${task.timeoutMs} ms`));
    }, task.timeoutMs);
    const request: TaskRequest = { id: task.id, kind: task.kind, payload: task.payload };
    slot.worker.postMessage(request, task.transfer);
  }

  private finish(slot: Slot): Task | null {
    const task = slot.task;
    if (slot.timer) clearTimeout(slot.timer);
    slot.task = null;
    slot.timer = null;
    return task;
  }

  private settle(slot: Slot, msg: TaskResponse): void {
    if (!slot.task || slot.task.id !== msg.id) return;
    const task = this.finish(slot)!;
    if (msg.ok) task.resolve(msg.result);
    else task.reject(failureOf(task, msg.error));
    if (msg.retire && !this.closed) {
      this.dismiss(slot);
      this.retired++;
      this.next(this.addSlot());
    } else {
      this.next(slot);
    }
  }

  private addSlot(): Slot {
    const slot = this.spawn();
    this.slots.push(slot);
    return slot;
  }

  /** Takes the slot out of the pool and terminates its thread. */
  private dismiss(slot: Slot): void {
    if (slot.bootTimer) clearTimeout(slot.bootTimer);
    this.slots.splice(this.slots.indexOf(slot), 1);
    slot.worker.removeAllListeners('exit');
    void slot.worker.terminate();
  }

  /** The thread is lost (timeout, memory, crash): reject its task, replace it, carry on. */
  private fail(slot: Slot, err: DocumentError): void {
    if (!this.slots.includes(slot)) return; // already replaced
    const task = this.finish(slot);
    this.dismiss(slot);
    task?.reject(err.code === 'PDF_TOO_COMPLEX' && task.overrunCode !== err.code ? new DocumentError(task.overrunCode, err.message, { cause: err }) : err);
    if (this.closed) return;
    this.replaced++;
    this.next(this.addSlot());
  }

  private next(slot: Slot): void {
    const task = this.queue.shift();
    if (task) this.start(slot, task);
    else slot.worker.unref();
  }

  /** Resolves once every thread has loaded its entry and answered. */
  async ready(timeoutMs = 60_000): Promise<void> {
    await Promise.all(this.slots.map(() => this.run('ping', null, { timeoutMs })));
  }

  get busy(): number {
    return this.slots.filter((s) => s.task !== null).length;
  }

  get waiting(): number {
    return this.queue.length;
  }

  /**
   * Stops taking tasks, refuses the queued ones, lets running ones finish for up to `graceMs`,
   * then terminates the threads.
   */
  async close(graceMs = 5000): Promise<void> {
    this.closed = true;
    for (const task of this.queue.splice(0)) task.reject(new DocumentError('PDF_ENGINE_BUSY', 'the document workers are shutting down'));
    const deadline = Date.now() + graceMs;
    while (this.busy > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await Promise.all(
      this.slots.splice(0).map((slot) => {
        this.finish(slot)?.reject(new DocumentError('PDF_ENGINE_BUSY', 'the document workers are shutting down'));
        slot.worker.removeAllListeners('exit');
        return slot.worker.terminate();
      }),
    );
  }
}
