import { describe, expect, it } from 'vitest';
import { ridingStrip } from './geometry';

const seal = { width: 120, height: 120 };
const stripsOn = (range: Parameters<typeof ridingStrip>[1], pages: number[]) => pages.map((p) => ridingStrip(seal, range, p, 595, 300));

describe('ridingStrip: the preview shows strips only on the pages the 骑缝规则 selects', () => {
  it('全部页 (no rule, or all): one strip per page of the range', () => {
    expect(stripsOn({ from: 1, to: 4 }, [1, 2, 3, 4, 5]).map((s) => s && [s.index, s.count, s.width])).toEqual([[0, 4, 30], [1, 4, 30], [2, 4, 30], [3, 4, 30], null]);
    expect(stripsOn({ from: 1, to: 4, rule: 'all' }, [1, 2, 3, 4])).toEqual(stripsOn({ from: 1, to: 4 }, [1, 2, 3, 4]));
  });

  it('奇数页 / 偶数页: the strips of the selected pages only, consecutive, each seal/N wide at the right edge', () => {
    expect(stripsOn({ from: 1, to: 4, rule: 'odd' }, [1, 2, 3, 4]).map((s) => s && [s.index, s.count, s.x, s.width])).toEqual([[0, 2, 535, 60], null, [1, 2, 535, 60], null]);
    expect(stripsOn({ from: 1, to: 6, rule: 'even' }, [1, 2, 3, 4, 5, 6]).map((s) => s && s.index)).toEqual([null, 0, null, 1, null, 2]);
    expect(stripsOn({ from: 3, to: 3, rule: 'even' }, [3])).toEqual([null]);
  });
});
