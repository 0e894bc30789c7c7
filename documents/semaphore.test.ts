import { describe, expect, it } from 'vitest';
import { Semaphore } from './semaphore';

const tick = () => new Promise((resolve) => setImmediate(resolve));

/** A task that runs until `finish` is called. */
function gate() {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return { done, finish };
}

describe('Semaphore', () => {
  it('lets at most `max` run at once; the others start in arrival order as turns are given back', async () => {
    const s = new Semaphore(2);
    const started: number[] = [];
    const gates = Array.from({ length: 5 }, () => gate());
    const runs = gates.map((g, i) => s.run(async () => {
      started.push(i);
      await g.done;
      return i;
    }));
    await tick();
    expect(started).toEqual([0, 1]);
    expect([s.running, s.waiting]).toEqual([2, 3]);
    gates[1]!.finish();
    await tick();
    expect(started).toEqual([0, 1, 2]);
    expect([s.running, s.waiting]).toEqual([2, 2]);
    gates[0]!.finish();
    gates[2]!.finish();
    await tick();
    expect(started).toEqual([0, 1, 2, 3, 4]);
    gates[3]!.finish();
    gates[4]!.finish();
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3, 4]);
    expect([s.running, s.waiting]).toEqual([0, 0]);
  });

  it('a failing task gives its turn back, and its error reaches its caller', async () => {
    const s = new Semaphore(1);
    await expect(s.run(async () => Promise.reject(new Error('render failed')))).rejects.toThrow('render failed');
    await expect(s.run(() => { throw new Error('thrown synchronously'); })).rejects.toThrow('thrown synchronously');
    expect(s.running).toBe(0);
    expect(await s.run(async () => 'next')).toBe('next');
  });

  it('a release called twice gives back one turn only', async () => {
    const s = new Semaphore(1);
    const release = await s.acquire();
    const second = s.acquire();
    const third = s.acquire();
    release();
    release();
    await tick();
    expect([s.running, s.waiting]).toEqual([1, 1]);
    (await second)();
    (await third)();
    expect(s.running).toBe(0);
  });

  it('refuses a size that is not a positive integer', () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) expect(() => new Semaphore(bad)).toThrow(/positive integer/);
  });
});
