import { afterEach, describe, expect, it } from 'vitest';
import { DocumentError } from '../errors';
import { WorkerPool } from './worker-pool';

const entry = new URL('./test-worker.ts', import.meta.url);
let pool: WorkerPool | undefined;
afterEach(async () => {
  await pool?.close(0);
  pool = undefined;
});

const make = (size = 1, maxQueue = 2, maxOldGenerationSizeMb = 64) => (pool = new WorkerPool({ entry, size, maxQueue, resourceLimits: { maxOldGenerationSizeMb } }));

/** Largest delay of a 10 ms timer while `work` runs: how blocked the event loop was. */
async function loopLag<T>(work: Promise<T>): Promise<{ value: T | Error; lagMs: number }> {
  let lag = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    lag = Math.max(lag, now - last - 10);
    last = now;
  }, 10);
  const value = await work.catch((e: Error) => e);
  clearInterval(timer);
  return { value, lagMs: lag };
}

describe('WorkerPool', () => {
  it('runs tasks in a thread and brings DocumentErrors back as DocumentErrors', async () => {
    const p = make();
    expect(await p.run('echo', { a: [1, 2] }, { timeoutMs: 10_000 })).toEqual({ a: [1, 2] });
    const err = await p.run('fail', { message: 'broken xref' }, { timeoutMs: 10_000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DocumentError);
    expect(err).toMatchObject({ code: 'PDF_CORRUPT', message: 'broken xref' });
  });

  it('a task on untrusted bytes: an unexpected error of its code is the document\'s (4xx), a system error stays infrastructure', async () => {
    const p = make();
    const untrusted = { timeoutMs: 10_000, malformedCode: 'PDF_CORRUPT' } as const;
    const failure = (kind: string, options: Parameters<WorkerPool['run']>[2]) => p.run('crash', { kind }, options).catch((e: unknown) => e);
    // What pdf-lib throws on an object of the wrong kind: the file is malformed.
    expect(await failure('type', untrusted)).toMatchObject({ name: 'DocumentError', code: 'PDF_CORRUPT', message: expect.stringContaining('TypeError') });
    // A stack a hostile structure overran: over a budget, like a thread out of memory (the task's overrun code).
    expect(await failure('stack', untrusted)).toMatchObject({ name: 'DocumentError', code: 'PDF_TOO_COMPLEX', message: expect.stringContaining('RangeError') });
    expect(await failure('stack', { ...untrusted, overrunCode: 'DOCX_TOO_COMPLEX', malformedCode: 'NOT_A_DOCX' })).toMatchObject({ code: 'DOCX_TOO_COMPLEX' });
    expect(await failure('type', { ...untrusted, overrunCode: 'DOCX_TOO_COMPLEX', malformedCode: 'NOT_A_DOCX' })).toMatchObject({ code: 'NOT_A_DOCX' });
    // Infrastructure keeps its plain Error (a 500, an activity retry): a system error, an unknown task, a task without malformedCode.
    for (const err of [await failure('system', untrusted), await p.run('no-such-task', null, untrusted).catch((e: unknown) => e), await failure('type', { timeoutMs: 10_000 })]) {
      expect(err).toBeInstanceOf(Error);
      expect(err).not.toBeInstanceOf(DocumentError);
    }
    expect(p.replaced).toBe(0); // the thread answered each time
  });

  it('a busy thread does not block the caller\'s event loop', async () => {
    const p = make();
    await p.run('echo', 1, { timeoutMs: 10_000 }); // thread loaded
    const { value, lagMs } = await loopLag(p.run('spin', { ms: 600 }, { timeoutMs: 10_000 }));
    expect(value).toBe('spun');
    console.log(`event-loop lag while a thread spins 600 ms: ${lagMs.toFixed(1)} ms`);
    expect(lagMs).toBeLessThan(100);
  });

  it('terminates and replaces a thread that exceeds the time limit; the next task runs', async () => {
    const p = make();
    await p.run('echo', 1, { timeoutMs: 10_000 });
    const t = performance.now();
    const err = await p.run('spin', { ms: 60_000 }, { timeoutMs: 300 }).catch((e: unknown) => e);
    expect(performance.now() - t).toBeLessThan(2000);
    expect(err).toMatchObject({ code: 'PDF_TOO_COMPLEX' });
    expect(p.replaced).toBe(1);
    expect(await p.run('echo', 'again', { timeoutMs: 10_000 })).toBe('again');
    // A Word template's task fails with its own code (it said PDF_TOO_COMPLEX for a .docx).
    const word = await p.run('spin', { ms: 60_000 }, { timeoutMs: 300, overrunCode: 'DOCX_TOO_COMPLEX' }).catch((e: unknown) => e);
    expect(word).toMatchObject({ code: 'DOCX_TOO_COMPLEX', message: expect.stringContaining('longer than 300 ms') });
  });

  it('replaces a thread that asks to retire once it has answered; the answer and the next task are served', async () => {
    const p = make();
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push(await p.run('count', null, { timeoutMs: 10_000 }));
    // The third answer asked to retire: the fourth task ran on a fresh thread.
    expect(answers).toEqual([1, 2, 3, 1]);
    expect({ retired: p.retired, replaced: p.replaced }).toEqual({ retired: 1, replaced: 0 });
  });

  it("a task's time limit starts when its thread is ready: a new thread's start-up (loading its entry) does not count", async () => {
    const p = make();
    expect(await p.run('echo', 'first', { timeoutMs: 50 })).toBe('first');
    for (let i = 0; i < 3; i++) await p.run('count', null, { timeoutMs: 10_000 }); // the third answer retires the thread
    expect(p.retired).toBe(1);
    expect(await p.run('echo', 'after retirement', { timeoutMs: 50 })).toBe('after retirement');
  });

  it('replaces a thread that does not start in time; the task given to it fails as PDF_ENGINE_BUSY', async () => {
    pool = new WorkerPool({ entry: new URL('./test-worker-stuck.ts', import.meta.url), size: 1, maxQueue: 2, resourceLimits: { maxOldGenerationSizeMb: 64 }, bootTimeoutMs: 1500 });
    const t = performance.now();
    const err = await pool.run('echo', 1, { timeoutMs: 10_000 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'PDF_ENGINE_BUSY', message: expect.stringContaining('did not start within 1500 ms') });
    expect(performance.now() - t).toBeLessThan(5000);
    expect(pool.replaced).toBe(1);
  });

  it('replaces a thread that exceeds its memory limit', async () => {
    const p = make(1, 2, 48);
    const err = await p.run('allocate', {}, { timeoutMs: 20_000 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'PDF_TOO_COMPLEX' });
    expect((err as Error).message).toMatch(/memory/);
    expect(await p.run('echo', 'alive', { timeoutMs: 10_000 })).toBe('alive');
  }, 30_000);

  it('refuses at once when the queue is full (PDF_ENGINE_BUSY), then serves again', async () => {
    const p = make(1, 1);
    const running = p.run('spin', { ms: 400 }, { timeoutMs: 10_000 });
    const queued = p.run('echo', 'queued', { timeoutMs: 10_000 });
    const err = await p.run('echo', 'overflow', { timeoutMs: 10_000 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'PDF_ENGINE_BUSY' });
    expect(await running).toBe('spun');
    expect(await queued).toBe('queued');
  });

  it('close() lets a running task finish within the grace period and refuses what waits', async () => {
    const p = make(1, 4);
    await p.run('echo', 1, { timeoutMs: 10_000 });
    const running = p.run('spin', { ms: 200 }, { timeoutMs: 10_000 });
    const waiting = p.run('echo', 'late', { timeoutMs: 10_000 }).catch((e: unknown) => e);
    await p.close(5000);
    expect(await running).toBe('spun');
    expect(await waiting).toMatchObject({ code: 'PDF_ENGINE_BUSY' });
    expect(await p.run('echo', 1, { timeoutMs: 1000 }).catch((e: unknown) => e)).toMatchObject({ code: 'PDF_ENGINE_BUSY' });
  });
});
