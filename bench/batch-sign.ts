/**
 * Batch signing benchmark (npm run bench, 批量签署 M30): N preset contracts (BENCH_BATCH_CONTRACTS,
 * default 1 000) signed over the HTTP API
 * - one by one: per contract POST /contracts/:id/sms-code, read the code, POST /contracts/:id/sign
 *   (each request waits for its signature, as the contract page does);
 * - in one batch: POST /contracts/batch-sign/sms-code, read the code, POST /contracts/batch-sign,
 *   then poll GET /contracts/batch-sign/:id until every contract has its outcome.
 * Throughput = contracts per second; goal: batch ≥ 2× one by one. The real platform runs in this
 * process (API, worker with the real activities, SQLite in a temp dir) against its own Temporal dev
 * server. SMS budgets are per mobile (10 codes/hour) and per IP (30/hour): the one-by-one run
 * spreads its contracts over signers of at most 9 contracts, each from its own address, so the
 * budgets do not stop it; the batch needs one code. Contracts are prepared before the clocks start.
 */
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode } from '@temporalio/worker';
import { createApp } from '../api/app';
import { setUpPlatform } from '../bootstrap/set-up';
import { loadConfig } from '../config';
import { ContractSchema } from '../domain/contracts/contract.entity';
import { closeDocumentWorkers } from '../documents';
import { startTemporalDevServer, temporalBin } from '../scripts/lib/temporal-dev-server';
import { createUser, latestSmsCode, makePdf, TEST_PASSWORD } from '../test/harness/fixtures';
import { ApiClient } from '../test/harness/http-client';
import { createWorker } from '../worker/create-worker';
import { benchRow, type BenchRow } from './table';

export const BATCH_RATIO_TARGET = 2;
const CONTRACTS = Number(process.env.BENCH_BATCH_CONTRACTS ?? 1000);
const PER_SIGNER = 9;
/** Names must render on a 人名章 (no digits): 逐 + two characters by index. */
const NAME_CHARS = '甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉';
const signerName = (i: number) => `逐${NAME_CHARS[i % 20]}${NAME_CHARS[Math.floor(i / 20) % 20]}`;
const CREATE_PARALLEL = 6;

export interface BatchSignResult {
  contracts: number;
  oneByOneSeconds: number;
  batchSeconds: number;
  oneByOnePerSecond: number;
  batchPerSecond: number;
  ratio: number;
  batchFailed: number;
}


/** Runs `work` over `items` with at most `parallel` at a time. */
async function pool<T>(items: readonly T[], parallel: number, work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(Array.from({ length: parallel }, async () => {
    while (next < items.length) await work(items[next++]!);
  }));
}

export async function runBatchSignBench(log: (line: string) => void = console.log): Promise<BatchSignResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-batch-'));
  const [temporal, bundle] = await Promise.all([
    startTemporalDevServer({ bin: temporalBin() }),
    bundleWorkflowCode({ workflowsPath: path.resolve('workflows/index.ts'), logger: { info() {}, warn() {}, error: console.error, debug() {}, trace() {}, log() {} } }),
  ]);
  const config = loadConfig({ DATABASE_URL: `sqlite:${path.join(dir, 'app.sqlite')}`, TEMPORAL_ADDRESS: temporal.address, DATA_DIR: path.join(dir, 'data'), API_PORT: '0', LOG_LEVEL: 'error', SIGN_WAIT_SECONDS: '60', TEMPORAL_CALL_TIMEOUT_SECONDS: '30' });
  const services = await setUpPlatform(config, { firstOperator: false, print: () => undefined });
  const connection = await Connection.connect({ address: config.temporal.address });
  const client = new Client({ connection, namespace: config.temporal.namespace });
  const worker = await createWorker(services, { workflowBundle: bundle, reconcileSchedule: false });
  const running = worker.run();
  const server = createApp({ services, temporal: client }, { uiDir: path.resolve('dist') }).listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const pdf = await makePdf(2);
    const session = async (name: string) => {
      const u = await createUser(services, name);
      const api = new ApiClient(baseUrl);
      await api.login(u.mobile, TEST_PASSWORD);
      return { ...u, api };
    };
    // Starts are counted per initiator (100 in 10 minutes: domain/contracts/start-quota.ts) and one user has at most 2
    // uploads in flight: as on a real platform, many people start these contracts, in turn (50 each).
    const initiators = await Promise.all(Array.from({ length: Math.max(CREATE_PARALLEL, Math.ceil((2 * CONTRACTS) / 50)) }, (_, i) => session(`发起人${i + 1}`)));
    let starts = 0;
    const start = async (title: string, signer: { mobile: string; name: string }) => {
      const form = new FormData();
      form.append('file', new Blob([pdf as Uint8Array<ArrayBuffer>], { type: 'application/pdf' }), 'contract.pdf');
      form.append('spec', JSON.stringify({ title, participants: [{ kind: 'person', step: 1, mobile: signer.mobile, name: signer.name, marks: [{ kind: 'name_seal', page: 2, x: 100, y: 600 }] }] }));
      const initiator = initiators[starts++ % initiators.length]!.api;
      // Preparation only: a connection reset or a 503 under load is retried (a duplicate contract would be harmless).
      for (let attempt = 1; ; attempt++) {
        try {
          const r = await initiator.post('/contracts', form);
          if (r.status === 201) return r.json.id as string;
          if (r.status !== 503 || attempt >= 3) throw new Error(`start: ${r.status} ${JSON.stringify(r.json)}`);
        } catch (err) {
          if (attempt >= 3 || !(err instanceof TypeError)) throw err;
        }
      }
    };
    const inProgress = async (ids: string[]) => {
      for (let i = 0; i < 600; i++) {
        const n = await services.orm.em.fork().count(ContractSchema, { id: { $in: ids }, status: 'in_progress' });
        if (n === ids.length) return;
        await new Promise((r) => setTimeout(r, 500));
      }
      throw new Error('contracts did not reach 签署中');
    };

    // Preparation (not timed): N contracts for the one-by-one signers, N for the batch signer.
    const t0 = performance.now();
    const signers: Awaited<ReturnType<typeof session>>[] = [];
    for (let i = 0; i < Math.ceil(CONTRACTS / PER_SIGNER); i++) signers.push(await session(signerName(i)));
    const single: { id: string; signer: (typeof signers)[number] }[] = Array.from({ length: CONTRACTS }, (_, i) => ({ id: '', signer: signers[Math.floor(i / PER_SIGNER)]! }));
    await pool([...single.keys()], CREATE_PARALLEL, async (i) => void (single[i]!.id = await start(`逐份签署 ${i + 1}`, single[i]!.signer)));
    const batchSigner = await session('批签');
    const batchIds: string[] = Array.from({ length: CONTRACTS }, () => '');
    await pool([...batchIds.keys()], CREATE_PARALLEL, async (i) => void (batchIds[i] = await start(`批量签署 ${i + 1}`, batchSigner)));
    await inProgress([...single.map((s) => s.id), ...batchIds]);
    log(`batch-sign bench: ${2 * CONTRACTS} preset contracts prepared in ${((performance.now() - t0) / 1000).toFixed(0)} s`);

    // One by one.
    const t1 = performance.now();
    for (const { id, signer } of single) {
      const sent = await signer.api.post(`/contracts/${id}/sms-code`, {});
      if (sent.status !== 200) throw new Error(`sms-code: ${sent.status} ${JSON.stringify(sent.json)}`);
      const signed = await signer.api.post(`/contracts/${id}/sign`, { code: await latestSmsCode(services, signer.mobile) });
      if (signed.status !== 200) throw new Error(`sign: ${signed.status} ${JSON.stringify(signed.json)}`);
    }
    const oneByOneSeconds = (performance.now() - t1) / 1000;

    // One batch.
    const t2 = performance.now();
    const sent = await batchSigner.api.post('/contracts/batch-sign/sms-code', { ids: batchIds });
    if (sent.status !== 200) throw new Error(`batch sms-code: ${sent.status} ${JSON.stringify(sent.json)}`);
    const submitted = await batchSigner.api.post('/contracts/batch-sign', { batchId: sent.json.batchId, code: await latestSmsCode(services, batchSigner.mobile) });
    if (submitted.status !== 202) throw new Error(`batch submit: ${submitted.status} ${JSON.stringify(submitted.json)}`);
    // Polled as the portal does: only the items changed since the last answer.
    let progress = submitted.json;
    while (progress.status !== 'done') {
      await new Promise((r) => setTimeout(r, 500));
      const since = progress.cursor ? `?since=${encodeURIComponent(progress.cursor)}` : '';
      const polled = await batchSigner.api.get(`/contracts/batch-sign/${sent.json.batchId}${since}`);
      if (polled.status !== 200) throw new Error(`batch progress: ${polled.status} ${JSON.stringify(polled.json)}`);
      progress = polled.json;
    }
    const batchSeconds = (performance.now() - t2) / 1000;
    const result: BatchSignResult = {
      contracts: CONTRACTS,
      oneByOneSeconds,
      batchSeconds,
      oneByOnePerSecond: CONTRACTS / oneByOneSeconds,
      batchPerSecond: progress.counts.signed / batchSeconds,
      ratio: progress.counts.signed / batchSeconds / (CONTRACTS / oneByOneSeconds),
      batchFailed: progress.counts.failed,
    };
    return result;
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    worker.shutdown();
    await running;
    await connection.close();
    await services.close();
    await closeDocumentWorkers(0);
    await temporal.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Batch throughput against one by one over the API (goal ≥ 2×, no failed item). */
export function batchSignRow(r: BatchSignResult): BenchRow {
  return benchRow({
    section: 'batch-sign',
    what: `batch signing, ${r.contracts} preset contracts over the API (${r.batchFailed} failed)`,
    today: r.batchFailed === 0 ? r.batchPerSecond : 0,
    unit: 'contracts/s',
    anchor: { what: 'one by one', value: r.oneByOnePerSecond },
    goal: { min: BATCH_RATIO_TARGET },
    note: `batch ${r.batchSeconds.toFixed(1)} s, one by one ${r.oneByOneSeconds.toFixed(1)} s`,
  });
}

/** Appends the result to bench/results.jsonl (one JSON line per run). */
export function recordBatchSign(r: BatchSignResult) {
  fs.appendFileSync(path.resolve('bench/results.jsonl'), `${JSON.stringify({ bench: 'batch-sign', at: new Date().toISOString(), ...r })}\n`);
}

/** Bench section (bench/run.ts). */
export async function run(): Promise<BenchRow[]> {
  const r = await runBatchSignBench();
  recordBatchSign(r);
  return [batchSignRow(r)];
}
