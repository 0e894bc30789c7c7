import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MAX_LIST_OFFSET, parseListParams } from './list-params';

const parse = (range: string) => parseListParams({ range }, z.object({}).strict(), ['at'], 'at');
const code = (f: () => unknown) => {
  try {
    f();
    return 'ok';
  } catch (err) {
    return (err as { code?: string }).code;
  }
};

describe('parseListParams range', () => {
  it('reads a page and caps its size at 200', () => {
    expect(parse('[0,24]')).toMatchObject({ offset: 0, limit: 25 });
    expect(parse('[100,10000]')).toMatchObject({ offset: 100, limit: 200 });
    expect(parse(`[${MAX_LIST_OFFSET},${MAX_LIST_OFFSET + 24}]`)).toMatchObject({ offset: MAX_LIST_OFFSET, limit: 25 });
  });

  it('refuses offsets beyond MAX_LIST_OFFSET as 400 BAD_RANGE (1e20 was a database error, 1e300 read as offset 1, 2^53+1 as 2^53)', () => {
    for (const r of ['[1e20,1e20]', '[1e300,1e300]', '[9007199254740993,9007199254740999]', `[${MAX_LIST_OFFSET + 1},${MAX_LIST_OFFSET + 2}]`]) expect(code(() => parse(r)), r).toBe('BAD_RANGE');
  });

  it('refuses negative, fractional, reversed and non-numeric ranges', () => {
    for (const r of ['[-1,5]', '[0.5,3]', '[5,2]', '["0","9"]', '[0]', '{"a":1}']) expect(code(() => parse(r)), r).toBe('BAD_RANGE');
    expect(code(() => parse('[0,'))).toBe('BAD_LIST_PARAMS');
  });
});
