/**
 * 骑缝章 (cross-page seal): one seal cut into N equal vertical strips for the N pages the 骑缝规则
 * selects in pageFrom..pageTo (every page, the odd or the even ones: riding-pages.ts); the i-th
 * selected page gets strip i at its right edge, all at the same `y`. When the pages (or the sheets,
 * printed on both sides) are stacked and fanned out, the strips join into the whole seal.
 *
 * The strips are not separate images: each strip's appearance draws the whole seal image shifted
 * left by the strip's offset and clipped to the strip's box, so the PDF holds the image once
 * however many pages the seal spans (see signPdf).
 */
import { DocumentError } from '../errors';
import { ridingPages, type RidingRule } from './riding-pages';

export { RIDING_RULES, ridingPages, type RidingRule } from './riding-pages';

export interface RidingSeal {
  pageFrom: number;
  pageTo: number;
  /** 骑缝规则 (default 'all': every page of the range). */
  rule?: RidingRule | undefined;
  /** Points from the top of the displayed page to the top of the seal. */
  y: number;
  /** Size of the whole seal, points. */
  width: number;
  height: number;
}

export interface RidingStrip {
  page: number;
  /** The strip's box on its page (top-left origin, displayed orientation). */
  x: number;
  y: number;
  width: number;
  height: number;
  /** Horizontal offset of this strip within the whole seal (points from the seal's left edge). */
  offset: number;
}

/**
 * The strips of a 骑缝章, given each page's displayed width: one per selected page, offsets
 * consecutive. Pages are 1-based; that they exist is the caller's check. A range and rule that
 * select no page (e.g. 'even' over 3..3, or pageFrom > pageTo) → DocumentError RIDING_NO_PAGES.
 */
export function ridingStrips(seal: RidingSeal, pageWidth: (page: number) => number): RidingStrip[] {
  const rule = seal.rule ?? 'all';
  const pages = ridingPages(seal.pageFrom, seal.pageTo, rule);
  if (pages.length === 0) throw new DocumentError('RIDING_NO_PAGES', `riding seal: pages ${seal.pageFrom}–${seal.pageTo} select no page by the rule '${String(rule)}'`);
  const stripWidth = seal.width / pages.length;
  return pages.map((page, i) => ({ page, x: pageWidth(page) - stripWidth, y: seal.y, width: stripWidth, height: seal.height, offset: i * stripWidth }));
}
