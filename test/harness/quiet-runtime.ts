import { DefaultLogger, Runtime } from '@temporalio/worker';

let installed = false;

/**
 * Keeps the SDK's logs to errors: the tests make activities fail on purpose (bounded retries,
 * permanent refusals), and each such attempt would otherwise print a warning with a stack.
 * Installs once per process.
 */
export function quietRuntime(): void {
  if (installed) return;
  installed = true;
  Runtime.install({ logger: new DefaultLogger('ERROR') });
}
