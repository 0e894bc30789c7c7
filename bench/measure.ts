/** Timing helpers shared by the bench sections. */
import { performance } from 'node:perf_hooks';

/** Median milliseconds of `rounds` runs after `warmup` unmeasured ones. */
export async function medianMs(run: () => unknown, rounds = 20, warmup = 2): Promise<number> {
  for (let i = 0; i < warmup; i++) await run();
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t = performance.now();
    await run();
    times.push(performance.now() - t);
  }
  return quantile(times, 0.5);
}

/**
 * Medians of two operations measured interleaved (a, b, a, b, …), so that whatever else the
 * machine does at the moment weighs on both sides of the ratio alike.
 */
export async function pairedMedianMs(a: () => unknown, b: () => unknown, rounds = 20, warmup = 2): Promise<[number, number]> {
  for (let i = 0; i < warmup; i++) {
    await a();
    await b();
  }
  const [ta, tb]: [number[], number[]] = [[], []];
  for (let i = 0; i < rounds; i++) {
    let t = performance.now();
    await a();
    ta.push(performance.now() - t);
    t = performance.now();
    await b();
    tb.push(performance.now() - t);
  }
  return [quantile(ta, 0.5), quantile(tb, 0.5)];
}

export function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))]!;
}

/** The middle value, the mean of the two middle ones for an even count (a few rounds: `quantile` would take the upper one). */
export function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
