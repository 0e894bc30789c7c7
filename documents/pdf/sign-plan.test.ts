import { describe, expect, it } from 'vitest';
import type { PageGeometry } from './page-geometry';
import { MAX_WIDGETS_PER_SIGNATURE, planWidgets } from './sign-plan';
import type { SignPdfInput } from './sign-pdf';
import { documentErrorCode as codeOf } from './test-helpers';

const page: PageGeometry = { box: { x: 0, y: 0, width: 595, height: 842 }, rotation: 0, width: 595, height: 842 };
const pages = (n: number) => Array.from({ length: n }, () => page);
const png = new Uint8Array([137, 80, 78, 71]);
const input = (riding: NonNullable<SignPdfInput['riding']>): SignPdfInput => ({ pdf: new Uint8Array(), signer: { certificatePem: '', privateKeyPem: '', chainPem: [] }, fieldName: 'x', signerName: 'x', riding });

describe('planWidgets: 骑缝章 strips by 骑缝规则', () => {
  it('one widget per selected page, the image shifted by consecutive offsets', () => {
    const planned = planWidgets(input([{ pageFrom: 2, pageTo: 7, rule: 'even', y: 100, width: 120, height: 120, png }]), pages(8));
    expect(planned.map((w) => [w.page, w.box.x, w.box.width, w.draw.offset])).toEqual([
      [2, 555, 40, 0],
      [4, 555, 40, 40],
      [6, 555, 40, 80],
    ]);
  });

  it('the widget budget counts the real strips: 600 pages are too many on every page, not on the odd ones', () => {
    const over = MAX_WIDGETS_PER_SIGNATURE + 100;
    const riding = { pageFrom: 1, pageTo: over, y: 100, width: 120, height: 120, png };
    expect(codeOf(() => planWidgets(input([riding]), pages(over)))).toBe('PDF_TOO_COMPLEX');
    expect(planWidgets(input([{ ...riding, rule: 'odd' }]), pages(over))).toHaveLength(over / 2);
  });

  it('a range and rule that select no page: RIDING_NO_PAGES', () => {
    expect(codeOf(() => planWidgets(input([{ pageFrom: 3, pageTo: 3, rule: 'even', y: 100, width: 120, height: 120, png }]), pages(4)))).toBe('RIDING_NO_PAGES');
  });
});
