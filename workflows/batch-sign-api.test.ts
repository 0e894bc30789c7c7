import { describe, expect, it } from 'vitest';
import { batchChunks } from './batch-sign-api';

const ids = (n: number) => Array.from({ length: n }, (_, i) => `c${i + 1}`);

describe('batchChunks', () => {
  it('keeps the order and every contract once', () => {
    const chunks = batchChunks(ids(1000), 8);
    expect(chunks.flat()).toEqual(ids(1000));
    expect(chunks).toHaveLength(100);
    expect(chunks.every((c) => c.length === 10)).toBe(true);
  });

  it('a small batch is cut finer, so every lane has work', () => {
    expect(batchChunks(ids(40), 8).map((c) => c.length)).toEqual([5, 5, 5, 5, 5, 5, 5, 5]);
    expect(batchChunks(ids(5), 8).map((c) => c.length)).toEqual([1, 1, 1, 1, 1]);
    expect(batchChunks(ids(12), 8, 10).map((c) => c.length)).toEqual([2, 2, 2, 2, 2, 2]);
  });

  it('an empty batch has no chunks; odd inputs stay sane', () => {
    expect(batchChunks([], 8)).toEqual([]);
    expect(batchChunks(ids(3), 0).flat()).toEqual(ids(3));
    expect(batchChunks(ids(3), 8, 0).map((c) => c.length)).toEqual([1, 1, 1]);
  });
});
