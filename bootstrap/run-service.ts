import { ConfigError, debugLogging, secretValues } from '../config';
import { installSecretRedaction } from './secret-redaction';
import { oneLine, reasonOf, StartupError } from './startup-error';

/** A started service: how to stop it gracefully, and optionally a promise that settles if it ends by itself. */
export interface RunningService {
  stop(): Promise<void>;
  ended?: Promise<unknown>;
}

/**
 * The process frame of the API and the worker:
 * - secrets are kept out of everything written to stdout/stderr;
 * - a start-up failure prints ONE line (`[api] cannot start: …`) and exits 1;
 * - SIGTERM/SIGINT stop the service gracefully and exit 0. A second signal within a moment is the
 *   same request (Ctrl-C reaches the whole process group and the dev supervisor forwards SIGTERM);
 *   a later one exits 1 at once.
 */
const SAME_REQUEST_MS = 2_000;

export async function runService(name: string, start: () => Promise<RunningService>): Promise<void> {
  installSecretRedaction(secretValues());
  let service: RunningService | null = null;
  let stoppingSince: number | null = null;

  const onSignal = (signal: NodeJS.Signals) => {
    if (stoppingSince !== null) {
      if (Date.now() - stoppingSince < SAME_REQUEST_MS) return;
      console.error(`[${name}] ${signal} again: exiting now`);
      process.exit(1);
    }
    stoppingSince = Date.now();
    if (!service) process.exit(0); // still starting: nothing in flight yet
    console.log(`[${name}] ${signal}: stopping …`);
    service.stop().then(
      () => {
        console.log(`[${name}] stopped`);
        process.exit(0);
      },
      (err: unknown) => {
        console.error(`[${name}] stopping failed: ${reasonOf(err)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);

  try {
    service = await start();
  } catch (err) {
    failAtStart(name, err);
  }
  service.ended?.then(
    () => {
      if (stoppingSince === null) {
        console.error(`[${name}] ended unexpectedly`);
        process.exit(1);
      }
    },
    (err: unknown) => {
      if (stoppingSince === null) {
        console.error(`[${name}] failed: ${reasonOf(err)}`);
        process.exit(1);
      }
    },
  );
}

function failAtStart(name: string, err: unknown): never {
  const known = err instanceof StartupError || err instanceof ConfigError;
  console.error(`[${name}] cannot start: ${known ? oneLine((err as Error).message) : reasonOf(err)}`);
  if (!known && debugLogging()) console.error(err);
  process.exit(1);
}

/** A one-off command (set-up, seed) in the same frame: secrets redacted, one line and exit 1 on failure, exit 0 when done. */
export async function runTask(name: string, task: () => Promise<void>): Promise<void> {
  installSecretRedaction(secretValues());
  try {
    await task();
  } catch (err) {
    failAtStart(name, err);
  }
  process.exit(0);
}
