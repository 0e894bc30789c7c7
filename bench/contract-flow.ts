/**
 * Contract path through Temporal (issue 12, part W). Two rows:
 *
 * 1. Contracts completed end to end, 2 signers (step 1, step 2, a preset 人名章 each), 16 at a time:
 *    `startContract` (the API's use case: the upload is inspected and prepared, rows written, the
 *    ContractLifecycleWorkflow started), then per signer a 意愿认证 confirmation row and the `sign`
 *    Update (the real activities stamp and PAdES-sign in the document threads and commit), then the
 *    workflow's result (已完成). Anchor, on the same dev server in the same run, interleaved: a no-op
 *    workflow with the same search attributes, the same two `sign` Updates and the same status
 *    upserts (bench/noop-contract-workflow.ts). Goal: contracts/s ≥ 0.5 × workflows/s, each the best of
 *    its interleaved rounds: a round can only be slowed (this machine drifts). Rounds used to stall ≈ 2 s at
 *    random (first workflow tasks waiting in one of the task queue's four partitions; the dev server now runs one,
 *    scripts/lib/temporal-dev-server.ts).
 *    Notes: process CPU per contract (this process = driver + worker + document threads; the
 *    Temporal server is a separate process, reported beside it), SQL statements per contract, the
 *    same work without Temporal (the use case and the activities called directly, one contract at a
 *    time): the CPU that no orchestration can remove, and the orchestration alone (the same workflow,
 *    started as the API starts it, on a worker with the platform's settings whose activities answer at
 *    once as a committed signature does; interleaved in the same rounds): what Temporal costs a
 *    contract. Their sum against the no-op is the ratio this design can reach on this machine.
 * 2. The signing activity's key material per signature once the certificate row is read (the key
 *    decrypted → KeyObject, cached per process: domain/certificates/signer-keys.ts) vs the RSA-2048
 *    signature itself; the uncached step and the row read are noted beside it.
 *
 * The real platform runs in this process (services, worker with the real activities) against its
 * own Temporal dev server (`TEMPORAL_BIN` or scripts/lib/temporal-bin.sh) and a fresh database:
 * SQLite in a temp dir, or MariaDB with BENCH_CONTRACT_FLOW_DB=mysql (BENCH_MYSQL_URL, default
 * mysql://sealflow_test:sealflow_test@127.0.0.1:3306; a database is created and dropped).
 * BENCH_CONTRACT_FLOW_N (default 64) contracts per round (and twice as many no-op workflows), after one
 * untimed round of each (BENCH_CONTRACT_FLOW_WARMUP rounds, default 1); BENCH_CONTRACT_FLOW_ROUNDS (default 3).
 * Diagnostics: BENCH_CONTRACT_FLOW_PROFILE=<dir> (main thread during the contract rounds),
 * BENCH_CONTRACT_FLOW_PROFILE_DIRECT=<dir> (main thread during the work without Temporal), BENCH_CONTRACT_FLOW_SQL=<file>.
 */
import { createHash, createPrivateKey, randomUUID, sign as rsaSign } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { EntityManager } from '@mikro-orm/core';
import { Client, Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { bundleWorkflowCode, NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { setUpPlatform } from '../bootstrap/set-up';
import type { Services } from '../bootstrap/services';
import { loadConfig, type AppConfig } from '../config';
import { forgetSignerKeys, signerCredentialsForCertificate } from '../domain/certificates/signer-keys';
import { SigningCertificateSchema } from '../domain/certificates/certificate.entities';
import { ContractSignerSchema } from '../domain/contracts/contract-signer.entity';
import { startContract, startContractSpecSchema } from '../domain/contracts/start-contract';
import { WillingnessConfirmationSchema } from '../domain/contracts/willingness-confirmation.entity';
import { createUser as newUser } from '../domain/identity/create-user';
import { findRows, insertRow } from '../domain/persistence/plain-rows';
import type { User } from '../domain/identity/user.entity';
import { closeDocumentWorkers } from '../documents';
import { createSmsSender } from '../integrations/sms';
import { startTemporalDevServer, temporalBin } from '../scripts/lib/temporal-dev-server';
import { startContractWorkflow } from '../workflows/clients/start-contract-workflow';
import type { StartRouting } from '../domain/contracts/routing';
import { lifecycleSignUpdate } from '../workflows/contract-lifecycle-api';
import { contractWorkflowId, SA_CONTRACT_ID, SA_CONTRACT_STATUS, SA_INITIATOR_ID } from '../workflows/search-attributes';
import { createWorker } from '../worker/create-worker';
import { createActivities } from '../activities';
import { median, pairedMedianMs } from './measure';
import { noopContractWorkflow, noopSignUpdate } from './noop-contract-workflow';
import { benchRow, type BenchRow } from './table';

export const CONTRACT_FLOW_RATIO_TARGET = 0.5;
export const KEY_MATERIAL_RATIO_TARGET = 1;
const CONCURRENCY = Number(process.env.BENCH_CONTRACT_FLOW_CONCURRENCY ?? 16);
const SIGNERS = 2;

export interface ContractFlowResult {
  dialect: string;
  contracts: number;
  contractsPerSecond: number;
  noopPerSecond: number;
  /** Each timed round's rate (the figures above are the best of them: a round can only be slowed). */
  contractRates: number[];
  noopRates: number[];
  /** CPU of this process (driver + worker + document threads) per contract, ms. */
  processCpuMsPerContract: number;
  /** CPU of the Temporal dev server per contract, ms (null when /proc is not readable). */
  temporalCpuMsPerContract: number | null;
  noopProcessCpuMsPerWorkflow: number;
  /** CPU of the Temporal dev server per no-op workflow, ms (null when /proc is not readable). */
  noopTemporalCpuMsPerWorkflow: number | null;
  /** The orchestration alone (instant activities): rate and CPU per contract of this process and of the Temporal server (null when /proc is not readable). */
  orchestration: { perSecond: number; processCpuMs: number; temporalCpuMs: number | null };
  /** Histories of the timed rounds' runs: events and workflow tasks per run (median, max), workflow tasks that timed out or failed (total). */
  histories: Record<'contracts' | 'orchestration' | 'noop', HistoryTally>;
  /** Main-thread event-loop utilisation during the contract rounds (0–1). */
  mainThreadBusy: number;
  /** CPU per contract of this process's main thread (API use case, activities, the worker's dispatch), ms; null when /proc is not readable. */
  mainThreadCpuMsPerContract: number | null;
  /** SQL statements per contract, by phase (one contract measured alone). */
  queries: { start: number; sign1: number; sign2: number; close: number; total: number };
  /**
   * The platform's own work per contract without Temporal: the same use case and activities called
   * directly, one contract at a time (CPU of this process, ms, by phase).
   */
  direct: { start: number; signatures: number; total: number };
  keyMaterialMs: number;
  rsaSignMs: number;
  /** Decrypt + parse (no cache), and the certificate row read, medians in the same run. */
  coldKeyMs: number;
  rowReadMs: number;
}


/** Name and CPU ms (utime + stime) of a /proc …/stat line. */
function parseStat(stat: string): { name: string; cpuMs: number } {
  const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
  return { name: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), cpuMs: ((Number(fields[11]) + Number(fields[12])) * 1000) / 100 }; // clock ticks (USER_HZ 100)
}

/** CPU ms of another process so far, or null. */
function procCpuMs(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    return parseStat(fs.readFileSync(`/proc/${pid}/stat`, 'utf8')).cpuMs;
  } catch {
    return null;
  }
}

/**
 * CPU ms so far of each thread of this process: 'main', Node's own threads (V8 helpers, libuv pool,
 * worker threads: all named "node") as node#<tid>, others (Temporal core's tokio threads) by name.
 * Empty where /proc is not readable.
 */
function threadCpuMs(): Map<string, number> {
  const byName = new Map<string, number>();
  let tids: string[] = [];
  try {
    tids = fs.readdirSync('/proc/self/task');
  } catch {
    return byName;
  }
  for (const tid of tids) {
    try {
      const { name, cpuMs } = parseStat(fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8'));
      const key = tid === String(process.pid) ? 'main' : name === 'node' ? `node#${tid}` : name;
      byName.set(key, (byName.get(key) ?? 0) + cpuMs);
    } catch {
      // the thread ended
    }
  }
  return byName;
}

/** A fresh MariaDB database (dropped by the returned function), or null for SQLite. */
async function databaseUrl(dir: string): Promise<{ url: string; drop: () => Promise<void> }> {
  if (process.env.BENCH_CONTRACT_FLOW_DB !== 'mysql') return { url: `sqlite:${path.join(dir, 'app.sqlite')}`, drop: async () => undefined };
  const url = new URL(process.env.BENCH_MYSQL_URL ?? 'mysql://sealflow_test:sealflow_test@127.0.0.1:3306');
  const mysql = await import('mysql2/promise');
  const base = { host: url.hostname, port: Number(url.port || 3306), user: decodeURIComponent(url.username), password: decodeURIComponent(url.password) };
  const name = `bench_flow_${process.pid}_${Date.now()}`;
  const admin = await mysql.createConnection(base);
  await admin.query(`create database \`${name}\` character set utf8mb4 collate utf8mb4_unicode_ci`);
  await admin.end();
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = await mysql.createConnection(base);
      await c.query(`drop database if exists \`${name}\``);
      await c.end();
    },
  };
}

/** Counts the SQL statements the ORM sends (knex 'query' events). */
function queryCounter(services: Services) {
  let n = 0;
  const knex = (services.orm.em as unknown as { getKnex(): { on(e: string, f: (...args: never[]) => void): void } }).getKnex();
  const dump = process.env.BENCH_CONTRACT_FLOW_SQL ? fs.createWriteStream(process.env.BENCH_CONTRACT_FLOW_SQL) : null;
  // With the dump on, each statement is written when it answers, with its time since it was sent.
  const sent = new Map<string, number>();
  knex.on('query', (q: { sql: string; __knexQueryUid?: string }) => {
    n++;
    if (dump && q.__knexQueryUid) sent.set(q.__knexQueryUid, performance.now());
    // Plain SQL (plain-sql.ts) runs on the connection itself: no response event, written as it is sent.
    else if (dump) dump.write(`plain  ${q.sql.replace(/\s+/g, ' ').slice(0, 300)}\n`);
  });
  if (dump) {
    knex.on('query-response', (_r: unknown, q: { sql: string; __knexQueryUid?: string }) => {
      const at = q.__knexQueryUid ? sent.get(q.__knexQueryUid) : undefined;
      if (q.__knexQueryUid) sent.delete(q.__knexQueryUid);
      dump.write(`${at === undefined ? '?' : (performance.now() - at).toFixed(2)} ms  ${q.sql.replace(/\s+/g, ' ').slice(0, 300)}\n`);
    });
  }
  const count = () => n;
  /** A marker line in the BENCH_CONTRACT_FLOW_SQL dump. */
  count.mark = (text: string) => dump?.write(`---- ${text}\n`);
  return count;
}

/**
 * A CPU profile of this process's main thread between `start` and `stop` (BENCH_CONTRACT_FLOW_PROFILE=<dir>: the
 * contract rounds only, no set-up, no anchor), written as <dir>/<name>-<pid>.cpuprofile; nothing without a dir.
 */
async function mainThreadProfiler(name = 'contract-flow', dir = process.env.BENCH_CONTRACT_FLOW_PROFILE) {
  if (!dir) return { start: async () => undefined, stop: async () => undefined };
  const { Session } = await import('node:inspector/promises');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  let nodes: unknown[] = [];
  const samples: number[] = [];
  const timeDeltas: number[] = [];
  let startTime = 0;
  let endTime = 0;
  return {
    start: () => session.post('Profiler.start'),
    async stop() {
      const { profile } = (await session.post('Profiler.stop')) as { profile: { nodes: unknown[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number } };
      // Rounds are appended: node ids are per profile, so only the last round's tree is kept whole.
      nodes = profile.nodes;
      samples.splice(0, samples.length, ...profile.samples);
      timeDeltas.splice(0, timeDeltas.length, ...profile.timeDeltas);
      startTime = profile.startTime;
      endTime = profile.endTime;
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, `${name}-${process.pid}.cpuprofile`), JSON.stringify({ nodes, samples, timeDeltas, startTime, endTime }));
    },
  };
}

/** What one timed round cost: wall time, CPU of this process, CPU of the Temporal server (null when /proc is not readable), CPU by thread. */
interface RoundFigures {
  seconds: number;
  cpuMs: number;
  temporalCpuMs: number | null;
  threadMs: Map<string, number>;
}

async function measuredRound(temporalPid: number | undefined, work: () => Promise<unknown>): Promise<RoundFigures> {
  const temporalBefore = procCpuMs(temporalPid);
  const threadsBefore = threadCpuMs();
  const cpu = process.cpuUsage();
  const t = performance.now();
  await work();
  const seconds = (performance.now() - t) / 1000;
  const used = process.cpuUsage(cpu);
  const threadsAfter = threadCpuMs();
  const temporalAfter = procCpuMs(temporalPid);
  return {
    seconds,
    cpuMs: (used.user + used.system) / 1000,
    temporalCpuMs: temporalBefore === null || temporalAfter === null ? null : temporalAfter - temporalBefore,
    threadMs: new Map([...threadsAfter].map(([k, v]) => [k, v - (threadsBefore.get(k) ?? 0)])),
  };
}

/** One kind of run, measured round after round. */
class Series {
  rates: number[] = [];
  seconds = 0;
  cpuMs = 0;
  temporalCpuMs: number | null = 0;
  /** Adds a round of `n` runs; answers its rate. */
  add(n: number, round: RoundFigures): number {
    this.rates.push(n / round.seconds);
    this.seconds += round.seconds;
    this.cpuMs += round.cpuMs;
    this.temporalCpuMs = this.temporalCpuMs === null || round.temporalCpuMs === null ? null : this.temporalCpuMs + round.temporalCpuMs;
    return n / round.seconds;
  }
  /** Temporal server CPU per run over `runs` runs, or null. */
  per(runs: number): number | null {
    return this.temporalCpuMs === null ? null : this.temporalCpuMs / runs;
  }
}

/** Thread CPU per run, busiest first, threads under `min` ms left out. */
const threadsLine = (threadMs: Map<string, number>, runs: number, min: number) =>
  [...threadMs].map(([k, v]) => [k, v / runs] as const).filter(([, v]) => v > min).sort((x, y) => y[1] - x[1]).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ');

interface HistoryTally {
  runs: number;
  events: { median: number; max: number };
  workflowTasks: { median: number; max: number };
  /** Workflow tasks that timed out or failed (each one re-ran the task, its local activities included). */
  lostTasks: number;
}

/** Events and workflow tasks per run, read back from the dev server once the rounds are over. */
async function historyTally(client: Client, workflowIds: string[]): Promise<HistoryTally> {
  const types = proto.temporal.api.enums.v1.EventType;
  const events: number[] = [];
  const tasks: number[] = [];
  let lostTasks = 0;
  for (const id of workflowIds) {
    const history = (await client.workflow.getHandle(id).fetchHistory()).events ?? [];
    events.push(history.length);
    tasks.push(history.filter((e) => e.eventType === types.EVENT_TYPE_WORKFLOW_TASK_COMPLETED).length);
    lostTasks += history.filter((e) => e.eventType === types.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT || e.eventType === types.EVENT_TYPE_WORKFLOW_TASK_FAILED).length;
  }
  const spread = (xs: number[]) => ({ median: xs.length ? median(xs) : 0, max: xs.length ? Math.max(...xs) : 0 });
  return { runs: workflowIds.length, events: spread(events), workflowTasks: spread(tasks), lostTasks };
}

/**
 * The lifecycle activities of the orchestration-alone measurement: a signature answers at once as a committed one
 * does (its notice sent, the last one closing the contract); the routed start the API makes needs no other.
 */
function instantLifecycleActivities() {
  const signed = new Map<string, number>();
  return {
    async signForParticipant(input: { contractId: string }) {
      const n = (signed.get(input.contractId) ?? 0) + 1;
      if (n === SIGNERS) signed.delete(input.contractId);
      else signed.set(input.contractId, n);
      return { documentVersion: n + 1, stepAdvanced: n < SIGNERS ? n + 1 : null, completed: n === SIGNERS, notified: true, ...(n === SIGNERS ? { closed: true } : {}) };
    },
  };
}

/** Latencies of the steps of one round's workflows, ms: logged per round (p50/p95/max), a slow round shows where it waited. */
class StepLatencies {
  private readonly steps = new Map<string, number[]>();

  /** A timer for one workflow: each call records the time since the previous one under `step`. */
  timer(): (step: string) => void {
    let t = performance.now();
    return (step) => {
      const now = performance.now();
      const xs = this.steps.get(step) ?? [];
      xs.push(now - t);
      this.steps.set(step, xs);
      t = now;
    };
  }

  /** The round's line, then empties the record for the next round. */
  take(): string {
    const at = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? 0;
    const line = [...this.steps].map(([step, xs]) => `${step} ${at(xs, 0.5).toFixed(0)}/${at(xs, 0.95).toFixed(0)}/${at(xs, 1).toFixed(0)}`).join(', ');
    this.steps.clear();
    return line;
  }
}

/** Runs `work(i)` for i < n with at most `parallel` at a time. */
async function inParallel(n: number, parallel: number, work: (i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(parallel, n) }, async () => {
    while (next < n) await work(next++);
  }));
}

async function makePdf(pages: number): Promise<Uint8Array> {
  const { PDFDocument, StandardFonts } = await import('pdf-lib');
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 1; i <= pages; i++) doc.addPage([595.28, 841.89]).drawText(`Contract page ${i}`, { x: 72, y: 760, size: 14, font });
  return doc.save();
}

let mobileSeq = 0;
async function person(services: Services, name: string): Promise<User> {
  const em = services.orm.em.fork();
  const mobile = `17${String(process.pid % 1e5).padStart(5, '0')}${String(mobileSeq++).padStart(4, '0')}`;
  const user = await newUser(em, { name, mobile, password: 'Bench@123456', platformRole: null, realNameStatus: 'verified' });
  await em.flush();
  return user;
}

/** The contract's participants in signing order, and an EntityManager to write their confirmations with. */
async function participantsOf(services: Services, contractId: string) {
  const em = services.orm.em.fork();
  return { em, participants: await findRows(em, ContractSignerSchema, { contractId }, { orderBy: [['order', 'asc']] }) };
}

/** A 意愿认证 confirmation row for the participant's next signature (what the API writes after the SMS code); its id. The driver's own rows are plain SQL: its CPU counts with the platform's. */
async function confirm(em: EntityManager, contractId: string, p: { id: string; userId: string | null }): Promise<string> {
  const id = randomUUID();
  await insertRow(em, WillingnessConfirmationSchema, { id, contractId, signerId: p.id, userId: p.userId!, method: 'sms', confirmedAt: new Date(), usedAt: null, ip: '203.0.113.9', codeHash: null });
  return id;
}

/**
 * CPU of this process per contract for the platform's own work without Temporal: `startContract`
 * (workflow start left out; it activates the contract and commits step 1's notice), then what the
 * workflow runs — per signer a confirmation row and `signForParticipant` (with the notices it sends) —
 * called directly.
 */
async function directWork(
  services: Services,
  config: AppConfig,
  deps: () => Parameters<typeof startContract>[0],
  initiator: User,
  spec: ReturnType<typeof startContractSpecSchema.parse>,
  pdf: Uint8Array,
  log: (line: string) => void,
): Promise<ContractFlowResult['direct']> {
  const activities = createActivities({ orm: services.orm, store: services.store, ca: services.ca, masterKey: config.masterKey, config, office: services.office });
  const ms = { start: 0, signatures: 0 };
  const timed = async <T>(phase: keyof typeof ms | null, work: () => Promise<T>): Promise<T> => {
    const before = process.cpuUsage();
    const result = await work();
    const used = process.cpuUsage(before);
    if (phase) ms[phase] += (used.user + used.system) / 1000;
    return result;
  };
  const one = async (measure: boolean) => {
    const started = await timed(measure ? 'start' : null, () => startContract(deps(), { id: initiator.id, name: initiator.name, ip: null }, spec, pdf));
    const { em, participants } = await participantsOf(services, started.id);
    for (const p of participants) {
      await timed(measure ? 'signatures' : null, async () => {
        const confirmationId = await confirm(em, started.id, p);
        await activities.signForParticipant({ contractId: started.id, participantId: p.id, actorUserId: p.userId!, confirmationId, notify: true });
      });
    }
  };
  const n = Number(process.env.BENCH_CONTRACT_FLOW_DIRECT_N ?? 30);
  for (let i = 0; i < 5; i++) await one(false);
  const threadsBefore = threadCpuMs();
  const profile = await mainThreadProfiler('contract-flow-direct', process.env.BENCH_CONTRACT_FLOW_PROFILE_DIRECT);
  await profile.start();
  for (let i = 0; i < n; i++) await one(true);
  await profile.stop();
  const threadsAfter = threadCpuMs();
  log(`contract-flow without Temporal, threads ms/contract: ${threadsLine(new Map([...threadsAfter].map(([k, v]) => [k, v - (threadsBefore.get(k) ?? 0)])), n, 0.2)}`);
  const per = (v: number) => v / n;
  return { start: per(ms.start), signatures: per(ms.signatures), total: per(ms.start + ms.signatures) };
}

export async function runContractFlowBench(log: (line: string) => void = console.log): Promise<ContractFlowResult> {
  const perRound = Number(process.env.BENCH_CONTRACT_FLOW_N ?? 64);
  const rounds = Number(process.env.BENCH_CONTRACT_FLOW_ROUNDS ?? 3);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-flow-'));
  const db = await databaseUrl(dir);
  const [temporal, bundle] = await Promise.all([
    startTemporalDevServer({ bin: temporalBin() }),
    bundleWorkflowCode({ workflowsPath: path.resolve('bench/contract-flow-workflows.ts'), logger: { info() {}, warn() {}, error: console.error, debug() {}, trace() {}, log() {} } }),
  ]);
  const config: AppConfig = loadConfig({ DATABASE_URL: db.url, TEMPORAL_ADDRESS: temporal.address, DATA_DIR: path.join(dir, 'data'), API_PORT: '0', LOG_LEVEL: 'error' });
  const services = await setUpPlatform(config, { firstOperator: false, print: () => undefined });
  const connection = await Connection.connect({ address: config.temporal.address });
  const client = new Client({ connection, namespace: config.temporal.namespace });
  // The contracts run on the platform's worker as deployed; the anchor on its own worker in this process
  // (same bundle, its own task queue, no activities, the platform worker's pollers: with one partition per queue a
  // no-op does as well with the SDK's 10 as with 32, which the anchor had while partitions stalled it).
  const worker = await createWorker(services, { workflowBundle: bundle, reconcileSchedule: false });
  /** A worker of this process on its own task queue, with the same bundle and the platform worker's two workflow threads. */
  const queueWorker = async (taskQueue: string, options: Pick<WorkerOptions, 'activities'> = {}) => {
    const connection = await NativeConnection.connect({ address: config.temporal.address });
    return { taskQueue, connection, worker: await Worker.create({ connection, namespace: config.temporal.namespace, taskQueue, workflowBundle: bundle, workflowThreadPoolSize: 2, ...options }) };
  };
  const anchor = await queueWorker(`${config.temporal.taskQueue}-anchor`);
  const anchorQueue = anchor.taskQueue;
  // The orchestration alone: the platform worker's settings, activities that answer at once.
  const orchestration = await queueWorker(`${config.temporal.taskQueue}-orchestration`, { activities: instantLifecycleActivities() });
  const orchestrationQueue = orchestration.taskQueue;
  const running = Promise.all([worker.run(), anchor.worker.run(), orchestration.worker.run()]);
  const queries = queryCounter(services);
  try {
    const pdf = await makePdf(2);
    const initiator = await person(services, '冯发起');
    // Starts are counted per initiator (domain/contracts/start-quota.ts): as on a real platform, many people start
    // contracts at once, one per concurrent slot here, in turn.
    const initiators = await Promise.all(Array.from({ length: CONCURRENCY }, (_, i) => person(services, `发起人${i + 1}`)));
    let started = 0;
    const nextInitiator = () => initiators[started++ % initiators.length]!;
    const [a, b] = [await person(services, '张三'), await person(services, '李四')];
    const spec = startContractSpecSchema.parse({
      title: '基准合同',
      participants: [
        { kind: 'person', step: 1, mobile: a.mobile, name: a.name, marks: [{ kind: 'name_seal', page: 2, x: 100, y: 600 }] },
        { kind: 'person', step: 2, mobile: b.mobile, name: b.name, marks: [{ kind: 'name_seal', page: 2, x: 350, y: 600 }] },
      ],
    });
    const startDeps = () => ({
      em: services.orm.em.fork(),
      store: services.store,
      limits: { maxBytes: config.maxUploadBytes, maxPages: config.maxPages },
      sms: (e: Parameters<typeof createSmsSender>[1]) => createSmsSender(config, e),
      publicUrl: config.publicUrl,
      startWorkflow: (c: Parameters<typeof startContractWorkflow>[2], routing: StartRouting) => startContractWorkflow(client, config.temporal.taskQueue, c, { timeoutMs: 30_000, routing }),
    });

    /** Workflow ids of the runs that finished, for the history tally (only the timed rounds' are kept). */
    const finished = { contracts: [] as string[], orchestration: [] as string[], noop: [] as string[] };
    /** One contract, end to end; `phase` marks the boundaries (for the query count). */
    const oneContract = async (phase: (name: 'start' | 'sign1' | 'sign2' | 'close') => void = () => undefined) => {
      const by = nextInitiator();
      const started = await startContract(startDeps(), { id: by.id, name: by.name, ip: null }, spec, pdf);
      phase('start');
      const contractId = started.id;
      const { em, participants } = await participantsOf(services, contractId);
      const handle = client.workflow.getHandle(contractWorkflowId(contractId));
      for (const [k, p] of participants.entries()) {
        const confirmationId = await confirm(em, contractId, p);
        await handle.executeUpdate(lifecycleSignUpdate, { args: [{ participantId: p.id, actorUserId: p.userId!, confirmationId }], updateId: `sign:${confirmationId}` });
        phase(k === 0 ? 'sign1' : 'sign2');
      }
      const outcome = await handle.result();
      if (outcome.status !== 'completed') throw new Error(`contract ${contractId} ended ${outcome.status}`);
      phase('close');
      finished.contracts.push(handle.workflowId);
    };
    const noopSteps = new StepLatencies();
    const orchestrationSteps = new StepLatencies();
    /** The contract's workflow as the API starts it (routed, step 1's notice in the activation), its two signs answered at once. */
    const oneOrchestration = async () => {
      const id = randomUUID();
      const took = orchestrationSteps.timer();
      const participants = ['a', 'b'].map((p, k) => ({ participantId: `${id}:${p}`, step: k + 1, status: k === 0 ? ('pending' as const) : ('waiting' as const), canRefuse: true }));
      await startContractWorkflow(client, orchestrationQueue, { id, initiatorId: initiator.id, initiatorEnterpriseId: null, expiresAt: new Date(Date.now() + 86_400_000) } as Parameters<typeof startContractWorkflow>[2], {
        timeoutMs: 30_000,
        routing: { initiatorId: initiator.id, participants, firstStepNoticeInActivation: true },
      });
      took('start');
      const handle = client.workflow.getHandle(contractWorkflowId(id));
      for (const p of participants) {
        await handle.executeUpdate(lifecycleSignUpdate, { args: [{ participantId: p.participantId, actorUserId: initiator.id, confirmationId: randomUUID() }], updateId: `sign:${p.participantId}` });
        took('sign');
      }
      const outcome = await handle.result();
      took('result');
      if (outcome.status !== 'completed') throw new Error(`orchestration ${id} ended ${outcome.status}`);
      finished.orchestration.push(handle.workflowId);
    };
    const oneNoop = async (i: number) => {
      const id = `noop:${randomUUID()}`;
      const took = noopSteps.timer();
      const handle = await client.workflow.start(noopContractWorkflow, {
        workflowId: id,
        taskQueue: anchorQueue,
        args: [{ signers: SIGNERS }],
        typedSearchAttributes: [
          { key: SA_CONTRACT_ID, value: id },
          { key: SA_CONTRACT_STATUS, value: 'starting' },
          { key: SA_INITIATOR_ID, value: initiator.id },
        ],
      });
      took('start');
      for (let k = 0; k < SIGNERS; k++) {
        await handle.executeUpdate(noopSignUpdate, { args: [{ participantId: `p${k}` }], updateId: `sign:${i}:${k}` });
        took('sign');
      }
      await handle.result();
      took('result');
      finished.noop.push(id);
    };

    // Warm-up: one untimed round of each at full concurrency (threads, caches, the certificates issued on
    // first use, and the JIT: with 4 warm-up contracts the first timed round ran 10–15 % slower than the
    // second, so the figure was not the steady state of a running worker). Then one contract alone for
    // the statement count.
    const warmUpRounds = Number(process.env.BENCH_CONTRACT_FLOW_WARMUP ?? 1);
    for (let w = 0; w < warmUpRounds; w++) {
      await inParallel(perRound, CONCURRENCY, () => oneContract());
      await inParallel(perRound * 2, CONCURRENCY, oneNoop);
      await inParallel(perRound, CONCURRENCY, oneOrchestration);
    }
    const counts: Record<string, number> = {};
    let mark = queries();
    queries.mark('one contract');
    await oneContract((name) => {
      counts[name] = queries() - mark;
      mark = queries();
      queries.mark(`after ${name}`);
    });
    const q = { start: counts.start ?? 0, sign1: counts.sign1 ?? 0, sign2: counts.sign2 ?? 0, close: counts.close ?? 0, total: 0 };
    q.total = q.start + q.sign1 + q.sign2 + q.close;
    log(`contract-flow: statements per contract ${JSON.stringify(q)}`);

    finished.contracts.length = finished.orchestration.length = finished.noop.length = 0;
    // Interleaved rounds: no-op, contracts, orchestration alone, no-op, contracts…
    const pid = temporal.process.pid;
    const noops = new Series();
    const contractSeries = new Series();
    const orchestrations = new Series();
    let busy = 0;
    let mainThreadCpu: number | null = 0;
    const profile = await mainThreadProfiler();
    // The warm-up's latencies are not a round's.
    noopSteps.take();
    orchestrationSteps.take();
    for (let r = 0; r < rounds; r++) {
      const noop = await measuredRound(pid, () => inParallel(perRound * 2, CONCURRENCY, oneNoop));
      log(`contract-flow no-op threads ms/workflow: ${threadsLine(noop.threadMs, perRound * 2, 0.3)}`);
      log(`contract-flow no-op round ${r + 1}: ${noops.add(perRound * 2, noop).toFixed(2)} workflows/s; ms per step (p50/p95/max) ${noopSteps.take()}`);

      const elu = performance.eventLoopUtilization();
      const round = await measuredRound(pid, async () => {
        await profile.start();
        await inParallel(perRound, CONCURRENCY, () => oneContract());
        await profile.stop();
      });
      const mainDelta = round.threadMs.get('main');
      mainThreadCpu = mainDelta === undefined || mainThreadCpu === null ? null : mainThreadCpu + mainDelta;
      log(`contract-flow threads ms/contract: ${threadsLine(round.threadMs, perRound, 0.5)}`);
      busy += performance.eventLoopUtilization(elu).utilization * round.seconds;
      log(`contract-flow round ${r + 1}: ${contractSeries.add(perRound, round).toFixed(2)} contracts/s`);

      const alone = await measuredRound(pid, () => inParallel(perRound, CONCURRENCY, oneOrchestration));
      log(`contract-flow orchestration alone, round ${r + 1}: ${orchestrations.add(perRound, alone).toFixed(2)} contracts/s; ms per step (p50/p95/max) ${orchestrationSteps.take()}`);
    }
    const contracts = perRound * rounds;
    const histories = { contracts: await historyTally(client, finished.contracts), orchestration: await historyTally(client, finished.orchestration), noop: await historyTally(client, finished.noop) };
    log(`contract-flow histories: ${JSON.stringify(histories)}`);

    // Beside row 1: the same work without Temporal (the use case and the activities called directly,
    // one contract at a time). It is the part of a contract's CPU that no orchestration can remove.
    const direct = await directWork(services, config, () => ({ ...startDeps(), startWorkflow: async () => undefined }), initiator, spec, pdf, log);
    log(`contract-flow: without Temporal, CPU per contract ${JSON.stringify(direct)}`);

    // Row 2: the key material of a signature once the certificate row is read (cache warm: a worker's steady state) vs the RSA signature.
    const certRow = await services.orm.em.fork().findOneOrFail(SigningCertificateSchema, { ownerType: 'user', ownerId: a.id, status: 'active' });
    const cred = signerCredentialsForCertificate(certRow, config.masterKey, services.ca);
    const digest = createHash('sha256').update('signed attributes').digest();
    const signingKey = cred.privateKey ?? createPrivateKey(cred.privateKeyPem);
    const [keyMaterialMs, rsaSignMs] = await pairedMedianMs(
      () => signerCredentialsForCertificate(certRow, config.masterKey, services.ca).privateKey,
      () => rsaSign('sha256', digest, signingKey),
      200,
      20,
    );
    // Beside it, in the same run: the same step cold (decrypt + parse: what every signature paid before the cache) and the certificate row read.
    const [coldKeyMs, rowReadMs] = await pairedMedianMs(
      () => {
        forgetSignerKeys({ certificateIds: [certRow.id] });
        return signerCredentialsForCertificate(certRow, config.masterKey, services.ca);
      },
      () => services.orm.em.fork().findOneOrFail(SigningCertificateSchema, { ownerType: 'user', ownerId: a.id, status: 'active' }),
      50,
      5,
    );

    return {
      dialect: process.env.BENCH_CONTRACT_FLOW_DB === 'mysql' ? 'MariaDB' : 'SQLite',
      contracts,
      contractsPerSecond: Math.max(...contractSeries.rates),
      noopPerSecond: Math.max(...noops.rates),
      contractRates: contractSeries.rates,
      noopRates: noops.rates,
      processCpuMsPerContract: contractSeries.cpuMs / contracts,
      temporalCpuMsPerContract: contractSeries.per(contracts),
      noopProcessCpuMsPerWorkflow: noops.cpuMs / (perRound * 2 * rounds),
      noopTemporalCpuMsPerWorkflow: noops.per(perRound * 2 * rounds),
      orchestration: { perSecond: Math.max(...orchestrations.rates), processCpuMs: orchestrations.cpuMs / contracts, temporalCpuMs: orchestrations.per(contracts) },
      histories,
      mainThreadBusy: busy / contractSeries.seconds,
      mainThreadCpuMsPerContract: mainThreadCpu === null ? null : mainThreadCpu / contracts,
      queries: q,
      direct,
      keyMaterialMs,
      rsaSignMs,
      coldKeyMs,
      rowReadMs,
    };
  } finally {
    worker.shutdown();
    anchor.worker.shutdown();
    orchestration.worker.shutdown();
    await running;
    await anchor.connection.close();
    await orchestration.connection.close();
    await connection.close();
    await services.close();
    await closeDocumentWorkers(0);
    await temporal.stop();
    await db.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const describeTally = (t: HistoryTally) =>
  `${t.events.median} events (max ${t.events.max}), ${t.workflowTasks.median} workflow tasks (max ${t.workflowTasks.max}), ${t.lostTasks} timed out or failed`;

export function contractFlowRows(r: ContractFlowResult): BenchRow[] {
  const temporalCpu = r.temporalCpuMsPerContract === null ? 'n/a' : `${r.temporalCpuMsPerContract.toFixed(0)} ms`;
  // Both rates are CPU-bound on this machine, so their ratio is the inverse ratio of CPU per workflow. A contract
  // cannot cost less than the no-op (same start, Updates, upserts) plus the platform's own work (direct), nor
  // less than its orchestration alone plus that work.
  const noopCpu = r.noopTemporalCpuMsPerWorkflow === null ? null : r.noopProcessCpuMsPerWorkflow + r.noopTemporalCpuMsPerWorkflow;
  const ceiling = noopCpu === null ? null : noopCpu / (noopCpu + r.direct.total);
  const orchestrationCpu = r.orchestration.temporalCpuMs === null ? null : r.orchestration.processCpuMs + r.orchestration.temporalCpuMs;
  const designCeiling = noopCpu === null || orchestrationCpu === null ? null : noopCpu / (orchestrationCpu + r.direct.total);
  return [
    benchRow({
      section: 'contract-flow',
      what: `contracts end to end through Temporal, ${SIGNERS} signers, ${CONCURRENCY} concurrent, ${r.dialect}`,
      today: r.contractsPerSecond,
      unit: '/s',
      anchor: { what: 'no-op workflow, same 2 Updates + search attributes, same dev server', value: r.noopPerSecond },
      goal: { min: CONTRACT_FLOW_RATIO_TARGET },
      note:
        `${r.contracts} contracts; best of ${r.contractRates.length} interleaved rounds: ${r.contractRates.map((x) => x.toFixed(1)).join(', ')} /s vs no-op ${r.noopRates.map((x) => x.toFixed(1)).join(', ')} /s; CPU per contract: this process (driver + worker + document threads) ${r.processCpuMsPerContract.toFixed(0)} ms, ` +
        `Temporal server ${temporalCpu}; no-op per workflow: this process ${r.noopProcessCpuMsPerWorkflow.toFixed(1)} ms, Temporal server ${r.noopTemporalCpuMsPerWorkflow === null ? 'n/a' : `${r.noopTemporalCpuMsPerWorkflow.toFixed(0)} ms`}; main thread busy ${(r.mainThreadBusy * 100).toFixed(0)} %${r.mainThreadCpuMsPerContract === null ? '' : ` (${r.mainThreadCpuMsPerContract.toFixed(0)} ms CPU per contract; the rest runs on the workflow, document, V8 and Temporal core threads)`}; ` +
        `SQL per contract ${r.queries.total} (start ${r.queries.start}, sign ${r.queries.sign1} + ${r.queries.sign2}, close ${r.queries.close}); ` +
        `the same work without Temporal (use case and activities called directly, one at a time): ${r.direct.total.toFixed(0)} ms CPU per contract ` +
        `(start with its activation and step 1's notice ${r.direct.start.toFixed(0)}, 2 signatures with their notices ${r.direct.signatures.toFixed(0)})` +
        `; the orchestration alone (this workflow, started as the API starts it, activities answering at once): ${r.orchestration.perSecond.toFixed(1)} /s (best round), CPU per contract: this process ${r.orchestration.processCpuMs.toFixed(1)} ms, Temporal server ${r.orchestration.temporalCpuMs === null ? 'n/a' : `${r.orchestration.temporalCpuMs.toFixed(0)} ms`}` +
        `; histories (timed rounds): contracts ${describeTally(r.histories.contracts)}, orchestration alone ${describeTally(r.histories.orchestration)}, no-op ${describeTally(r.histories.noop)}` +
        (ceiling === null ? '' : `; the ceiling of this ratio while both are CPU-bound, if everything a contract costs Temporal beyond the no-op were free: no-op CPU / (no-op CPU + direct work) = ${ceiling.toFixed(2)}×`) +
        (designCeiling === null ? '' : `; with the orchestration as measured and no cost from running the two together: no-op CPU / (orchestration CPU + direct work) = ${designCeiling.toFixed(2)}×`),
    }),
    benchRow({
      section: 'contract-flow',
      what: 'signing activity: key material per signature, certificate row read (cached KeyObject ready)',
      today: r.keyMaterialMs,
      unit: 'ms',
      anchor: { what: 'the RSA-2048 signature itself', value: r.rsaSignMs },
      goal: { max: KEY_MATERIAL_RATIO_TARGET },
      note: `uncached (decrypt + parse, as before the cache) ${r.coldKeyMs.toFixed(2)} ms; the certificate row read itself (done for every signature, cache or not) ${r.rowReadMs.toFixed(2)} ms`,
    }),
  ];
}

/** Bench section (bench/run.ts). */
export async function run(): Promise<BenchRow[]> {
  return contractFlowRows(await runContractFlowBench());
}
