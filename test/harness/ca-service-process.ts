/**
 * Runs the real CA order service (`node --import tsx ca-service/main.ts`) for a test run: its own
 * port and data directory, the run's platform database and the tests' MASTER_KEY (so it loads the
 * CA the test platforms set up), a random API key and staff password.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cleanChildEnv } from './child-env';
import { freePort } from '../../scripts/lib/temporal-dev-server';

/** The MASTER_KEY every test platform (test/harness/platform.ts) and the test CA service use. */
export const TEST_MASTER_KEY = 'test-master-key-0123456789';

export interface CaServiceProcess {
  url: string;
  apiKey: string;
  staffPassword: string;
  child: ChildProcess;
  output(): string;
  stop(): Promise<number | null>;
}

type CaServiceOptions = { databaseUrl: string; dataDir: string; env?: Record<string, string> };

/**
 * Starts the service on a free port; when the port was taken before the service bound it (parallel test
 * lanes start Temporal dev servers that bind ports of their own from the same range), it starts again on
 * another, three times at most.
 */
export async function startCaServiceProcess(options: CaServiceOptions): Promise<CaServiceProcess> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOn(options, await freePort());
    } catch (err) {
      if (!(err instanceof PortTaken) || attempt >= 3) throw err;
    }
  }
}

class PortTaken extends Error {}

async function startOn(options: CaServiceOptions, port: number): Promise<CaServiceProcess> {
  const url = `http://127.0.0.1:${port}`;
  const apiKey = randomBytes(24).toString('base64url');
  const staffPassword = `staff-${randomBytes(9).toString('base64url')}`;
  const child = spawn(process.execPath, ['--import', 'tsx', 'ca-service/main.ts'], {
    env: cleanChildEnv({
      APP_ENV: 'development',
      DATABASE_URL: options.databaseUrl,
      MASTER_KEY: TEST_MASTER_KEY,
      DATA_DIR: options.dataDir,
      CA_SERVICE_PORT: String(port),
      CA_SERVICE_PUBLIC_URL: url,
      CA_SERVICE_API_KEY: apiKey,
      CA_SERVICE_STAFF_PASSWORD: staffPassword,
      SHUTDOWN_GRACE_SECONDS: '5',
      ...options.env,
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`CA service did not start within 60 s:\n${output}`)), 60_000);
    const check = () => {
      if (/\[ca-service\] listening on /.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      const message = `CA service exited with code ${code} at start:\n${output}`;
      reject(/address already in use/.test(output) ? new PortTaken(message) : new Error(message));
    });
  });
  return {
    url,
    apiKey,
    staffPassword,
    child,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
      child.kill('SIGTERM');
      const code = await exited;
      clearTimeout(kill);
      return code;
    },
  };
}
