/**
 * The real worker entry point (`node --import tsx worker/main.ts`) as a child process of a test:
 * a clean environment (none of the test process's configuration leaks in), its output kept for
 * failure messages, a wait for the line it prints once it polls its task queue, and SIGKILL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cleanChildEnv } from './child-env';

export interface WorkerProcess {
  child: ChildProcess;
  /** Everything the process printed so far (stdout and stderr interleaved). */
  output(): string;
  /** Settles when the process has exited (by itself or killed). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves once the worker prints `[worker] polling task queue …`; rejects if it exits first or after `timeoutMs`. */
  ready(timeoutMs?: number): Promise<void>;
  /** SIGKILL (no shutdown: running signatures are cut off), and waits for the exit. */
  kill(): Promise<void>;
}

const READY = /\[worker\] polling task queue/;

/** Spawns worker/main.ts with exactly the configuration in `env` (DATABASE_URL, DATA_DIR, MASTER_KEY, TEMPORAL_*…). */
export function startWorkerProcess(env: Record<string, string>): WorkerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts'], { env: cleanChildEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  const listeners = new Set<() => void>();
  const append = (chunk: Buffer) => {
    text += chunk.toString();
    for (const listener of listeners) listener();
  };
  child.stdout!.on('data', append);
  child.stderr!.on('data', append);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const running = () => child.exitCode === null && child.signalCode === null;

  return {
    child,
    output: () => text,
    exited,
    ready(timeoutMs = 120_000) {
      return new Promise<void>((resolve, reject) => {
        const done = (err?: Error) => {
          clearTimeout(timer);
          listeners.delete(check);
          if (err) reject(err);
          else resolve();
        };
        const check = () => {
          if (READY.test(text)) done();
        };
        const timer = setTimeout(() => done(new Error(`worker not polling after ${timeoutMs} ms; output:\n${text}`)), timeoutMs);
        listeners.add(check);
        void exited.then(({ code, signal }) => {
          if (!READY.test(text)) done(new Error(`worker exited (code ${code}, signal ${signal}) before polling; output:\n${text}`));
        });
        check();
      });
    },
    async kill() {
      if (running()) child.kill('SIGKILL');
      await exited;
    },
  };
}
