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
 * - SIGTERM/SIGINT stop the service gracefully and exit 0 (a second signal exits 1 at once).
 */
export async function runService(name: string, start: () => Promise<RunningService>): Promise<void> {
  installSecretRedaction(secretValues());
  let service: RunningService | null = null;
  let stopping = false;

  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      console.error(`[${name}] ${signal} again: exiting now`);
      process.exit(1);
    }
    stopping = true;
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
    const known = err instanceof StartupError || err instanceof ConfigError;
    console.error(`[${name}] cannot start: ${known ? oneLine((err as Error).message) : reasonOf(err)}`);
    if (!known && debugLogging()) console.error(err);
    process.exit(1);
  }
  service.ended?.then(
    () => {
      if (!stopping) {
        console.error(`[${name}] ended unexpectedly`);
        process.exit(1);
      }
    },
    (err: unknown) => {
      if (!stopping) {
        console.error(`[${name}] failed: ${reasonOf(err)}`);
        process.exit(1);
      }
    },
  );
}
