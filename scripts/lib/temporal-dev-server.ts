import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { ALL_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';

/** The Temporal CLI: $TEMPORAL_BIN, else what scripts/lib/temporal-bin.sh finds (PATH, ~/go/bin). */
export function temporalBin(): string {
  if (process.env.TEMPORAL_BIN) return process.env.TEMPORAL_BIN;
  try {
    return execFileSync('bash', ['-c', 'source scripts/lib/temporal-bin.sh && temporal_bin'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('No Temporal CLI found: run `bash scripts/setup.sh test` first');
  }
}

export interface DevServerOptions {
  bin: string;
  /**
   * Frontend port. Omitted: a free one is picked, and a server that exits while starting is started
   * again on another (the dev server also binds ports of its own, picked the same racy way, so parallel
   * test lanes starting servers at once can collide: "exited early (code 1)").
   */
  port?: number;
  /** Web UI port; omit for a headless server. */
  uiPort?: number;
  /** SQLite file for persistence; omit for in-memory. */
  dbFile?: string;
  namespace?: string;
  log?: (line: string) => void;
}

export interface DevServer {
  address: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Starts `temporal server start-dev` with our search attributes and waits until its frontend accepts connections. */
export async function startTemporalDevServer(o: DevServerOptions): Promise<DevServer> {
  if (o.port !== undefined) return startOn(o, o.port);
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOn(o, await freePort());
    } catch (err) {
      if (!(err instanceof EarlyExit) || attempt >= 3) throw err;
    }
  }
}

class EarlyExit extends Error {}

/** What the dev server needs of the environment: where to find things, the locale and time zone. */
const DEV_SERVER_ENV = ['PATH', 'HOME', 'TMPDIR', 'TZ', 'LANG', 'LC_ALL'];

/**
 * The dev server's environment: only DEV_SERVER_ENV. The platform's own (MASTER_KEY, the CA service's keys,
 * OPERATOR_PASSWORD, database URLs — `npm start` loads .env into it) has no business in the Temporal server's
 * process, where anyone reading its /proc environ would see it; and TEMPORAL_* settings meant for the platform's
 * clients must not change how the server starts.
 */
export function devServerEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(DEV_SERVER_ENV.filter((k) => env[k] !== undefined).map((k) => [k, env[k]]));
}

async function startOn(o: DevServerOptions, port: number): Promise<DevServer> {
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--namespace', o.namespace ?? 'default', '--log-level', 'warn'];
  if (o.uiPort) args.push('--ui-port', String(o.uiPort));
  else args.push('--headless');
  if (o.dbFile) args.push('--db-filename', o.dbFile);
  for (const key of ALL_SEARCH_ATTRIBUTES) args.push('--search-attribute', `${key.name}=Keyword`);
  // Short timers (tests use 1–2 s expiries) fire on time.
  args.push('--dynamic-config-value', 'history.timerProcessorMaxTimeShift="10ms"');
  // New tasks go to one partition of each task queue. The default four exist to spread a queue over several matching
  // hosts; on this single-node server a burst of new workflows left first workflow tasks waiting ≈ 2 s in a partition
  // no poller was polling (every start and 签署 of the burst stalled at once): 1,500 no-op workflows 16 at a time took
  // 21.4 s with four (18 Updates over 1 s), 15.5 s with writes to one (none). Reads stay on all four, so tasks an
  // older data directory left in the other partitions are still handed out (one read partition would strand them).
  args.push('--dynamic-config-value', 'matching.numTaskqueueWritePartitions=1');
  const child = spawn(o.bin, args, { stdio: ['ignore', 'pipe', 'pipe'], env: devServerEnv(process.env) });
  const log = o.log ?? (() => {});
  // The last output is kept for the error of a server that exits while starting.
  let tail = '';
  // Ready is when THIS server says so ("Server:  localhost:<port>", printed once it serves) and the port
  // answers: a port that answers alone may be another server's (the dev server binds further ports of its
  // own, picked from the same ephemeral range, so a parallel lane's server can hold the one picked here
  // while this one exits for want of it).
  let announced = false;
  const output = (d: Buffer) => {
    tail = (tail + d.toString()).slice(-1500);
    if (!announced && new RegExp(`^Server:\\s+\\S+:${port}\\s*$`, 'm').test(tail)) announced = true;
    log(d.toString());
  };
  child.stdout?.on('data', output);
  child.stderr?.on('data', output);
  let exited = false;
  child.on('exit', () => (exited = true));
  const deadline = Date.now() + 60_000;
  while (exited || !announced || !(await canConnect(port))) {
    if (exited) throw new EarlyExit(`temporal dev server exited early (code ${child.exitCode}) on port ${port}: ${tail.trim().split('\n').slice(-5).join(' | ')}`);
    if (Date.now() > deadline) throw new Error('temporal dev server did not start within 60 s');
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    address: `127.0.0.1:${port}`,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (exited) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      }),
  };
}

export function canConnect(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}
