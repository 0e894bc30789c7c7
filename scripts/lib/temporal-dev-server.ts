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
  port: number;
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
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(o.port), '--namespace', o.namespace ?? 'default', '--log-level', 'warn'];
  if (o.uiPort) args.push('--ui-port', String(o.uiPort));
  else args.push('--headless');
  if (o.dbFile) args.push('--db-filename', o.dbFile);
  for (const key of ALL_SEARCH_ATTRIBUTES) args.push('--search-attribute', `${key.name}=Keyword`);
  // Short timers (tests use 1–2 s expiries) fire on time.
  args.push('--dynamic-config-value', 'history.timerProcessorMaxTimeShift="10ms"');
  const child = spawn(o.bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const log = o.log ?? (() => {});
  child.stdout?.on('data', (d: Buffer) => log(d.toString()));
  child.stderr?.on('data', (d: Buffer) => log(d.toString()));
  let exited = false;
  child.on('exit', () => (exited = true));
  const deadline = Date.now() + 60_000;
  while (!(await canConnect(o.port))) {
    if (exited) throw new Error(`temporal dev server exited early (code ${child.exitCode})`);
    if (Date.now() > deadline) throw new Error('temporal dev server did not start within 60 s');
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    address: `127.0.0.1:${o.port}`,
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
