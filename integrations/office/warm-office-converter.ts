import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { DocumentError } from '../../documents/errors';
import { looksLikePdf, type OfficeConverter } from './office-converter';
import { removeOfficePipes, singleInstancePipeName } from './office-pipes';
import { officeProcessEnv, seedOfficeProfile, SOFFICE_PROGRAM_DIR } from './office-profile';

/**
 * Warm LibreOffice: `processes` soffice listeners (`--accept=pipe…`), each with its own seeded profile under
 * `profileRoot` and its own python3-uno bridge (uno-bridge.py) that converts one document at a time.
 *  - started lazily on the first conversion (or by warm());
 *  - a process that exits, is killed, or whose bridge breaks is killed as a group (oosplash + soffice.bin) and
 *    restarted; the document it was converting is retried once on a fresh process;
 *  - a document over its timeout: the process is killed and restarted, the call fails (OFFICE_CONVERSION_FAILED);
 *  - bounded queue: with every process busy and `maxQueue` documents waiting, OFFICE_BUSY at once (HTTP 503);
 *  - processes that keep failing to start: waiting documents fail with OFFICE_UNAVAILABLE instead of hanging;
 *  - close() kills every process it started and waits for them; a bridge whose owner dies (stdin closes) kills
 *    its soffice group, and a process 'exit' hook kills them too, so LibreOffice never outlives its owner.
 */

export interface WarmOfficeOptions {
  processes: number;
  maxQueue: number;
  /** Per document, from the moment a process takes it. */
  timeoutMs: number;
  /** Profiles and work files go to `<profileRoot>/<id>-p<n>` (removed on close). */
  profileRoot: string;
  /** A process must accept connections within this time (default 45 s). */
  startTimeoutMs?: number;
  /** Restart a process after this many documents (LibreOffice grows over time; default 200). */
  maxConversionsPerProcess?: number;
  /** Largest .docx accepted (default 50 MiB). */
  maxDocumentBytes?: number;
  /**
   * Address space of each LibreOffice process and its children (RLIMIT_AS through util-linux `prlimit`; default
   * DEFAULT_OFFICE_MEMORY_LIMIT_BYTES, 0: none). A document that makes LibreOffice grow past it ends that process (its
   * conversion fails, the process restarts) instead of the machine running out of memory.
   */
  memoryLimitBytes?: number;
  sofficePath?: string;
  pythonPath?: string;
}

/** 3 GiB: the demo template converts within 1 GB of address space (400 MB does not start). */
export const DEFAULT_OFFICE_MEMORY_LIMIT_BYTES = 3 * 1024 ** 3;

export interface WarmOfficeConverter extends OfficeConverter {
  /** Starts every process now; resolves when all accept documents. */
  warm(): Promise<void>;
  stats(): { processes: number; ready: number; busy: number; waiting: number; restarts: number; conversions: number };
  /** Process-group ids of the running soffice processes (for operations and tests). */
  officeProcessGroups(): number[];
}

interface Job {
  docx: Uint8Array;
  timeoutMs: number;
  attempts: number;
  resolve(pdf: Uint8Array): void;
  reject(err: Error): void;
}

type SlotState = 'stopped' | 'starting' | 'ready' | 'busy';

interface Slot {
  index: number;
  /** Incremented whenever the slot's processes are replaced: events of older processes are ignored. */
  generation: number;
  state: SlotState;
  dir: string;
  office: ChildProcess | null;
  bridge: ChildProcess | null;
  officeExited: Promise<void>;
  job: Job | null;
  requestId: number;
  timer: NodeJS.Timeout | null;
  conversions: number;
  startFailures: number;
  /** Process group of the latest soffice (kept after it is stopped, to check that it is gone). */
  lastGroup: number | null;
  /** The latest soffice's `--accept` pipe and its profile's URL (their socket files are removed once it is stopped). */
  pipe: string | null;
  profileUrl: string | null;
}

const BRIDGE_SCRIPT = fileURLToPath(new URL('./uno-bridge.py', import.meta.url));
const DEFAULT_SOFFICE = path.join(SOFFICE_PROGRAM_DIR, 'soffice');

const busy = (why: string) => new DocumentError('OFFICE_BUSY', why);
const unavailable = (why: string) => new DocumentError('OFFICE_UNAVAILABLE', why);
const failed = (why: string) => new DocumentError('OFFICE_CONVERSION_FAILED', why);

export function createWarmOfficeConverter(options: WarmOfficeOptions): WarmOfficeConverter {
  const opts = {
    startTimeoutMs: 45_000,
    maxConversionsPerProcess: 200,
    maxDocumentBytes: 50 * 1024 * 1024,
    sofficePath: DEFAULT_SOFFICE,
    pythonPath: '/usr/bin/python3',
    ...options,
    processes: Math.max(1, Math.floor(options.processes)),
  };
  const instance = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const slots: Slot[] = Array.from({ length: opts.processes }, (_, index) => ({
    index,
    generation: 0,
    state: 'stopped' as SlotState,
    dir: path.join(opts.profileRoot, `${instance}-p${index}`),
    office: null,
    bridge: null,
    officeExited: Promise.resolve(),
    job: null,
    requestId: 0,
    timer: null,
    conversions: 0,
    startFailures: 0,
    lastGroup: null,
    pipe: null,
    profileUrl: null,
  }));
  const queue: Job[] = [];
  const readyWaiters: Array<() => void> = [];
  let started = false;
  let closed = false;
  let restarts = 0;
  let conversions = 0;

  /** The pipe sockets the slots' soffice processes leave when killed: the current --accept pipes and the profiles' single-instance pipes. */
  const pipesOfSlots = () => slots.flatMap((s) => [...(s.pipe ? [s.pipe] : []), ...(s.profileUrl ? [singleInstancePipeName(s.profileUrl)] : [])]);
  const killOnExit = () => {
    for (const slot of slots) killGroup(slot.office);
    removeOfficePipes(pipesOfSlots());
  };
  process.on('exit', killOnExit);

  function killGroup(child: ChildProcess | null): void {
    if (!child?.pid) return;
    // oosplash and soffice.bin share the group (detached). Killed even when the launcher has already exited:
    // soffice.bin may outlive it, and the group id cannot be reused while any member lives.
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // the group is gone
    }
  }

  function clearTimer(slot: Slot): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
  }

  function start(slot: Slot): void {
    if (closed) return;
    const generation = ++slot.generation;
    slot.state = 'starting';
    slot.job = null;
    slot.conversions = 0;
    let profileUrl: string;
    try {
      profileUrl = seedOfficeProfile(path.join(slot.dir, 'profile'));
      const work = path.join(slot.dir, 'work');
      fs.rmSync(work, { recursive: true, force: true });
      fs.mkdirSync(work, { recursive: true, mode: 0o700 });
    } catch (err) {
      slot.state = 'stopped';
      const reason = `cannot prepare a LibreOffice profile under ${opts.profileRoot}: ${(err as Error).message}`;
      if (!slots.some((s) => s.state === 'ready' || s.state === 'busy')) for (const waiting of queue.splice(0)) waiting.reject(unavailable(reason));
      started = slots.some((s) => s.state !== 'stopped'); // the next document tries again
      return;
    }
    const pipe = `sealflow-office-${instance}-${slot.index}-${generation}`;
    slot.pipe = pipe;
    slot.profileUrl = profileUrl;
    const env = officeProcessEnv();
    const officeArgs = [`-env:UserInstallation=${profileUrl}`, '--headless', '--invisible', '--nologo', '--nodefault', '--norestore', '--nolockcheck', '--nofirststartwizard', `--accept=pipe,name=${pipe};urp;StarOffice.ComponentContext`];
    // prlimit sets the limit and execs soffice in the same process (same pid, so the same process group).
    const limit = opts.memoryLimitBytes ?? DEFAULT_OFFICE_MEMORY_LIMIT_BYTES;
    // Said by name: under prlimit a missing soffice would only show as prlimit's exit status.
    try {
      fs.accessSync(opts.sofficePath, fs.constants.X_OK);
    } catch {
      lost(slot, generation, `cannot start LibreOffice (${opts.sofficePath}): not found or not executable`);
      return;
    }
    const [command, args] = limit > 0 ? ['prlimit', [`--as=${limit}`, '--', opts.sofficePath, ...officeArgs]] : [opts.sofficePath, officeArgs];
    const office = spawn(command, args, { detached: true, stdio: 'ignore', env });
    slot.office = office;
    slot.lastGroup = office.pid ?? null;
    slot.officeExited = new Promise((resolve) => {
      office.once('exit', () => resolve());
      office.once('error', () => resolve());
    });
    office.once('error', (err) => lost(slot, generation, `cannot start LibreOffice (${command === 'prlimit' ? 'prlimit from util-linux, for the memory limit; or set OFFICE_MEMORY_LIMIT_MB=0' : opts.sofficePath}): ${err.message}`));
    office.once('exit', (code, signal) => lost(slot, generation, `LibreOffice exited (${signal ?? code})`));
    if (!office.pid) return;
    // When this process dies (stdin closes), the bridge kills the soffice group and removes its pipes.
    const bridge = spawn(opts.pythonPath, [BRIDGE_SCRIPT, pipe, String(office.pid), String(Math.ceil(opts.startTimeoutMs / 1000)), profileUrl], { stdio: ['pipe', 'pipe', 'pipe'], env });
    slot.bridge = bridge;
    bridge.once('error', (err) => lost(slot, generation, `cannot start the UNO bridge (${opts.pythonPath}): ${err.message}`));
    bridge.once('exit', (code, signal) => lost(slot, generation, `UNO bridge exited (${signal ?? code})`));
    bridge.stdin?.on('error', () => undefined); // EPIPE when it died: reported by 'exit'
    let stderr = '';
    bridge.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-2000);
    });
    if (bridge.stdout) createInterface({ input: bridge.stdout }).on('line', (line) => onBridgeLine(slot, generation, line, () => stderr));
    slot.timer = setTimeout(() => lost(slot, generation, `LibreOffice did not accept connections within ${opts.startTimeoutMs} ms`), opts.startTimeoutMs);
  }

  function onBridgeLine(slot: Slot, generation: number, line: string, stderr: () => string): void {
    if (slot.generation !== generation) return;
    let msg: { ready?: boolean; id?: number; ok?: boolean; fatal?: boolean; error?: string };
    try {
      msg = JSON.parse(line) as typeof msg;
    } catch {
      return;
    }
    if (msg.ready !== undefined) {
      if (!msg.ready) return lost(slot, generation, `UNO bridge could not connect: ${msg.error ?? stderr()}`);
      clearTimer(slot);
      slot.state = 'ready';
      slot.startFailures = 0;
      for (const wake of readyWaiters.splice(0)) wake();
      pump();
      return;
    }
    const job = slot.job;
    if (!job || msg.id !== slot.requestId) return;
    if (msg.fatal) return lost(slot, generation, `LibreOffice failed: ${msg.error ?? 'bridge broke'}`);
    clearTimer(slot);
    void finishJob(slot, generation, job, msg.ok ? null : (msg.error ?? 'conversion failed'));
  }

  async function finishJob(slot: Slot, generation: number, job: Job, error: string | null): Promise<void> {
    const { src, dst } = workFiles(slot);
    let result: Uint8Array | null = null;
    let problem = error;
    if (!problem) {
      try {
        result = new Uint8Array(await fs.promises.readFile(dst));
        if (!looksLikePdf(result)) problem = 'LibreOffice produced no PDF';
      } catch (err) {
        problem = `no PDF written: ${(err as Error).message}`;
      }
    }
    await Promise.all([fs.promises.rm(src, { force: true }), fs.promises.rm(dst, { force: true })]);
    if (slot.generation !== generation || slot.job !== job) return; // lost meanwhile: handled there
    slot.job = null;
    conversions++;
    slot.conversions++;
    if (problem) job.reject(failed(`the document could not be converted: ${problem}`));
    else job.resolve(result!);
    if (slot.conversions >= opts.maxConversionsPerProcess) {
      recycle(slot);
      return;
    }
    slot.state = 'ready';
    pump();
  }

  const workFiles = (slot: Slot) => ({ src: path.join(slot.dir, 'work', `${slot.requestId}.docx`), dst: path.join(slot.dir, 'work', `${slot.requestId}.pdf`) });

  /** Replaces a healthy process (after maxConversionsPerProcess documents). */
  function recycle(slot: Slot): void {
    stopProcesses(slot);
    restarts++;
    start(slot);
  }

  function stopProcesses(slot: Slot): void {
    clearTimer(slot);
    killGroup(slot.office);
    slot.bridge?.kill('SIGKILL');
    slot.office = null;
    slot.bridge = null;
    slot.state = 'stopped';
    // Its --accept pipe is named for this generation alone. (The profile's single-instance pipe is the
    // next generation's too: it goes at close.)
    if (slot.pipe) removeOfficePipes([slot.pipe]);
    slot.pipe = null;
  }

  /** The slot's processes are gone or useless: kill what is left, settle its document, restart. */
  function lost(slot: Slot, generation: number, reason: string): void {
    if (slot.generation !== generation || slot.state === 'stopped') return;
    const wasStarting = slot.state === 'starting';
    const job = slot.job;
    slot.job = null;
    stopProcesses(slot);
    slot.generation++;
    if (job) {
      if (job.attempts < 2 && !closed) {
        queue.unshift(job);
        pump();
      } else job.reject(failed(`LibreOffice failed while converting the document: ${reason}`));
    }
    if (closed) return;
    restarts++;
    if (wasStarting) slot.startFailures++;
    if (slot.startFailures >= 3 && !slots.some((s) => s.state === 'ready' || s.state === 'busy')) {
      for (const waiting of queue.splice(0)) waiting.reject(unavailable(`LibreOffice cannot start: ${reason}`));
    }
    const delay = slot.startFailures ? Math.min(5000, 250 * 2 ** (slot.startFailures - 1)) : 0;
    const again = setTimeout(() => start(slot), delay);
    again.unref();
  }

  function pump(): void {
    for (const slot of slots) {
      if (slot.state !== 'ready') continue;
      const job = queue.shift();
      if (!job) return;
      run(slot, job);
    }
  }

  function run(slot: Slot, job: Job): void {
    const generation = slot.generation;
    slot.state = 'busy';
    slot.job = job;
    slot.requestId++;
    job.attempts++;
    const { src, dst } = workFiles(slot);
    const id = slot.requestId;
    slot.timer = setTimeout(() => {
      if (slot.generation !== generation || slot.job !== job) return;
      slot.job = null;
      job.reject(failed(`the conversion took longer than ${job.timeoutMs} ms`));
      lost(slot, generation, 'conversion timed out');
    }, job.timeoutMs);
    fs.promises
      .writeFile(src, job.docx)
      .then(() => {
        if (slot.generation !== generation || slot.job !== job) return;
        slot.bridge?.stdin?.write(`${JSON.stringify({ id, src, dst })}\n`);
      })
      .catch((err: Error) => {
        if (slot.generation !== generation || slot.job !== job) return;
        clearTimer(slot);
        slot.job = null;
        job.reject(failed(`cannot write the document for LibreOffice: ${err.message}`));
        slot.state = 'ready';
        pump();
      });
  }

  function ensureStarted(): void {
    if (started || closed) return;
    started = true;
    try {
      fs.mkdirSync(opts.profileRoot, { recursive: true, mode: 0o700 });
      removeStaleProfiles(opts.profileRoot);
    } catch {
      // start() reports an unusable profileRoot to the waiting documents
    }
    for (const slot of slots) start(slot);
  }

  return {
    toPdf(docx, callOpts) {
      if (closed) return Promise.reject(unavailable('the Word converter is shut down'));
      if (docx.byteLength > opts.maxDocumentBytes) return Promise.reject(new DocumentError('DOCX_TOO_COMPLEX', `the document is ${docx.byteLength} bytes (limit ${opts.maxDocumentBytes})`));
      const free = slots.some((s) => s.state === 'ready');
      if (!free && queue.length >= opts.maxQueue) return Promise.reject(busy(`all ${slots.length} LibreOffice processes are busy and ${queue.length} documents wait`));
      ensureStarted();
      return new Promise<Uint8Array>((resolve, reject) => {
        queue.push({ docx: new Uint8Array(docx), timeoutMs: callOpts?.timeoutMs ?? opts.timeoutMs, attempts: 0, resolve, reject });
        pump();
      });
    },

    async warm() {
      ensureStarted();
      const deadline = Date.now() + opts.startTimeoutMs * 3;
      while (!closed && slots.some((s) => s.state === 'starting' || s.state === 'stopped')) {
        if (Date.now() > deadline) throw unavailable('LibreOffice did not start');
        await new Promise<void>((resolve) => {
          readyWaiters.push(resolve);
          setTimeout(resolve, 200).unref();
        });
      }
    },

    stats() {
      return {
        processes: slots.length,
        ready: slots.filter((s) => s.state === 'ready').length,
        busy: slots.filter((s) => s.state === 'busy').length,
        waiting: queue.length,
        restarts,
        conversions,
      };
    },

    officeProcessGroups() {
      return slots.flatMap((s) => (s.office?.pid && s.office.exitCode === null && s.office.signalCode === null ? [s.office.pid] : []));
    },

    async close() {
      if (closed) return;
      closed = true;
      for (const job of queue.splice(0)) job.reject(unavailable('the Word converter is shutting down'));
      const exits = slots.map((s) => s.officeExited);
      for (const slot of slots) {
        const job = slot.job;
        slot.job = null;
        job?.reject(unavailable('the Word converter is shutting down'));
        stopProcesses(slot);
        slot.generation++;
      }
      const groups = slots.flatMap((s) => (s.lastGroup ? [s.lastGroup] : []));
      await Promise.race([Promise.all(exits), new Promise((resolve) => setTimeout(resolve, 10_000).unref())]);
      // soffice.bin is the launcher's child: wait until the kill has reached every member of the groups.
      for (let waited = 0; groups.some((g) => liveProcessesInGroup(g).length) && waited < 10_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
      process.off('exit', killOnExit);
      removeOfficePipes(pipesOfSlots()); // the --accept pipes went with stopProcesses
      for (const slot of slots) fs.rmSync(slot.dir, { recursive: true, force: true });
    },
  };
}

/** Profiles left by converters of processes that no longer run (`<pid>-<hex>-p<n>`; a crash skips close()). */
function removeStaleProfiles(root: string): void {
  for (const name of fs.readdirSync(root)) {
    const pid = /^(\d+)-[0-9a-f]{8}-p\d+$/.exec(name)?.[1];
    if (!pid || Number(pid) === process.pid || processRuns(Number(pid))) continue;
    fs.rmSync(path.join(root, name), { recursive: true, force: true });
  }
}

function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Live (not zombie) processes whose process group is `pgid`, from /proc (Linux). */
export function liveProcessesInGroup(pgid: number): Array<{ pid: number; name: string }> {
  const found: Array<{ pid: number; name: string }> = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    // pid (comm) state ppid pgrp …: comm may contain spaces and parentheses, so split after the last ')'.
    const close = stat.lastIndexOf(')');
    const [state, , pgrp] = stat.slice(close + 2).split(' ');
    if (Number(pgrp) === pgid && state !== 'Z' && state !== 'X') found.push({ pid: Number(entry), name: stat.slice(stat.indexOf('(') + 1, close) });
  }
  return found;
}
