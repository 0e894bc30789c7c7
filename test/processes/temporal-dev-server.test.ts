/**
 * The helper that starts Temporal dev servers for the suites and the benches (scripts/lib/temporal-dev-server.ts),
 * driven with stand-in binaries (small node scripts taking the CLI's arguments) for the ways a start goes
 * wrong when parallel lanes start servers at once (and one that records the arguments it is given); the real binary
 * is started by every suite's global set-up.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canConnect, startTemporalDevServer, type DevServer } from '../../scripts/lib/temporal-dev-server';

let dir: string;
/** Servers the helper handed out: stopped after the file even when a test failed before its own stop. */
const started: DevServer[] = [];
const start = async (bin: string) => {
  const server = await startTemporalDevServer({ bin });
  started.push(server);
  return server;
};

/** A stand-in `temporal` binary: `body` runs with `port` (the --port argument) and `attempts` (a counter file) in scope. */
function fakeBin(name: string, body: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(
    file,
    `#!${process.execPath}\nconst fs = require('node:fs'); const net = require('node:net');\n` +
      `const port = Number(process.argv[process.argv.indexOf('--port') + 1]);\n` +
      `const counter = ${JSON.stringify(path.join(dir, `${name}.attempts`))};\n` +
      `fs.appendFileSync(counter, port + '\\n');\n${body}\n`,
  );
  fs.chmodSync(file, 0o755);
  return file;
}
const attemptsOf = (name: string) => fs.readFileSync(path.join(dir, `${name}.attempts`), 'utf8').trim().split('\n').map(Number);

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-temporal-'));
});
afterAll(async () => {
  await Promise.all(started.map((s) => s.stop()));
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('startTemporalDevServer', () => {
  it('starts a server that announces itself on the port it was given and answers there; stop() ends it', async () => {
    const bin = fakeBin('good', `net.createServer().listen(port, '127.0.0.1', () => console.log('CLI 1.5.1\\n\\nServer:  localhost:' + port));`);
    const server = await start(bin);
    const [port] = attemptsOf('good');
    expect(server.address).toBe(`127.0.0.1:${port}`);
    expect(await canConnect(port!)).toBe(true);
    await server.stop();
    expect(server.process.exitCode !== null || server.process.signalCode !== null).toBe(true);
  });

  it('a server that exits while starting is started again on another port, three times at most, then the error carries its output', async () => {
    const bin = fakeBin('bind-fails', `console.error('listen tcp 127.0.0.1:' + (port + 1000) + ': bind: address already in use'); process.exit(1);`);
    await expect(start(bin)).rejects.toThrow(/exited early \(code 1\).*bind: address already in use/);
    const ports = attemptsOf('bind-fails');
    expect(ports).toHaveLength(3);
    expect(new Set(ports).size).toBe(3);
  });

  it('a port that answers is not enough: when another process holds it and this server exits, the start is retried, not handed the other one', async () => {
    // The collision between lanes: the port picked here is taken by someone else's listener, and this server
    // exits for want of it. Before, the helper saw the port answer and returned the other process's address.
    const bin = fakeBin('port-taken', `
      const other = require('node:child_process').spawn(process.execPath, ['-e', "require('node:net').createServer().listen(" + port + ", '127.0.0.1'); setTimeout(() => process.exit(0), 4000)"], { stdio: 'ignore', detached: true });
      other.unref();
      const wait = () => { const s = net.connect(port, '127.0.0.1'); s.on('connect', () => { s.destroy(); setTimeout(() => { console.error('bind: address already in use'); process.exit(1); }, 300); }); s.on('error', () => setTimeout(wait, 20)); };
      wait();`);
    await expect(start(bin)).rejects.toThrow(/exited early/);
    expect(attemptsOf('port-taken')).toHaveLength(3);
  });

  it('a server that answers but never announces itself is not taken for ready (the port may be another server’s)', async () => {
    // It answers on its port at once and says its line only after a while: the helper waits for the line.
    const bin = fakeBin('late-line', `net.createServer().listen(port, '127.0.0.1', () => setTimeout(() => console.log('Server:  localhost:' + port), 700));`);
    const t0 = Date.now();
    const server = await start(bin);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(600);
    await server.stop();
  });

  it('starts the server writing each task queue to one partition and reading all (four let bursts of first workflow tasks wait ≈ 2 s)', async () => {
    const argsFile = path.join(dir, 'args.json');
    const bin = fakeBin('args', `fs.writeFileSync(${JSON.stringify(argsFile)}, JSON.stringify(process.argv.slice(2)));\nnet.createServer().listen(port, '127.0.0.1', () => console.log('Server:  localhost:' + port));`);
    await (await start(bin)).stop();
    const args = JSON.parse(fs.readFileSync(argsFile, 'utf8')) as string[];
    const dynamic = args.filter((_, i) => args[i - 1] === '--dynamic-config-value');
    expect(dynamic).toContain('matching.numTaskqueueWritePartitions=1');
    // Fewer read partitions would strand the tasks an older data directory holds in the others.
    expect(dynamic.filter((v) => v.startsWith('matching.numTaskqueueReadPartitions'))).toEqual([]);
  });

  it('starts the server without the platform’s environment (secrets such as MASTER_KEY stay out of its process)', async () => {
    const envFile = path.join(dir, 'env.json');
    const bin = fakeBin('env', `fs.writeFileSync(${JSON.stringify(envFile)}, JSON.stringify(process.env));\nnet.createServer().listen(port, '127.0.0.1', () => console.log('Server:  localhost:' + port));`);
    const before = { MASTER_KEY: process.env.MASTER_KEY, TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS };
    process.env.MASTER_KEY = 'a-secret-the-server-must-not-see';
    process.env.TEMPORAL_ADDRESS = '10.0.0.1:7233';
    try {
      await (await start(bin)).stop();
    } finally {
      for (const [k, v] of Object.entries(before)) if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    const seen = JSON.parse(fs.readFileSync(envFile, 'utf8')) as Record<string, string>;
    expect(seen.MASTER_KEY).toBeUndefined();
    expect(seen.TEMPORAL_ADDRESS).toBeUndefined();
    expect(JSON.stringify(seen)).not.toContain('a-secret-the-server-must-not-see');
    expect(seen.PATH).toBe(process.env.PATH);
  });
});
