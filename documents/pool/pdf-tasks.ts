import { availableParallelism } from 'node:os';
import type { PdfInfo, PdfLimits } from '../pdf/inspect-pdf';
import type { SignPdfInput } from '../pdf/sign-pdf';
import type { VerificationReport } from '../pdf/verify-pdf';
import { WorkerPool, type RunOptions } from './worker-pool';

/**
 * The document engine's public functions, run in a pool of worker threads so a hostile or huge
 * PDF never blocks the event loop of the API or of the Temporal worker. Same names and call
 * shapes as the in-thread functions in documents/pdf (which the threads run).
 * Uploads (inspect, prepare, verify) are untrusted bytes: an unexpected error reading them is the
 * file's (`malformedCode`, worker-pool.ts failureOf). Signing, and an inspection of a document the
 * platform stored (`PdfOrigin`), keep plain errors: their PDF passed the upload checks, and a failure
 * there is retried by the activity as infrastructure (pdf-structure.ts asStructureError).
 */

export interface DocumentWorkerOptions {
  /** Threads (default: 2–4 by available cores). */
  size: number;
  /** Tasks waiting beyond those running before PDF_ENGINE_BUSY (default 32). */
  maxQueue: number;
  /** Per-task time limits in ms. */
  timeoutsMs: { inspect: number; prepare: number; sign: number; verify: number };
  /** V8 heap limit per thread (MB); decoded data is bounded separately by the parse budgets. */
  maxHeapMb: number;
}

export const DEFAULT_DOCUMENT_WORKER_OPTIONS: DocumentWorkerOptions = {
  size: Math.max(2, Math.min(4, availableParallelism())),
  maxQueue: 32,
  timeoutsMs: { inspect: 15_000, prepare: 20_000, sign: 30_000, verify: 20_000 },
  maxHeapMb: 512,
};

let options = DEFAULT_DOCUMENT_WORKER_OPTIONS;
let pool: WorkerPool | null = null;

function getPool(): WorkerPool {
  pool ??= new WorkerPool({
    entry: new URL(`./pdf-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url),
    size: options.size,
    maxQueue: options.maxQueue,
    resourceLimits: { maxOldGenerationSizeMb: options.maxHeapMb, maxYoungGenerationSizeMb: 48, stackSizeMb: 4 },
  });
  return pool;
}

/** Replaces the options (closing the current threads); for start-up configuration and tests. */
export async function configureDocumentWorkers(next: Partial<DocumentWorkerOptions>): Promise<void> {
  await closeDocumentWorkers();
  options = { ...options, ...next, timeoutsMs: { ...options.timeoutsMs, ...next.timeoutsMs } };
}

/**
 * Starts the threads now (loading the engine takes a thread 1–5 s), so the first request does not
 * wait; the promise resolves when all threads answer.
 */
export function warmDocumentWorkers(): Promise<void> {
  return getPool().ready();
}

/** Lets running tasks finish (up to graceMs), then stops the threads. Call on shutdown. */
export async function closeDocumentWorkers(graceMs?: number): Promise<void> {
  const current = pool;
  pool = null;
  await current?.close(graceMs);
}

export function documentWorkerStats() {
  return { busy: pool?.busy ?? 0, waiting: pool?.waiting ?? 0, replaced: pool?.replaced ?? 0, retired: pool?.retired ?? 0 };
}

/** Runs one task of the document worker threads (for task modules beside this one, e.g. word-tasks.ts). */
export function runDocumentTask<T>(kind: string, payload: unknown, opts: RunOptions): Promise<T> {
  return getPool().run<T>(kind, payload, opts);
}

/** A private copy the thread can own (the caller keeps its bytes). */
const copy = (bytes: Uint8Array) => new Uint8Array(bytes);

/**
 * Where the bytes come from: an `upload` (untrusted: an unexpected error reading them is the file's, a 4xx), or a
 * document the platform `stored` after it passed those checks (a contract's version, a template's source): an
 * unexpected error there is the platform's (a regression, memory), retried by its activity, never blamed on the file.
 */
export type PdfOrigin = 'upload' | 'stored';

export function inspectPdf(bytes: Uint8Array, limits: PdfLimits, origin: PdfOrigin = 'upload'): Promise<PdfInfo> {
  const own = copy(bytes);
  return getPool().run('inspect', { bytes: own, limits }, { timeoutMs: options.timeoutsMs.inspect, transfer: [own.buffer], ...(origin === 'upload' ? { malformedCode: 'PDF_CORRUPT' as const } : {}) });
}

export function prepareForSigning(bytes: Uint8Array): Promise<Uint8Array> {
  const own = copy(bytes);
  return getPool().run('prepare', { bytes: own }, { timeoutMs: options.timeoutsMs.prepare, transfer: [own.buffer], malformedCode: 'PDF_CORRUPT' });
}

/**
 * Both of the above from one parse in one task (starting a contract), within the upload check's
 * bound (`inspect`): a hostile upload holds a thread no longer than its inspection alone did; the
 * re-save of a document that passed the inspection's budgets is a fraction of it.
 */
export function inspectAndPrepareForSigning(bytes: Uint8Array, limits: PdfLimits): Promise<{ info: PdfInfo; prepared: Uint8Array }> {
  const own = copy(bytes);
  return getPool().run('inspectAndPrepare', { bytes: own, limits }, { timeoutMs: options.timeoutsMs.inspect, transfer: [own.buffer], malformedCode: 'PDF_CORRUPT' });
}

export function signPdf(input: SignPdfInput): Promise<Uint8Array> {
  const pdf = copy(input.pdf);
  const transfer: ArrayBuffer[] = [pdf.buffer];
  const own = <T extends { png: Uint8Array }>(mark: T): T => {
    const png = copy(mark.png);
    transfer.push(png.buffer);
    return { ...mark, png };
  };
  const owned: SignPdfInput = {
    ...input,
    pdf,
    appearance: input.appearance && own(input.appearance),
    appearances: input.appearances?.map(own),
    riding: input.riding?.map(own),
  };
  return getPool().run('sign', { input: owned }, { timeoutMs: options.timeoutsMs.sign, transfer });
}

export function verifyPdf(bytes: Uint8Array, opts: { trustedRootsPem: string[] }): Promise<VerificationReport> {
  const own = copy(bytes);
  return getPool().run('verify', { bytes: own, trustedRootsPem: opts.trustedRootsPem }, { timeoutMs: options.timeoutsMs.verify, transfer: [own.buffer], malformedCode: 'PDF_CORRUPT' });
}
