import { Worker } from 'node:worker_threads';

/**
 * A thread of this process for blocking calls that must not run on the event loop (fdatasync, SQLite
 * checkpoints), answering one request at a time. Its `source` (CommonJS, evaluated) answers each
 * `{ id, ...request }` with `{ id, result }` or `{ id, error: { message, code } }`; a message without
 * an id gets no answer. Started on first use; a thread that dies fails what was pending and is
 * started again by the next request. `keepAlive`: the process stays alive while a request is pending
 * (otherwise the thread never holds it).
 */
export class RequestThread<Request extends object, Result> {
  private worker: Worker | null = null;
  private seq = 0;
  private readonly pending = new Map<number, { resolve: (result: Result) => void; reject: (err: Error) => void }>();

  constructor(
    private readonly name: string,
    private readonly source: string,
    private readonly keepAlive: boolean,
  ) {}

  request(message: Request): Promise<Result> {
    const worker = (this.worker ??= this.start());
    const id = ++this.seq;
    if (this.keepAlive && this.pending.size === 0) worker.ref();
    return new Promise<Result>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ ...message, id });
    });
  }

  /** A message that gets no answer; dropped when the thread is not running. */
  post(message: Request): void {
    this.worker?.postMessage(message);
  }

  private settle(id: number, outcome: { result?: Result; error?: Error }) {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    if (this.pending.size === 0) this.worker?.unref();
    if (outcome.error) p.reject(outcome.error);
    else p.resolve(outcome.result as Result);
  }

  private start(): Worker {
    const worker = new Worker(this.source, { eval: true });
    worker.unref();
    worker.on('message', ({ id, result, error }: { id: number; result?: Result; error?: { message: string; code?: string } }) =>
      this.settle(id, { result, error: error && Object.assign(new Error(error.message), { code: error.code }) }),
    );
    const lost = (err: Error) => {
      if (this.worker === worker) this.worker = null;
      for (const id of [...this.pending.keys()]) this.settle(id, { error: err });
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`the ${this.name} thread exited (${code})`)));
    return worker;
  }
}
