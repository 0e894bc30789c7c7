import { describe, expect, it } from 'vitest';
import { MAX_RIDING_RANGE, ridingPageCount, ridingPages } from './riding-pages';
import { ridingStrips, type RidingSeal } from './riding-seal';
import { documentErrorCode as codeOf } from '../pdf/test-helpers';

const seal = (over: Partial<RidingSeal> = {}): RidingSeal => ({ pageFrom: 1, pageTo: 4, y: 300, width: 120, height: 120, ...over });
const widths = (page: number) => (page === 3 ? 842 : 595);

describe('ridingPages: the pages a 骑缝规则 selects', () => {
  it('all, odd and even pages of a range, ascending', () => {
    expect(ridingPages(2, 7)).toEqual([2, 3, 4, 5, 6, 7]);
    expect(ridingPages(2, 7, 'all')).toEqual([2, 3, 4, 5, 6, 7]);
    expect(ridingPages(2, 7, 'odd')).toEqual([3, 5, 7]);
    expect(ridingPages(2, 7, 'even')).toEqual([2, 4, 6]);
    expect(ridingPages(3, 3, 'even')).toEqual([]);
    expect(ridingPages(4, 2)).toEqual([]);
    expect(ridingPages(1, 4, 'first' as never)).toEqual([]);
  });
});

describe('ridingStrips: one strip per selected page, offsets consecutive', () => {
  it("'all' (the default): a strip on every page of the range, seal/N wide at the right edge", () => {
    const strips = ridingStrips(seal(), widths);
    expect(strips).toEqual([
      { page: 1, x: 565, y: 300, width: 30, height: 120, offset: 0 },
      { page: 2, x: 565, y: 300, width: 30, height: 120, offset: 30 },
      { page: 3, x: 812, y: 300, width: 30, height: 120, offset: 60 },
      { page: 4, x: 565, y: 300, width: 30, height: 120, offset: 90 },
    ]);
    expect(ridingStrips(seal({ rule: 'all' }), widths)).toEqual(strips);
  });

  it("'odd': pages 1 and 3 of 1–4, each half the seal", () => {
    expect(ridingStrips(seal({ rule: 'odd' }), widths)).toEqual([
      { page: 1, x: 535, y: 300, width: 60, height: 120, offset: 0 },
      { page: 3, x: 782, y: 300, width: 60, height: 120, offset: 60 },
    ]);
  });

  it("'even': pages 2, 4 and 6 of 1–6, a third of the seal each, in order", () => {
    const strips = ridingStrips(seal({ pageTo: 6, rule: 'even' }), () => 600);
    expect(strips.map((s) => [s.page, s.offset, s.width])).toEqual([
      [2, 0, 40],
      [4, 40, 40],
      [6, 80, 40],
    ]);
    expect(strips.every((s) => s.x === 560)).toBe(true);
  });

  it('refuses a range and rule that select no page (RIDING_NO_PAGES)', () => {
    expect(codeOf(() => ridingStrips(seal({ pageFrom: 3, pageTo: 3, rule: 'even' }), widths))).toBe('RIDING_NO_PAGES');
    expect(codeOf(() => ridingStrips(seal({ pageFrom: 4, pageTo: 2 }), widths))).toBe('RIDING_NO_PAGES');
    expect(codeOf(() => ridingStrips(seal({ rule: 'first' as never }), widths))).toBe('RIDING_NO_PAGES');
    // One selected page is still a strip (the engine draws what it is given; the domain asks for two: domain/contracts/riding-rule.ts).
    expect(ridingStrips(seal({ pageFrom: 2, pageTo: 3, rule: 'odd' }), widths)).toEqual([{ page: 3, x: 722, y: 300, width: 120, height: 120, offset: 0 }]);
  });
});

describe('ridingPageCount: the count of ridingPages, computed', () => {
  it('equals the listed pages for every small range and rule', () => {
    for (const rule of ['all', 'odd', 'even'] as const) {
      for (let from = 1; from <= 9; from++) for (let to = 0; to <= 12; to++) expect(ridingPageCount(from, to, rule), `${rule} ${from}..${to}`).toBe(ridingPages(from, to, rule).length);
    }
  });

  it('counts a hostile range at once and lists none of it', () => {
    expect(ridingPageCount(1, 2_000_000_000, 'odd')).toBe(1_000_000_000);
    expect(ridingPageCount(2, Number.MAX_SAFE_INTEGER + 2, 'all')).toBe(0);
    expect(ridingPages(1, MAX_RIDING_RANGE + 1, 'all')).toEqual([]);
    expect(ridingPages(1, MAX_RIDING_RANGE, 'all')).toHaveLength(MAX_RIDING_RANGE);
  });
});
