import { CONFIG_KEYS } from '../../config';

/**
 * The environment of a child process a test starts (api/main.ts, worker/main.ts, ca-service/main.ts):
 * this process's environment minus every key the app reads, NODE_ENV cleared, then exactly `env` —
 * none of the test process's configuration leaks in.
 */
export function cleanChildEnv(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !CONFIG_KEYS.includes(k)));
  return { ...base, NODE_ENV: '', ...env };
}
